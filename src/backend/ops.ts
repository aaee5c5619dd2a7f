/**
 * Training ops whose fast path is a native kernel, with a portable fallback on every other backend.
 * Models (src/models) call these instead of composing tf.moments + tf.batchNorm, whose autodiff gradient is the
 * slowest part of a training step on the cpu/wasm backends (see ../shared/reference/tfjs-cpu-measurements.md).
 *
 * Each op is a tf.customGrad whose forward and backward are oneDNN kernels on the `native` backend
 * (src/backend/native) and a composite of tf ops with an analytic gradient elsewhere.
 */
import * as tf from '@tensorflow/tfjs-core';
import {BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD} from './native/kernels/BatchNormTrain';

export interface BatchNormTrainResult {
  /** normalised, scaled and shifted output, same shape as x */
  y: tf.Tensor4D;
  /** per-channel batch mean (over N, H, W); for running statistics: no gradient flows through it */
  mean: tf.Tensor1D;
  /** per-channel biased batch variance (over N, H, W), as used for normalisation; no gradient flows through it */
  variance: tf.Tensor1D;
}

const AXES = [0, 1, 2];

function onNative(): boolean {
  return tf.getBackend() === 'native';
}

/** Composite forward: μ, σ² over N, H, W and y = γ·(x − μ)/sqrt(σ² + ε) + β. */
function bnForward(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor[] {
  const mean = tf.mean(x, AXES);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), AXES);
  const y = tf.add(tf.mul(centered, tf.mul(tf.rsqrt(tf.add(variance, eps)), gamma)), beta);
  return [y, mean, variance];
}

/**
 * Composite analytic gradient, m = N·H·W, x̂ = (x − μ)·r, r = 1/sqrt(σ² + ε):
 * dβ = Σ dy, dγ = Σ dy·x̂, dx = γ·r/m · (m·dy − dβ − x̂·dγ).
 */
function bnGradient(x: tf.Tensor, gamma: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, dy: tf.Tensor, eps: number): tf.Tensor[] {
  const [n, h, w] = x.shape as [number, number, number, number];
  const m = n * h * w;
  const r = tf.rsqrt(tf.add(variance, eps));
  const xhat = tf.mul(tf.sub(x, mean), r);
  const dbeta = tf.sum(dy, AXES);
  const dgamma = tf.sum(tf.mul(dy, xhat), AXES);
  const inner = tf.sub(tf.sub(tf.mul(dy, m), dbeta), tf.mul(xhat, dgamma));
  const dx = tf.mul(inner, tf.div(tf.mul(gamma, r), m));
  return [dx, dgamma, dbeta];
}

/**
 * Batch normalisation in training mode over an NHWC tensor:
 * `y = gamma · (x − μ_B) / sqrt(σ²_B + eps) + beta`, μ_B and σ²_B over the N, H, W axes.
 * The caller updates running statistics from `mean`/`variance` (torchvision uses the unbiased variance for the
 * running estimate: `σ²_B · m / (m − 1)`, m = N·H·W). Gradients flow to x, gamma and beta through y only.
 */
export function batchNormTrain(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): BatchNormTrainResult {
  let stats: tf.Tensor[] = [];
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xi, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const [y, mean, variance] = onNative()
      ? (tf.engine().runKernel(BATCH_NORM_TRAIN, {x: xi, gamma: g, beta: b}, {eps}) as tf.Tensor[])
      : bnForward(xi as tf.Tensor4D, g as tf.Tensor1D, b as tf.Tensor1D, eps);
    save([xi, g, mean, variance]);
    stats = [tf.keep(mean), tf.keep(variance)];  // outlive customGrad's internal tidy; re-owned below
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sg, sm, sv] = saved;
        return onNative()
          ? (tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, {x: sx, gamma: sg, mean: sm, variance: sv, dy}, {eps}) as tf.Tensor[])
          : bnGradient(sx, sg, sm, sv, dy, eps);
      },
    };
  });
  const y = op(x, gamma, beta) as tf.Tensor4D;
  const [mean, variance] = stats.map((t) => {
    const owned = t.clone();  // tracked by the caller's scope, shares t's data
    t.dispose();
    return owned as tf.Tensor1D;
  });
  return {y, mean, variance};
}

/**
 * Grouped 2-D convolution (ResNeXt; PyTorch `nn.Conv2d(groups=G)`), which tfjs's conv2d lacks:
 * `y[..., g·Og:(g+1)·Og] = conv2d(x[..., g·Ig:(g+1)·Ig], w[..., g·Og:(g+1)·Og])`, Ig = C_in/G, Og = C_out/G.
 * On `native` it is one oneDNN grouped convolution (forward, input and filter gradients); elsewhere a split,
 * per-group tf.conv2d and concat (autodiff).
 * @param x [N, H, W, C_in]
 * @param w [kh, kw, C_in/groups, C_out]
 * @param groups G ≥ 1 dividing C_in and C_out (caller-validated; src/models/grouped-conv.ts checks user configs)
 */
export function conv2dGrouped(x: tf.Tensor4D, w: tf.Tensor4D, strides: number, pad: number | 'same' | 'valid',
  groups: number): tf.Tensor4D {
  if (groups === 1) return tf.conv2d(x, w, strides, pad);
  if (!onNative()) {
    const ws = tf.split(w, groups, 3) as tf.Tensor4D[];
    const ys = tf.split(x, groups, 3).map((xg, g) => tf.conv2d(xg as tf.Tensor4D, ws[g], strides, pad));
    return tf.concat(ys, 3) as tf.Tensor4D;
  }
  const attrs = {strides, pad, dataFormat: 'NHWC', dilations: 1, groups};
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xi, wi, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([xi, wi]);
    return {
      value: tf.engine().runKernel(tf.Conv2D, {x: xi, filter: wi}, attrs) as tf.Tensor,
      gradFunc: (dy: tf.Tensor, [sx, sw]: tf.Tensor[]) => [
        tf.engine().runKernel(tf.Conv2DBackpropInput, {dy, filter: sw}, {...attrs, inputShape: sx.shape}) as tf.Tensor,
        tf.engine().runKernel(tf.Conv2DBackpropFilter, {x: sx, dy}, {...attrs, filterShape: sw.shape}) as tf.Tensor,
      ],
    };
  });
  return op(x, w) as tf.Tensor4D;
}

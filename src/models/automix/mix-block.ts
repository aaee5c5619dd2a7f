/**
 * AutoMix's learned Mix Block (`PixelMixBlock`): a per-pixel mixing mask generated from the feature maps of two
 * samples and the mixing ratio λ, plus the mask loss and the masked image mixing.
 *
 * Paper: Liu et al., "AutoMix: Unveiling the Power of Mixup for Stronger Classifiers", ECCV 2022,
 * https://arxiv.org/abs/2103.13027. Reference implementation: OpenMixup `openmixup/models/heads/pmix_block.py`
 * (`PixelMixBlock`) as configured by the AutoMix benchmark configs
 * (`lam_concat=True, reduction=2, use_scale=True, attention_mode='embedded_gaussian', unsampling_mode='nearest',
 * mask_mode='none', mask_loss_mode='L1', value_neck_cfg=None`).
 *
 * Formulation implemented (OpenMixup's, which is the paper's cross-attention with a query projection shared by the
 * two samples and no separate key projection). Features z ∈ ℝ^{N×h×w×C} (NHWC, backbone stage `mask_layer`),
 * z_i = z, z_j = z[index], one λ per batch:
 *
 *     λ-embedding  'concat' (OpenMixup AutoMix configs):  x_i = [z_i ‖ λ],  x_j = [z_j ‖ 1−λ]   (one extra channel)
 *                  'mul'    (the paper's Eq. "λ·z_i"):     x_i = λ·z_i,    x_j = (1−λ)·z_j
 *     query        q = W_q * x_i + b_q,   k = W_q * x_j + b_q    (1×1 conv, C' = max(C_in / reduction, 1) channels)
 *     value        v = W_v * x_i + b_v                            (1×1 conv, 1 channel)
 *     attention    P = softmax_row( q kᵀ / √C' ) ∈ ℝ^{N×hw×hw}    (softmax over the pixels of z_j; /√C' if useScale)
 *     mask logits  s = Pᵀ v ∈ ℝ^{N×hw×1} → N×h×w×1
 *     mask         M_i = σ( Up_{H×W}(s) ),   M_j = 1 − M_i
 *
 * The sigmoid is the softmax over the pair dimension of the two-sample logits (s, 0): σ(s) = e^s / (e^s + e^0),
 * so (M_i, M_j) = softmax([s, 0]) per pixel. As in OpenMixup, the upsampling (nearest by default, or bilinear) is
 * applied to the logits before the sigmoid.
 */
import * as tf from '@tensorflow/tfjs-core';
import {Rng} from '../../rng';

/** How λ enters the Mix Block (see the module TSDoc). */
export type LamEmbedding = 'concat' | 'mul';

/** Upsampling of the h×w mask logits to the image size H×W. */
export type MaskUpsampling = 'nearest' | 'bilinear';

/** Options of {@link PixelMixBlock}; names follow OpenMixup's `PixelMixBlock` arguments. */
export interface PixelMixBlockOptions {
  /** channels C of the feature map (OpenMixup `in_channels`, 256 for a ResNet-18 stage-3 map) */
  inChannels: number;
  /** channel reduction of the query projection: C' = max(floor(inChannels / reduction), 1); default 2 */
  reduction?: number;
  /** divide q kᵀ by √C' (OpenMixup `use_scale`); default true */
  useScale?: boolean;
  /** λ embedding: 'concat' (OpenMixup `lam_concat=True`, default) or 'mul' (the paper's λ·z_i, (1−λ)·z_j) */
  lamEmbedding?: LamEmbedding;
  /** default upsampling of the mask (OpenMixup AutoMix configs: 'nearest'); default 'nearest' */
  upsampling?: MaskUpsampling;
  /** std of the normal initialisation of the 1×1 conv weights (OpenMixup `normal_init(std=0.01)`); biases are 0 */
  initStd?: number;
}

let blockCount = 0;

function checkShape(cond: boolean, what: string): void {
  if (!cond) throw new RangeError(`PixelMixBlock: ${what}`);
}

/** Checks λ ∈ [0, 1] and returns it. */
function checkLam(lam: number, where: string): number {
  if (!(typeof lam === 'number' && lam >= 0 && lam <= 1)) throw new RangeError(`${where}: lam must be in [0, 1], got ${lam}`);
  return lam;
}

/** Checks that `index` is a permutation-like index of length n (values in [0, n)). */
function checkIndex(index: Int32Array, n: number, where: string): void {
  if (index.length !== n) throw new RangeError(`${where}: index has length ${index.length}, expected the batch size ${n}`);
  for (let i = 0; i < n; i++) {
    if (!(index[i] >= 0 && index[i] < n)) throw new RangeError(`${where}: index[${i}] = ${index[i]} is outside [0, ${n})`);
  }
}

/**
 * The Mix Block. Trainable parameters live in {@link PixelMixBlock.params} under torch-like names
 * (`query.weight` [1, 1, C_qk, C'], `query.bias` [C'], `value.weight` [1, 1, C_v, 1], `value.bias` [1]; tfjs conv
 * layout HWIO), so the engine can give them their own optimiser / learning rate (OpenMixup
 * `paramwise_options={'mix_block': dict(lr=...)}`).
 */
export class PixelMixBlock {
  /** trainable variables by name, in a fixed order (query.weight, query.bias, value.weight, value.bias) */
  readonly params: Map<string, tf.Variable>;
  /** channels of the feature map */
  readonly inChannels: number;
  /** channels of the query projection, C' */
  readonly interChannels: number;
  readonly useScale: boolean;
  readonly lamEmbedding: LamEmbedding;
  readonly upsampling: MaskUpsampling;

  /**
   * @param options see {@link PixelMixBlockOptions}
   * @param rng initialisation source: weights ~ N(0, initStd²) drawn in the order of `params`
   */
  constructor(options: PixelMixBlockOptions, rng: Rng) {
    const {inChannels, reduction = 2, useScale = true, lamEmbedding = 'concat', upsampling = 'nearest', initStd = 0.01} = options;
    if (!Number.isInteger(inChannels) || inChannels < 1) throw new RangeError(`PixelMixBlock: inChannels must be a positive integer, got ${inChannels}`);
    if (!Number.isInteger(reduction) || reduction < 1) throw new RangeError(`PixelMixBlock: reduction must be a positive integer, got ${reduction}`);
    if (lamEmbedding !== 'concat' && lamEmbedding !== 'mul') throw new RangeError(`PixelMixBlock: lamEmbedding must be 'concat' or 'mul', got ${JSON.stringify(lamEmbedding)}`);
    if (upsampling !== 'nearest' && upsampling !== 'bilinear') throw new RangeError(`PixelMixBlock: upsampling must be 'nearest' or 'bilinear', got ${JSON.stringify(upsampling)}`);
    if (!(initStd >= 0)) throw new RangeError(`PixelMixBlock: initStd must be >= 0, got ${initStd}`);
    this.inChannels = inChannels;
    this.interChannels = Math.max(Math.floor(inChannels / reduction), 1);
    this.useScale = useScale;
    this.lamEmbedding = lamEmbedding;
    this.upsampling = upsampling;
    const cIn = lamEmbedding === 'concat' ? inChannels + 1 : inChannels;
    const id = blockCount++;
    const normal = (shape: number[]): tf.Tensor => {
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
      for (let i = 0; i < data.length; i++) data[i] = initStd * rng.normal();
      return tf.tensor(data, shape, 'float32');
    };
    const make = (name: string, init: tf.Tensor): [string, tf.Variable] => {
      const v = tf.variable(init, true, `automix_mixblock${id}/${name}`);
      init.dispose();
      return [name, v];
    };
    this.params = new Map([
      make('query.weight', normal([1, 1, cIn, this.interChannels])),
      make('query.bias', tf.zeros([this.interChannels])),
      make('value.weight', normal([1, 1, cIn, 1])),
      make('value.bias', tf.zeros([1])),
    ]);
  }

  private p(name: string): tf.Variable {
    return this.params.get(name) as tf.Variable;
  }

  /**
   * The mixing mask M_i for the samples `z` and their pairs `z[index]` (formulas in the module TSDoc).
   * Differentiable with respect to {@link params} and `features`.
   * @param features z, N×h×w×C (NHWC), C = inChannels
   * @param index pair index: z_j = z[index] (a permutation of 0..N−1 in training)
   * @param lam mixing ratio λ ∈ [0, 1] (one per batch)
   * @param size image size [H, W] (each ≥ the feature map's)
   * @param upsampling overrides the block's default upsampling
   * @returns M_i, N×H×W×1 with values in [0, 1]: the weight of x_i in the mixed image
   */
  mask(features: tf.Tensor4D, index: Int32Array, lam: number, size: [number, number], upsampling?: MaskUpsampling): tf.Tensor4D {
    checkShape(features.rank === 4 && features.shape[3] === this.inChannels,
      `features must be N×h×w×${this.inChannels} (NHWC), got shape [${features.shape.join(', ')}]`);
    const [n, h, w] = features.shape;
    checkIndex(index, n, 'PixelMixBlock.mask');
    checkLam(lam, 'PixelMixBlock.mask');
    const [H, W] = size;
    checkShape(Number.isInteger(H) && Number.isInteger(W) && H >= h && W >= w,
      `size must be integers [H, W] >= the feature map's [${h}, ${w}], got [${size.join(', ')}]`);
    const mode = upsampling ?? this.upsampling;
    if (mode !== 'nearest' && mode !== 'bilinear') throw new RangeError(`PixelMixBlock.mask: upsampling must be 'nearest' or 'bilinear', got ${JSON.stringify(mode)}`);
    return tf.tidy(() => {
      const zi = features;
      const zj = tf.gather(features, tf.tensor1d(index, 'int32'));
      let xi: tf.Tensor4D;
      let xj: tf.Tensor4D;
      if (this.lamEmbedding === 'concat') {
        xi = tf.concat([zi, tf.fill([n, h, w, 1], lam)], 3);
        xj = tf.concat([zj, tf.fill([n, h, w, 1], 1 - lam)], 3);
      } else {
        xi = tf.mul(zi, lam);
        xj = tf.mul(zj, 1 - lam);
      }
      const conv1x1 = (x: tf.Tensor4D, wName: string, bName: string): tf.Tensor4D =>
        tf.add(tf.conv2d(x, this.p(wName) as tf.Tensor4D, 1, 'valid'), this.p(bName));
      const d = this.interChannels;
      const q = tf.reshape(conv1x1(xi, 'query.weight', 'query.bias'), [n, h * w, d]) as tf.Tensor3D;
      const k = tf.reshape(conv1x1(xj, 'query.weight', 'query.bias'), [n, h * w, d]) as tf.Tensor3D;
      const v = tf.reshape(conv1x1(xi, 'value.weight', 'value.bias'), [n, h * w, 1]) as tf.Tensor3D;
      let scores = tf.matMul(q, k, false, true);  // N×hw×hw: row a (pixel of z_i) against column b (pixel of z_j)
      if (this.useScale) scores = tf.div(scores, Math.sqrt(d));
      const attn = tf.softmax(scores);  // over the last axis (pixels of z_j)
      const logits = tf.reshape(tf.matMul(attn, v, true, false), [n, h, w, 1]) as tf.Tensor4D;  // Pᵀ v
      const up = H === h && W === w ? logits
        : mode === 'nearest' ? tf.image.resizeNearestNeighbor(logits, [H, W]) : tf.image.resizeBilinear(logits, [H, W]);
      return tf.sigmoid(up);
    });
  }

  /** Disposes the variables. */
  dispose(): void {
    for (const v of this.params.values()) v.dispose();
  }
}

/**
 * AutoMix's mask loss (OpenMixup `mask_loss_mode="L1"`, `mask_loss_margin`): the mask's mean over the batch and all
 * pixels should stay within `margin` of λ,
 *
 *     L_mask = max( |mean(M_i) − λ| − margin, 0 )
 *
 * (OpenMixup writes it on M_j = 1 − M_i as |1 − mean(M_j) − λ|, the same value). In the benchmark configs
 * margin = 0.1 and the loss is weighted by `mask_loss` (0.1, cosine-annealed to 0, see ema.ts).
 * @param mask M_i, N×H×W×1
 * @param lam λ ∈ [0, 1]
 * @param margin ≥ 0
 * @returns a scalar tensor, differentiable with respect to `mask`
 */
export function maskLoss(mask: tf.Tensor4D, lam: number, margin: number): tf.Scalar {
  if (mask.rank !== 4 || mask.shape[3] !== 1) throw new RangeError(`maskLoss: mask must be N×H×W×1, got shape [${mask.shape.join(', ')}]`);
  checkLam(lam, 'maskLoss');
  if (!(margin >= 0)) throw new RangeError(`maskLoss: margin must be >= 0, got ${margin}`);
  return tf.tidy(() => tf.relu(tf.sub(tf.abs(tf.sub(tf.mean(mask), lam)), margin)) as tf.Scalar);
}

/**
 * The mixed images of AutoMix, per pixel and channel:
 *
 *     x_mix = M_i · x_i + (1 − M_i) · x_j,   x_j = x[index]
 *
 * @param images x, N×H×W×C
 * @param index pair index (the one the mask was computed with)
 * @param mask M_i, N×H×W×1 (same N, H, W as `images`)
 */
export function mixImages(images: tf.Tensor4D, index: Int32Array, mask: tf.Tensor4D): tf.Tensor4D {
  const [n, H, W] = images.shape;
  if (images.rank !== 4) throw new RangeError(`mixImages: images must be N×H×W×C, got shape [${images.shape.join(', ')}]`);
  if (mask.rank !== 4 || mask.shape[0] !== n || mask.shape[1] !== H || mask.shape[2] !== W || mask.shape[3] !== 1) {
    throw new RangeError(`mixImages: mask must be ${n}×${H}×${W}×1 to match images [${images.shape.join(', ')}], got shape [${mask.shape.join(', ')}]`);
  }
  checkIndex(index, n, 'mixImages');
  return tf.tidy(() => {
    const xj = tf.gather(images, tf.tensor1d(index, 'int32'));
    return tf.add(tf.mul(mask, images), tf.mul(tf.sub(1, mask), xj)) as tf.Tensor4D;
  });
}

/**
 * OpenMixup AutoMix's `lam_margin` (0.08 in the benchmark configs) for the mask the *backbone* trains on: when λ is
 * close to 0 or 1 (λ ≤ lam_margin or 1 − λ ≤ lam_margin) the learned mask is replaced by the constant λ
 * (vanilla mixup); otherwise the learned mask is used with its gradient stopped (the backbone step does not train
 * the Mix Block). This is distinct from the mask loss `margin` of {@link maskLoss}.
 * @param mask M_i, N×H×W×1
 * @param lam λ ∈ [0, 1]
 * @param lamMargin ∈ [0, 0.5]
 */
export function backboneMask(mask: tf.Tensor4D, lam: number, lamMargin: number): tf.Tensor4D {
  checkLam(lam, 'backboneMask');
  if (!(lamMargin >= 0 && lamMargin <= 0.5)) throw new RangeError(`backboneMask: lamMargin must be in [0, 0.5], got ${lamMargin}`);
  if (lamMargin >= lam || lamMargin >= 1 - lam) return tf.fill(mask.shape, lam) as tf.Tensor4D;
  return stopGradient(mask);
}

/** Identity whose gradient is zero (tfjs has no `stopGradient`; PyTorch's `.detach()`). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const t = args[0] as tf.Tensor;
    return {value: tf.clone(t), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy)};
  });
  return op(x) as T;
}

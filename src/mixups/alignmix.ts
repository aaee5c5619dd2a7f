/**
 * `alignmix`: "AlignMix: Improving representation by interpolating aligned features", Venkataramanan et al.,
 * CVPR 2022, https://arxiv.org/abs/2103.15375.
 *
 * Mixes the last-stage feature maps (`FeaturePlan.stage = -1`). For sample i, `A` = its n = h·w feature vectors,
 * `B` = those of `perm[i]`; cost `M_jk = ‖A_j − B_k‖²`; the entropic transport plan `P` with uniform marginals 1/n
 * (Sinkhorn in the log domain, `eps`, at most `max_iter` iterations, stopped when the mean change of the dual
 * potential is below 0.1 as OpenMixup's `SinkhornDistance`), scaled to an assignment `R = n·P`. With `λ ~ Beta(α, α)`
 * and a fair coin (as OpenMixup):
 *   mode 0: `x̃ = λ·A + (1 − λ)·R·B`   (B aligned to A),
 *   mode 1: `x̃ = λ·Rᵀ·A + (1 − λ)·B`  (A aligned to B).
 * `R` is a constant for the backward pass (computed from the features' values), as OpenMixup's `.detach()`.
 */
import * as tf from '@tensorflow/tfjs-core';
import {ArgReader} from './args';
import {defineMethod, labelMix, sampleLam} from './common';
import type {FeaturePlan} from './types';

/** Validated `model.mix_args.alignmix`. */
export interface AlignmixArgs {
  /** entropic regularisation, > 0, default 0.1 */
  eps: number;
  /** Sinkhorn iterations at most, integer >= 1, default 100 */
  max_iter: number;
}

/** λ, the pairing and which side is aligned. */
export interface AlignmixParams {
  lam: number;
  perm: Int32Array;
  /** 0: align x[perm] to x; 1: align x to x[perm] */
  mode: 0 | 1;
}

/** Sinkhorn stops when the mean absolute change of `u` drops below this (OpenMixup's `thresh`). */
const SINKHORN_THRESHOLD = 0.1;

/**
 * Entropic optimal-transport plans between the point sets `a[i]` and `b[i]` (N×n×C each), uniform marginals:
 * returns `P` (N×n×n, rows and columns summing to 1/n) as a constant tensor, and the iterations used.
 */
export function sinkhornPlan(a: tf.Tensor3D, b: tf.Tensor3D, eps: number, maxIter: number): {plan: tf.Tensor3D; iterations: number} {
  const [nb, n] = a.shape;
  const logMarginal = -Math.log(n);
  const cost = tf.tidy(() => {
    const aa = tf.sum(tf.square(a), 2, true); // N×n×1
    const bb = tf.transpose(tf.sum(tf.square(b), 2, true), [0, 2, 1]); // N×1×n
    return tf.relu(tf.sub(tf.add(aa, bb), tf.mul(2, tf.matMul(a, b, false, true)))) as tf.Tensor3D; // N×n×n
  });
  // M(u, v)_jk = (−C_jk + u_j + v_k) / eps
  const modified = (u: tf.Tensor2D, v: tf.Tensor2D) => tf.div(tf.add(tf.neg(cost), tf.add(tf.expandDims(u, 2), tf.expandDims(v, 1))), eps);
  let u = tf.zeros([nb, n]) as tf.Tensor2D;
  let v = tf.zeros([nb, n]) as tf.Tensor2D;
  let iterations = 0;
  while (iterations < maxIter) {
    iterations++;
    const [nu, nv, err] = tf.tidy(() => {
      const u1 = tf.add(tf.mul(eps, tf.sub(logMarginal, tf.logSumExp(modified(u, v), 2))), u) as tf.Tensor2D;
      const v1 = tf.add(tf.mul(eps, tf.sub(logMarginal, tf.logSumExp(modified(u1, v), 1))), v) as tf.Tensor2D;
      return [u1, v1, tf.mean(tf.abs(tf.sub(u1, u)))] as const;
    });
    u.dispose();
    v.dispose();
    u = nu;
    v = nv;
    const change = err.dataSync()[0];
    err.dispose();
    if (change < SINKHORN_THRESHOLD) break;
  }
  const values = tf.tidy(() => tf.exp(modified(u, v)).dataSync() as Float32Array);
  tf.dispose([u, v, cost]);
  return {plan: tf.tensor3d(values, [nb, n, n]), iterations};
}

/** The last-stage plan: aligned interpolation of `x` (N×h×w×C) with `x[perm]`. */
export function alignedPlan({lam, perm, mode}: AlignmixParams, {eps, max_iter}: AlignmixArgs): FeaturePlan {
  return {
    stage: -1,
    apply(x) {
      const [nb, h, w, c] = x.shape;
      if (nb !== perm.length) throw new Error(`feature plan built for a batch of ${perm.length}, applied to ${nb} samples`);
      const a = tf.reshape(x, [nb, h * w, c]) as tf.Tensor3D;
      const b = tf.gather(a, tf.tensor1d(perm, 'int32'));
      const {plan} = sinkhornPlan(a, b, eps, max_iter);
      const out = tf.tidy(() => {
        const r = tf.mul(plan, h * w); // assignment matrix R = n·P
        const mixed =
          mode === 0
            ? tf.add(tf.mul(lam, a), tf.mul(1 - lam, tf.matMul(r, b))) // λ·A + (1 − λ)·R·B
            : tf.add(tf.mul(lam, tf.matMul(r, a, true, false)), tf.mul(1 - lam, b)); // λ·Rᵀ·A + (1 − λ)·B
        return tf.reshape(mixed, [nb, h, w, c]) as tf.Tensor4D;
      });
      tf.dispose([a, b, plan]);
      return out;
    },
  };
}

export const alignmix = defineMethod<AlignmixArgs, AlignmixParams>({
  name: 'alignmix',
  parseArgs(raw) {
    const r = new ArgReader(raw, 'model.mix_args.alignmix');
    const args: AlignmixArgs = {eps: r.number('eps', 0.1, {min: 0, exclusiveMin: true}), max_iter: r.number('max_iter', 100, {min: 1, integer: true})};
    r.done();
    return args;
  },
  sampleParams: (rng, [n], alpha) => ({lam: sampleLam(rng, alpha), perm: rng.permutation(n), mode: rng.int(2) as 0 | 1}),
  apply: (batch, params, args) => ({
    kind: 'feature',
    images: tf.clone(batch.images),
    labels: labelMix(batch.labels, params.perm, params.lam),
    plan: alignedPlan(params, args),
  }),
});

/**
 * `alignmix`: "AlignMix: Improving representation by interpolating aligned features", Venkataramanan et al.,
 * CVPR 2022, https://arxiv.org/abs/2103.15375.
 *
 * Mixes the last-stage feature maps (`FeaturePlan.stage = -1`). For sample i, `A` = its n = h·w feature vectors,
 * `B` = those of `perm[i]`; cost `M_jk = ‖A_j − B_k‖²`; the entropic transport plan `P` with uniform marginals 1/n
 * (Sinkhorn in the log domain, `eps`, at most `max_iter` iterations, stopped when the batch mean of Σ|Δu| is below
 * 0.1 as OpenMixup's `SinkhornDistance`), scaled to an assignment `R = n·P`. With `λ ~ Beta(α, α)`
 * and a fair coin (as OpenMixup):
 *   mode 0: `x̃ = λ·A + (1 − λ)·R·B`   (B aligned to A),
 *   mode 1: `x̃ = λ·Rᵀ·A + (1 − λ)·B`  (A aligned to B).
 * `R` is a constant for the backward pass (computed from the features' values), as OpenMixup's `.detach()`.
 * The plan is solved on the host (float64, `sinkhornPlan`) on backends that read tensors synchronously, and on the
 * device (`detachedSinkhornPlan`, all `max_iter` iterations with a device-side stop flag) on webgpu.
 */
import * as tf from '@tensorflow/tfjs-core';
import {defineMethod, labelMix, permuteBatch, sampleLam} from './common';
import {detachedSinkhornPlan, SINKHORN_THRESHOLD} from './sinkhorn-device';
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

/** Backends whose alignmix plan is solved on the device (they cannot `dataSync` in Node). */
const DEVICE_SINKHORN_BACKENDS = new Set(['webgpu']);

/** `log Σ_i e^{v_i}` of `count` values read at `offset + i·stride`. */
function logSumExp(values: Float64Array, offset: number, count: number, stride: number): number {
  let top = -Infinity;
  for (let i = 0; i < count; i++) top = Math.max(top, values[offset + i * stride]);
  if (top === -Infinity) return top;
  let acc = 0;
  for (let i = 0; i < count; i++) acc += Math.exp(values[offset + i * stride] - top);
  return top + Math.log(acc);
}

/**
 * Entropic optimal-transport plans between the point sets `a[i]` and `b[i]` (N×n×C each), uniform marginals, in the
 * log domain (the `SinkhornDistance` OpenMixup uses): `M_jk = (−C_jk + u_j + v_k)/eps`,
 * `u ← eps·(log(1/n) − LSE_k M) + u`, `v ← eps·(log(1/n) − LSE_j M) + v`, `P = exp(M)`. Computed on the host (the plan
 * is a constant for the backward pass); returns `P` (N×n×n, rows and columns summing to 1/n) and the iterations used.
 */
export function sinkhornPlan(a: tf.Tensor3D, b: tf.Tensor3D, eps: number, maxIter: number): {plan: tf.Tensor3D; iterations: number} {
  const [nb, n, c] = a.shape;
  const av = a.dataSync() as Float32Array;
  const bv = b.dataSync() as Float32Array;
  const cost = new Float64Array(nb * n * n); // C_ijk = ‖a_ij − b_ik‖²
  for (let i = 0; i < nb; i++) {
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < n; k++) {
        let d = 0;
        for (let f = 0, pa = (i * n + j) * c, pb = (i * n + k) * c; f < c; f++) d += (av[pa + f] - bv[pb + f]) ** 2;
        cost[(i * n + j) * n + k] = d;
      }
    }
  }
  const logMarginal = -Math.log(n);
  const u = new Float64Array(nb * n);
  const v = new Float64Array(nb * n);
  const m = new Float64Array(nb * n * n);
  const fill = () => {
    for (let i = 0; i < nb; i++) {
      for (let j = 0; j < n; j++) {
        for (let k = 0; k < n; k++) m[(i * n + j) * n + k] = (-cost[(i * n + j) * n + k] + u[i * n + j] + v[i * n + k]) / eps;
      }
    }
  };
  let iterations = 0;
  while (iterations < maxIter) {
    iterations++;
    fill();
    let change = 0;
    for (let i = 0; i < nb; i++) {
      for (let j = 0; j < n; j++) {
        const next = eps * (logMarginal - logSumExp(m, (i * n + j) * n, n, 1)) + u[i * n + j];
        change += Math.abs(next - u[i * n + j]);
        u[i * n + j] = next;
      }
    }
    fill();
    for (let i = 0; i < nb; i++) {
      for (let k = 0; k < n; k++) v[i * n + k] += eps * (logMarginal - logSumExp(m, i * n * n + k, n, n));
    }
    if (change / nb < SINKHORN_THRESHOLD) break;
  }
  fill();
  return {plan: tf.tensor3d(Float32Array.from(m, Math.exp), [nb, n, n]), iterations};
}

/**
 * The last-stage plan: aligned interpolation of `x` (N×h×w×C) with `x[perm]`. `solver` picks where the Sinkhorn plan
 * is solved; by default on the device on webgpu, else on the host (tests compare both on one backend).
 */
export function alignedPlan({lam, perm, mode}: AlignmixParams, {eps, max_iter}: AlignmixArgs, solver?: 'host' | 'device'): FeaturePlan {
  return {
    stage: -1,
    apply(x) {
      const [nb, h, w, c] = x.shape;
      if (nb !== perm.length) throw new Error(`feature plan built for a batch of ${perm.length}, applied to ${nb} samples`);
      const a = tf.reshape(x, [nb, h * w, c]) as tf.Tensor3D;
      const b = permuteBatch(a, perm);
      // webgpu cannot read the features synchronously inside the forward pass: its plan is solved on the device
      const onDevice = solver ? solver === 'device' : DEVICE_SINKHORN_BACKENDS.has(tf.getBackend());
      const plan = onDevice ? detachedSinkhornPlan(a, b, eps, max_iter) : sinkhornPlan(a, b, eps, max_iter).plan;
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

/** The `alignmix` method: a last-stage feature plan interpolating Sinkhorn-aligned features. */
export const alignmix = defineMethod<AlignmixArgs, AlignmixParams>({
  name: 'alignmix',
  sampleParams: (rng, [n], alpha) => ({lam: sampleLam(rng, alpha), perm: rng.permutation(n), mode: rng.int(2) as 0 | 1}),
  apply: (batch, params, args) => ({
    kind: 'feature',
    images: tf.clone(batch.images),
    labels: labelMix(batch.labels, params.perm, params.lam),
    plan: alignedPlan(params, args),
  }),
});

/**
 * `manifoldmix`: "Manifold Mixup: Better Representations by Interpolating Hidden States", Verma et al., ICML 2019,
 * https://arxiv.org/abs/1806.05236.
 *
 * `λ ~ Beta(α, α)`; a stage `k ~ U{layer[0], …, layer[1] − 1}` (OpenMixup's `np.random.randint(0, 3)` for the default
 * `layer: [0, 3]`: 0 = the input, 1/2 = after residual stage 1/2); the backbone replaces its activation `h` there by
 * `λ·h + (1 − λ)·h[perm]` (`FeaturePlan.apply`). The images are returned unmixed.
 */
import * as tf from '@tensorflow/tfjs-core';
import {defineMethod, labelMix, permuteBatch, sampleLam} from './common';
import type {FeaturePlan} from './types';

/** Validated `model.mix_args.manifoldmix`. */
export interface ManifoldmixArgs {
  /** `[low, high)` of the stage drawn per iteration, integers in [0, 5], low < high; default [0, 3] */
  layer: [number, number];
}

/** λ, the pairing and the stage. */
export interface ManifoldmixParams {
  lam: number;
  perm: Int32Array;
  stage: number;
}

/** `x ↦ λ·x + (1 − λ)·x[perm]` at the given stage (also used for AlignMix's unaligned check). */
export function interpolationPlan(stage: number, lam: number, perm: Int32Array): FeaturePlan {
  return {
    stage,
    apply: (x) =>
      tf.tidy(() => {
        if (x.shape[0] !== perm.length) throw new Error(`feature plan built for a batch of ${perm.length}, applied to ${x.shape[0]} samples`);
        return tf.add(tf.mul(x, lam), tf.mul(permuteBatch(x, perm), 1 - lam)) as tf.Tensor4D;
      }),
  };
}

/** The `manifoldmix` method: a feature plan interpolating hidden features at a random stage. */
export const manifoldmix = defineMethod<ManifoldmixArgs, ManifoldmixParams>({
  name: 'manifoldmix',
  sampleParams: (rng, [n], alpha, {layer}) => ({lam: sampleLam(rng, alpha), perm: rng.permutation(n), stage: rng.intRange(layer[0], layer[1])}),
  apply: (batch, {lam, perm, stage}) => ({
    kind: 'feature',
    images: tf.clone(batch.images),
    labels: labelMix(batch.labels, perm, lam),
    plan: interpolationPlan(stage, lam, perm),
  }),
});

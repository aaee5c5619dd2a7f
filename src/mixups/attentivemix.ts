/**
 * `attentivemix` (AttentiveMix+): "Attentive CutMix: An Enhanced Data Augmentation Approach for Deep Learning Based
 * Image Classification", Walawalkar et al., ICASSP 2020, https://arxiv.org/abs/2003.13048, as modified by OpenMixup.
 *
 * A frozen pretrained extractor (R-18/R-50, `hooks.extractorFeatures`) gives an h×w×C map per image; its channel
 * mean is the attention of each of the h·w grid cells. `λ₀ ~ Beta(α, beta)` (AttentiveMix+: `beta` = 8, as the
 * benchmark page states), `k = top_k` or, when `top_k` is null, `k = clamp(⌊h·w·λ₀⌋, 1, h·w)`. The mask keeps the k
 * most attended cells of `x` (each cell upsampled to its H/h × W/w pixels, nearest) and shows `x[perm]` elsewhere:
 * `x̃ = m·x + (1 − m)·x[perm]`, `λ = mean(m)` (one value, or one per sample when cells differ in pixel count).
 * `grid_size` (the cell side in pixels, 32 in the configs) is implied by the feature map and is not used, as in
 * OpenMixup.
 */
import * as tf from '@tensorflow/tfjs-core';
import {defineMethod, labelMix, mixWithMask, sampleLam} from './common';

/** Validated `model.mix_args.attentivemix`. */
export interface AttentivemixArgs {
  /** cell side in pixels of the reference configs (informative), integer >= 1, default 32 */
  grid_size: number;
  /** cells kept from x, integer >= 1, or null to derive it from λ₀ (default) */
  top_k: number | null;
  /** second Beta parameter of λ₀ ~ Beta(α, beta), > 0, default 8 */
  beta: number;
}

/** λ₀ and the pairing. */
export interface AttentivemixParams {
  lam0: number;
  perm: Int32Array;
}

/** Indices of the `k` largest values of `values` (ties: lower index first). */
export function topK(values: ArrayLike<number>, k: number): number[] {
  return Array.from({length: values.length}, (_, i) => i)
    .sort((a, b) => values[b] - values[a] || a - b)
    .slice(0, k);
}

/**
 * Per-sample masks (N×H×W, share of x) from an N×gh×gw attention map: 1 on the top-k cells.
 */
export function attentionMasks(attention: Float32Array, n: number, gh: number, gw: number, k: number, h: number, w: number): Float32Array {
  const masks = new Float32Array(n * h * w);
  for (let i = 0; i < n; i++) {
    const keep = new Uint8Array(gh * gw);
    for (const cell of topK(attention.subarray(i * gh * gw, (i + 1) * gh * gw), k)) keep[cell] = 1;
    for (let y = 0; y < h; y++) {
      const gy = Math.min(Math.floor((y * gh) / h), gh - 1);
      for (let x = 0; x < w; x++) masks[i * h * w + y * w + x] = keep[gy * gw + Math.min(Math.floor((x * gw) / w), gw - 1)];
    }
  }
  return masks;
}

/** The `attentivemix` (AttentiveMix+) method: keeps the top-k attended grid cells of `x`. */
export const attentivemix = defineMethod<AttentivemixArgs, AttentivemixParams>({
  name: 'attentivemix',
  needs: ['extractorFeatures'],
  sampleParams: (rng, [n], alpha, {beta}) => ({lam0: sampleLam(rng, alpha, beta), perm: rng.permutation(n)}),
  async apply(batch, {lam0, perm}, {top_k}, hooks) {
    const [n, h, w] = batch.images.shape;
    const features = hooks.extractorFeatures!(batch.images);
    const [fn, gh, gw] = features.shape;
    if (fn !== n) throw new Error(`extractorFeatures returned ${fn} maps for ${n} images`);
    const meanFeatures = tf.mean(features, 3);
    const attention = (await meanFeatures.data()) as Float32Array;
    meanFeatures.dispose();
    features.dispose();
    const cells = gh * gw;
    const k = Math.min(top_k ?? Math.min(Math.max(Math.floor(cells * lam0), 1), cells), cells);
    const m = attentionMasks(attention, n, gh, gw, k, h, w);
    const shares = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let p = 0; p < h * w; p++) s += m[i * h * w + p];
      shares[i] = s / (h * w);
    }
    const lam = shares.every((s) => s === shares[0]) ? shares[0] : shares;
    const {images, mask} = await mixWithMask(batch.images, perm, m, [n, h, w, 1]);
    return {kind: 'input', images, mask, labels: labelMix(batch.labels, perm, lam)};
  },
});

/**
 * `smoothmix`: "SmoothMix: a Simple Yet Effective Data Augmentation to Train Robust Classifiers", Lee et al.,
 * CVPR Workshops 2020.
 *
 * A Gaussian soft mask `k(y, x) = exp(−((y − c_y)² + (x − c_x)²) / (2σ²))`, centre uniform over the pixels,
 * `σ = (u/4 + 1/4)·H` with `u ~ U(0, 1)`; `x̃ = (1 − k)·x + k·x[perm]` and `λ = mean(1 − k)`, the share of `x`.
 * (OpenMixup returns `mean(k)`, the share of `x[perm]`, as the share of `y_a`; here λ is the share of `y_a` as the
 * label triple defines it. Its `λ ~ Beta(α, α)` draw is unused there and not made here.)
 */
import {defineMethod, labelMix, mean, mixWithMask} from './common';

/** The pairing, the centre and σ. */
export interface SmoothmixParams {
  perm: Int32Array;
  cx: number;
  cy: number;
  sigma: number;
}

/** `1 − k`, the share of x per pixel. */
export function smoothMask({cx, cy, sigma}: SmoothmixParams, h: number, w: number): Float32Array {
  const m = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) m[y * w + x] = 1 - Math.exp(-((y - cy) ** 2 + (x - cx) ** 2) / (2 * sigma * sigma));
  }
  return m;
}

/** The `smoothmix` method: a Gaussian soft mask, `λ = mean(1 − k)`. */
export const smoothmix = defineMethod<Record<string, never>, SmoothmixParams>({
  name: 'smoothmix',
  sampleParams: (rng, [n, h, w]) => ({perm: rng.permutation(n), cx: rng.int(w), cy: rng.int(h), sigma: (rng.uniform() / 4 + 0.25) * h}),
  async apply(batch, params) {
    const [, h, w] = batch.images.shape;
    const m = smoothMask(params, h, w);
    const {images, mask} = await mixWithMask(batch.images, params.perm, m, [1, h, w, 1]);
    return {kind: 'input', images, mask, labels: labelMix(batch.labels, params.perm, mean(m))};
  },
});

/**
 * `mixup`: "mixup: Beyond Empirical Risk Minimization", Zhang et al., ICLR 2018, https://arxiv.org/abs/1710.09412.
 *
 * `λ ~ Beta(α, α)`, `perm` a random permutation, `x̃ = λ·x + (1 − λ)·x[perm]`, labels `(y, y[perm], λ)`.
 */
import {defineMethod, labelMix, mixWithMask, sampleLam} from './common';

/** λ and the pairing. */
export interface MixupParams {
  lam: number;
  perm: Int32Array;
}

/** The `mixup` method: `x̃ = λ·x + (1 − λ)·x[perm]`, `λ ~ Beta(α, α)`. */
export const mixup = defineMethod<Record<string, never>, MixupParams>({
  name: 'mixup',
  sampleParams: (rng, [n], alpha) => ({lam: sampleLam(rng, alpha), perm: rng.permutation(n)}),
  async apply(batch, {lam, perm}) {
    const [, h, w] = batch.images.shape;
    const {images, mask} = await mixWithMask(batch.images, perm, new Float32Array(h * w).fill(lam), [1, h, w, 1]);
    return {kind: 'input', images, mask, labels: labelMix(batch.labels, perm, lam)};
  },
});

/**
 * `cutmix`: "CutMix: Regularization Strategy to Train Strong Classifiers with Localizable Features", Yun et al.,
 * ICCV 2019, https://arxiv.org/abs/1905.04899.
 *
 * `λ ~ Beta(α, α)`; a box of side ratio `√(1 − λ)` around a uniform random centre, clipped to the image, is replaced
 * by the same box of `x[perm]`; then `λ_adj = 1 − boxArea/(H·W)` from the box actually pasted. One box per batch, and
 * the pairing avoids `perm[i] = i` where possible (OpenMixup's `_no_repeat_shuffle_idx`).
 */
import {boxAround, defineMethod, noFixedPointPermutation, pasteBox, sampleLam, type Box} from './common';

/** The pairing and the (clipped) box. */
export interface CutmixParams {
  perm: Int32Array;
  box: Box;
  /** λ as drawn, before the clipping adjustment */
  lamDrawn: number;
}

/** The `cutmix` method: one box of `x[perm]` pasted into `x`, `λ = 1 − boxArea/(H·W)`. */
export const cutmix = defineMethod<Record<string, never>, CutmixParams>({
  name: 'cutmix',
  sampleParams(rng, [n, h, w], alpha) {
    const lamDrawn = sampleLam(rng, alpha);
    const perm = noFixedPointPermutation(rng, n);
    const cx = rng.int(w);
    const cy = rng.int(h);
    return {perm, lamDrawn, box: boxAround(cx, cy, Math.sqrt(1 - lamDrawn), h, w)};
  },
  apply: (batch, {perm, box}) => pasteBox(batch, perm, box),
});

/**
 * `saliencymix`: "SaliencyMix: A Saliency Guided Data Augmentation Strategy for Better Regularization",
 * Uddin et al., ICLR 2021, https://arxiv.org/abs/2006.01791.
 *
 * As CutMix, but the box centre is the peak of a static saliency map of the source image `x[perm[0]]` (one box per
 * batch, as OpenMixup): `λ ~ Beta(α, α)`, side ratio `√(1 − λ)`, box clipped, `λ_adj = 1 − boxArea/(H·W)`.
 * The map is the spectral residual (`./saliency.ts`) instead of OpenCV's fine-grained static saliency.
 */
import * as tf from '@tensorflow/tfjs-core';
import {boxAround, defineMethod, pasteBox, sampleLam} from './common';
import {saliencyPeak, spectralResidual} from './saliency';

/** λ as drawn and the pairing; the box follows from the saliency of the images, in `apply`. */
export interface SaliencymixParams {
  lam: number;
  perm: Int32Array;
}

/** The `saliencymix` method: a CutMix box centred on the saliency peak of the source image. */
export const saliencymix = defineMethod<Record<string, never>, SaliencymixParams>({
  name: 'saliencymix',
  sampleParams: (rng, [n], alpha) => ({lam: sampleLam(rng, alpha), perm: rng.permutation(n)}),
  async apply(batch, {lam, perm}) {
    const [, h, w, c] = batch.images.shape;
    const source = tf.slice(batch.images, [perm[0], 0, 0, 0], [1, h, w, c]);
    const pixels = (await source.data()) as Float32Array;
    source.dispose();
    const peak = saliencyPeak(spectralResidual(pixels, h, w, c), h, w);
    return pasteBox(batch, perm, boxAround(peak.x, peak.y, Math.sqrt(1 - lam), h, w));
  },
});

/**
 * `vanilla`: no mixing (empirical risk minimisation). The images pass through unchanged and the label triple is
 * `(y, y, 1)`, so the mixup loss reduces to the plain cross-entropy.
 */
import * as tf from '@tensorflow/tfjs-core';
import {defineMethod, labelMix} from './common';

/** No random draws: the identity pairing. */
export interface VanillaParams {
  perm: Int32Array;
}

/** The `vanilla` method: identity images, labels `(y, y, 1)`. */
export const vanilla = defineMethod<Record<string, never>, VanillaParams>({
  name: 'vanilla',
  sampleParams: (_rng, [n]) => ({perm: Int32Array.from({length: n}, (_, i) => i)}),
  apply(batch, {perm}) {
    const [, h, w] = batch.images.shape;
    return {
      kind: 'input',
      images: tf.clone(batch.images),
      mask: tf.ones([1, h, w, 1]) as tf.Tensor4D,
      labels: labelMix(batch.labels, perm, 1),
    };
  },
});

/** Shared fixtures of the mixer tests: the cpu backend, seeded tiny batches and model-free stand-in hooks. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {Rng} from '../../src/rng';
import type {Batch, ModelHooks} from '../../src/mixups/types';

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** N×H×W×C uniform random images (distinct pixel values) and labels 0..N-1 (mod classes). */
export function makeBatch(n = 4, h = 16, w = 16, c = 3, seed = 7, classes = 10): Batch {
  const rng = new Rng(seed);
  const data = Float32Array.from({length: n * h * w * c}, () => rng.uniform());
  return {images: tf.tensor4d(data, [n, h, w, c]), labels: Int32Array.from({length: n}, (_, i) => (i * 3) % classes)};
}

/** Stand-in hooks: gradient = the images themselves (saliency = brightness), features = 4×4 average-pooled images. */
export const standInHooks: ModelHooks = {
  inputGradient: (images) => tf.clone(images),
  extractorFeatures: (images) => tf.tidy(() => tf.image.resizeBilinear(images, [4, 4]) as tf.Tensor4D),
};

/** Host copy of a tensor. */
export function host(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

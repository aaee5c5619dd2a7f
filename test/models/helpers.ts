/** Tiny model configs and tensor helpers shared by the models tests. */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's CommonJS build registers no gradients; the @tensorflow/tfjs bundle registers them all (and cpu)
import '@tensorflow/tfjs';
import type {BackboneConfig, ModelConfig} from '../../src/models';

/** A `model` config object as the config loader hands it over. */
export function modelCfg(backbone: Partial<BackboneConfig> & Pick<BackboneConfig, 'type' | 'depth'>, numClasses = 3, inChannels?: number): ModelConfig {
  return {
    type: 'MixUpClassification',
    backbone: {num_stages: 4, out_indices: [3], style: 'pytorch', ...backbone},
    head: {type: 'ClsHead', num_classes: numClasses, with_avg_pool: true, ...(inChannels === undefined ? {} : {in_channels: inChannels})},
  };
}

/** ResNet_CIFAR-18 at base width 4: feature map 32 channels. */
export const TINY_CIFAR = modelCfg({type: 'ResNet_CIFAR', depth: 18, base_channels: 4}, 3, 32);

/** Deterministic pseudo-random N×H×W×C input (no Rng needed: a fixed formula). */
export function input(n: number, h: number, w: number, c: number, phase = 0): tf.Tensor4D {
  const data = new Float32Array(n * h * w * c);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.731 + phase) + 0.3 * Math.cos(i * 0.117);
  return tf.tensor4d(data, [n, h, w, c]);
}

/** Max absolute difference of two same-shape tensors. */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** Selects the pure-JS cpu backend (call in `beforeAll`). */
export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
  (tf.backend() as unknown as {firstUse: boolean}).firstUse = false; // silence the "install tfjs-node" banner
}

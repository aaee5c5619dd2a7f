/**
 * Shared by the webgpu tests: they run on SwiftShader (software Vulkan from Debian `chromium`, which `.ci/run`
 * installs) unless VK_ICD_FILENAMES already names a driver. A machine without an adapter FAILS these tests with the
 * reason and the fix: they are never skipped.
 */
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs'; // registers tfjs-core's gradients
import {loadWebgpu, SWIFTSHADER_ICD, type WebgpuStatus} from '../../../src/backend/webgpu';
import {Rng} from '../../../src/rng';

/**
 * Loads Dawn + tfjs-backend-webgpu on the Vulkan driver jest.config.js points VK_ICD_FILENAMES at and activates
 * `webgpu`.
 * @throws Error with Dawn's reason and the fix when there is no adapter (the suite then fails, it never skips)
 */
export async function useWebgpu(): Promise<WebgpuStatus> {
  const icd = process.env.VK_ICD_FILENAMES;
  if (!icd || !fs.existsSync(icd)) {
    throw new Error(`webgpu tests need a Vulkan ICD: VK_ICD_FILENAMES=${icd ?? '(unset)'} and ${SWIFTSHADER_ICD} is missing; install Debian chromium (apt-get install -y chromium) or set VK_ICD_FILENAMES`);
  }
  const status = await loadWebgpu();
  if (!status.ok) throw new Error(`webgpu unavailable: ${status.reason}; fix: ${status.fix}`);
  if (!(await tf.setBackend('webgpu'))) throw new Error('tf.setBackend("webgpu") failed to initialise');
  // tiny tensors whose values are still on the host would otherwise run on tfjs's cpu kernels (the backend's
  // "CPU forward" below 1000 values): the tests must exercise the GPU kernels
  tf.env().set('WEBGPU_CPU_FORWARD', false);
  return status;
}

/** Seeded values uniform in [-1, 1). */
export function randomValues(shape: number[], seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < out.length; i++) out[i] = rng.uniformRange(-1, 1);
  return out;
}

/** Runs `f` on `backend` with fresh tensors from `inputs`; every output is read with `await data()`. */
export async function runOn(backend: string, inputs: Array<{shape: number[]; values: Float32Array}>,
  f: (...xs: tf.Tensor[]) => tf.Tensor[]): Promise<Float32Array[]> {
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend(${backend}) failed`);
  const instance = tf.backend() as unknown as {firstUse?: boolean};
  if (instance.firstUse === true) instance.firstUse = false; // tfjs's "install tfjs-node" banner
  const outs = tf.tidy(() => f(...inputs.map((i) => tf.tensor(i.values, i.shape))));
  const values = await Promise.all(outs.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(outs);
  return values;
}

/** Largest |a − b| relative to 1 + max |b| (b is the reference). */
export function relError(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / (1 + scale);
}

/** Shared set-up for the wasm patch tests: start wasm (or skip with a printed reason), random data, comparisons. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {Rng} from '../../../src/rng';
import {registerWasmPatches} from '../../../src/backend/wasm';

/** Whether the wasm backend can run here: WebAssembly present and the package's .wasm binaries installed. */
export function wasmSupport(): {ok: boolean, reason: string} {
  if (typeof (globalThis as {WebAssembly?: unknown}).WebAssembly !== 'object') {
    return {ok: false, reason: 'this Node has no WebAssembly'};
  }
  let dist: string;
  try {
    dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  } catch {
    return {ok: false, reason: '@tensorflow/tfjs-backend-wasm is not installed'};
  }
  const binary = path.join(dist, 'dist', 'tfjs-backend-wasm.wasm');
  return fs.existsSync(binary) ? {ok: true, reason: ''} : {ok: false, reason: `${binary} is missing`};
}

/** `describe` when wasm can run, else `describe.skip` after printing why. */
export function describeWasm(name: string, body: () => void): void {
  const support = wasmSupport();
  if (!support.ok) console.warn(`skipping "${name}": wasm backend unavailable (${support.reason})`);
  (support.ok ? describe : describe.skip)(name, body);
}

/** Registers the patches (which loads the wasm backend), then starts wasm, failing loudly if it cannot. */
export async function initWasm(): Promise<void> {
  registerWasmPatches();
  if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") failed');
}

/** Standard-normal values from a seeded Rng. */
export function randn(rng: Rng, shape: number[]): Float32Array {
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < out.length; i++) out[i] = rng.normal();
  return out;
}

/** Runs `fn` on `backend` inside tf.tidy and returns the result's values. */
export async function onBackend(backend: 'cpu' | 'wasm', fn: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const out = tf.tidy(fn);
  const values = out.dataSync() as Float32Array;
  out.dispose();
  return Float32Array.from(values);
}

/** Host values and shape of a kernel input. */
export interface HostTensor {values: Float32Array | Int32Array, shape: number[]}

/** Runs one kernel by name on `backend` with inputs built from the given arrays. */
export function runKernelOn(backend: 'cpu' | 'wasm', kernel: string, inputs: Record<string, HostTensor>, attrs: object):
  Promise<Float32Array> {
  return onBackend(backend, () => {
    const ts: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(inputs)) {
      ts[k] = tf.tensor(v.values, v.shape, v.values instanceof Int32Array ? 'int32' : 'float32');
    }
    return tf.engine().runKernel(kernel, ts as never, attrs as never) as tf.Tensor;
  });
}

/** Expects max |a − b| ≤ tol · max(1, max |b|) (b is the cpu reference). */
export function expectClose(actual: Float32Array, expected: Float32Array, tol = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  let maxDiff = 0;
  let scale = 1;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  expect(maxDiff).toBeLessThanOrEqual(tol * scale);
}

/** A forward convolution whose gradients are compared: input [N, H, W, CI], filter [KH, KW, CI, CO]. */
export interface ConvCase {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
}

/** Strides 1 and 2, same/valid/explicit padding, 1×1, 3×3 and 7×7, odd and non-square sizes, batch 1. */
export const CONV_CASES: ConvCase[] = [
  {name: '3x3 s1 same', x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same'},
  {name: '3x3 s2 same even', x: [2, 8, 8, 3], filter: [3, 3, 3, 5], strides: 2, pad: 'same'},
  {name: '3x3 s2 same odd, batch 1', x: [1, 9, 9, 4], filter: [3, 3, 4, 6], strides: 2, pad: 'same'},
  {name: '3x3 s2 valid odd', x: [2, 9, 7, 2], filter: [3, 3, 2, 3], strides: 2, pad: 'valid'},
  {name: '1x1 s1 valid', x: [3, 5, 5, 4], filter: [1, 1, 4, 6], strides: 1, pad: 'valid'},
  {name: '1x1 s2 valid odd (shortcut)', x: [2, 7, 7, 4], filter: [1, 1, 4, 8], strides: 2, pad: 'valid'},
  {name: '1x1 s2 valid even (last row unused)', x: [2, 8, 6, 3], filter: [1, 1, 3, 5], strides: 2, pad: 'valid'},
  {name: '7x7 s2 same non-square (stem)', x: [1, 11, 9, 3], filter: [7, 7, 3, 4], strides: 2, pad: 'same'},
  {name: '3x3 strides [1,2] same', x: [2, 6, 6, 3], filter: [3, 3, 3, 2], strides: [1, 2], pad: 'same'},
  {name: '3x3 explicit pads', x: [2, 6, 5, 3], filter: [3, 3, 3, 2], strides: 1, pad: [[0, 0], [1, 2], [0, 1], [0, 0]]},
  {name: '1x1 explicit pads > filter (stock dx path)', x: [1, 4, 4, 2], filter: [1, 1, 2, 3], strides: 1,
    pad: [[0, 0], [1, 1], [1, 1], [0, 0]]},
];

/** The output shape [N, OH, OW, CO] of a case's forward convolution. */
export function convOutShape(c: ConvCase): number[] {
  return tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad as never).outShape;
}

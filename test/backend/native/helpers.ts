/** Shared by the native backend tests: availability gate, seeded inputs, cpu-vs-native comparison. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs'; // registers tfjs-core's gradients
import {registerNativeBackend} from '../../../src/backend/native';
import {loadAddon, NativeAddon} from '../../../src/backend/native/addon';
import {Rng} from '../../../src/rng';

/** Registration outcome; the suites are `describe.skip` with the reason printed when it is not ok. */
export const status = registerNativeBackend();
if (!status.ok) console.warn(`native backend tests SKIPPED: ${status.reason}`);

/** `describe` when the addon is built, else `describe.skip` with the reason in the title. */
export function describeNative(title: string, body: () => void): void {
  if (status.ok) describe(title, body);
  else describe.skip(`${title} (skipped: ${status.reason})`, body);
}

/** The loaded addon (only call inside describeNative). */
export function nativeAddon(): NativeAddon {
  return loadAddon().addon as NativeAddon;
}

/** Seeded values uniform in [-1, 1). */
export function randomValues(shape: number[], seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < out.length; i++) out[i] = rng.uniformRange(-1, 1);
  return out;
}

/** Runs `f` on `backend` with fresh tensors from `inputs` and returns every output's values. */
export function runOn(backend: string, inputs: Array<{shape: number[]; values: Float32Array}>,
  f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]): Float32Array[] {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.values, i.shape));
    const out = f(...xs);
    return (Array.isArray(out) ? out : [out]).map((t) => t.dataSync() as Float32Array);
  });
}

/** max |a − b| / max(max |b|, 1e-3): the error relative to the reference's scale. */
export function relativeError(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0, scale = 1e-3;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) return Infinity;
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

/**
 * Checks `f` on `opts.backend` (and, with `withGrads`, the gradients of sum(f · w) for a fixed random w w.r.t. every input) on
 * `native` against `cpu`, within `tol` relative error, and that the addon function(s) `expectCalls` were used.
 */
export function expectMatchesCpu(shapes: number[][], f: (...xs: tf.Tensor[]) => tf.Tensor, opts: {
  withGrads?: boolean; tol?: number; expectCalls?: Array<keyof NativeAddon>; seed?: number;
  /** the backend f is checked on (default `native`) */
  backend?: string;
  /** what runs on cpu instead of f (when the cpu kernel itself is the wrong reference) */
  reference?: (...xs: tf.Tensor[]) => tf.Tensor;
} = {}): void {
  const inputs = shapes.map((shape, i) => ({shape, values: randomValues(shape, (opts.seed ?? 1) * 100 + i)}));
  const withGrads = opts.withGrads ?? true;
  const on = (fn: (...xs: tf.Tensor[]) => tf.Tensor) => (...xs: tf.Tensor[]): tf.Tensor[] => {
    const y = fn(...xs);
    if (!withGrads) return [y];
    const w = tf.tensor(randomValues(y.shape, 7), y.shape);
    const grads = tf.grads((...ys: tf.Tensor[]) => tf.sum(tf.mul(fn(...ys), w)))(xs);
    return [y, ...grads];
  };
  const addon = nativeAddon();
  const spies = (opts.expectCalls ?? []).map((name) => jest.spyOn(addon, name));
  const ref = runOn('cpu', inputs, on(opts.reference ?? f));
  const got = runOn(opts.backend ?? 'native', inputs, on(f));
  spies.forEach((s, i) => {
    expect({fn: opts.expectCalls![i], called: s.mock.calls.length > 0}).toEqual({fn: opts.expectCalls![i], called: true});
    s.mockRestore();
  });
  got.forEach((values, i) => {
    const err = relativeError(values, ref[i]);
    expect({output: i, err: err <= (opts.tol ?? 1e-4) ? 'ok' : err}).toEqual({output: i, err: 'ok'});
  });
}

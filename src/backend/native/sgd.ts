/**
 * The fused momentum-SGD step of the `native` backend (native/src/kernels/Sgd.cc). `src/engine/sgd.ts` hands it one
 * parameter group; one addon call then updates every parameter and momentum buffer in place, in one pass over each
 * buffer and with no new tensor per step (the tfjs-op path makes 4–6 element-wise passes and as many new tensors).
 * The addon computes each element with the same f32 operations in the same order as the tfjs-op path, so both give
 * the same numbers (test/backend/native/sgd.test.ts checks this against the cpu backend).
 */
import * as tf from '@tensorflow/tfjs-core';
import type {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {loadAddon} from './addon';

/** The hyper-parameters of one step (src/engine/sgd.ts `SgdOptions` plus this iteration's lr). */
export interface FusedSgdHyper {
  lr: number;
  momentum: number;
  weightDecay: number;
  dampening: number;
  nesterov: boolean;
  /** clip_grad_norm_'s factor min(1, max_norm / (‖g‖ + 1e−6)), computed only when the step runs; none = no clipping */
  gradScale?: () => number;
}

/** One parameter of the group: its gradient and momentum buffer (`null`: momentum 0; `'create'`: first step). */
export interface FusedSgdItem {
  param: tf.Variable;
  grad: tf.Tensor;
  buffer: tf.Variable | null | 'create';
}

/** Whether fused steps can run: the active backend is `native` (so the addon loaded). */
export function fusedSgdAvailable(): boolean {
  return tf.getBackend() === 'native' && loadAddon().addon !== null;
}

/** The backend's own Float32Array of a float32 tensor that lives on the active (native) backend, else undefined. */
function residentValues(backend: MathBackendCPU, t: tf.Tensor): Float32Array | undefined {
  if (t.dtype !== 'float32' || !backend.data.has(t.dataId)) return undefined;
  const values = backend.data.get(t.dataId).values;
  return values instanceof Float32Array ? values : undefined;
}

/**
 * Gives `v` a buffer of its own when another tensor shares it (`tf.variable(t)` and `v.assign(t)` share t's data, and
 * the AutoMix momentum encoder starts as such a copy of the online one), so that writing in place changes only `v`.
 */
function ownValues(backend: MathBackendCPU, v: tf.Variable, values: Float32Array): Float32Array {
  if (backend.refCount(v.dataId) <= 1) return values;
  const copy = tf.tensor(values.slice(), v.shape, 'float32');
  v.assign(copy);
  copy.dispose();
  return backend.data.get(v.dataId).values as Float32Array;
}

/**
 * One step over `items`, in place. Returns the momentum buffers (new ones for `'create'`), or null without touching
 * anything when the step cannot run in place: a tensor is not a float32 array on the active native backend, or a
 * gradient shares its data with a parameter or buffer being written. The caller then runs the tfjs ops.
 */
export function fusedSgdStep(items: FusedSgdItem[], hyper: FusedSgdHyper): Array<tf.Variable | null> | null {
  const addon = loadAddon().addon;
  if (!addon || tf.getBackend() !== 'native') return null;
  const backend = tf.backend() as MathBackendCPU;
  const written = new Set<object>();
  for (const {param, grad, buffer} of items) {
    if (!residentValues(backend, param) || !residentValues(backend, grad)) return null;
    if (buffer !== null && buffer !== 'create' && !residentValues(backend, buffer)) return null;
    written.add(param.dataId);
    if (buffer !== null && buffer !== 'create') written.add(buffer.dataId);
  }
  if (items.some(({grad}) => written.has(grad.dataId))) return null;

  const buffers = items.map(({param, buffer}) => {
    if (buffer !== 'create') return buffer;
    const zeros = tf.zeros(param.shape);
    const v = tf.variable(zeros, false);
    zeros.dispose();
    return v;
  });
  const params = items.map(({param}) => ownValues(backend, param, residentValues(backend, param)!));
  const bufferValues = buffers.map((b) => (b === null ? null : ownValues(backend, b, residentValues(backend, b)!)));
  const grads = items.map(({grad}) => residentValues(backend, grad)!);
  const first = items.map(({buffer}) => buffer === 'create');
  const scale = hyper.gradScale?.();
  addon.sgdStep(params, grads, bufferValues, first, [hyper.lr, hyper.momentum, hyper.weightDecay, hyper.dampening,
    hyper.nesterov ? 1 : 0, scale === undefined ? 0 : 1, scale ?? 1]);
  return buffers;
}

/** Helpers shared by the `native` kernels: typed views of backend data, output allocation, cpu fallbacks. */
import {getKernel, KernelFunc, NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';
import type {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {loadAddon, NativeAddon} from './addon';
import {NativeBackend} from './backend';

/** The backend instance kernels receive: `native` is a MathBackendCPU with some kernels replaced. */
export type Backend = MathBackendCPU;

/** Element-wise kernels below this many output elements run the cpu kernel (the call overhead dominates). */
export const elementwise = {minSize: 4096};

/** The loaded addon (kernels are only registered when it loaded). */
export function addon(): NativeAddon {
  const {addon: a, reason} = loadAddon();
  if (!a) throw new Error(`mixup native backend: ${reason}`);
  return a;
}

/**
 * The Float32Array holding a float32 tensor's data on the backend (no copy). A few cpu kernels relabel other
 * arrays as float32 (Cast from bool keeps its Uint8Array): those are converted (a copy).
 */
export function f32(backend: Backend, t: TensorInfo): Float32Array {
  const values = backend.data.get(t.dataId).values;
  return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
}

/**
 * A float32 output of `shape` and its buffer, to be filled completely by the addon: a reused buffer from the backend's
 * pool (pool.ts) when one of that length is free, so its old contents must all be overwritten.
 */
export function output(backend: Backend, shape: number[]): {info: TensorInfo; buf: Float32Array} {
  const n = shape.reduce((a, b) => a * b, 1);
  const buf = backend instanceof NativeBackend ? backend.pool.takeOutput(n) : new Float32Array(n);
  return {info: backend.makeTensorInfo(shape, 'float32', buf), buf};
}

/** True if every tensor is float32 (the addon only handles f32). */
export function allF32(...ts: Array<TensorInfo | undefined>): boolean {
  return ts.every((t) => t === undefined || t.dtype === 'float32');
}

/** The cpu backend's kernel for `name`: what a native kernel runs for settings it does not handle. */
export function cpuKernel(name: string): KernelFunc {
  const k = getKernel(name, 'cpu');
  if (!k) throw new Error(`mixup native backend: cpu kernel ${name} is not registered`);
  return k.kernelFunc;
}

/** Arguments of a tfjs kernel function. */
export interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  backend: {};
  attrs?: NamedAttrMap;
}

/**
 * The `native` backend instance: tfjs's MathBackendCPU plus the output-buffer pool (pool.ts). Deleting a tensor's data
 * returns its buffer to the pool; reading a tensor's data out of the backend marks the buffer as seen outside.
 */
import {DataId, KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';
import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {BufferPool} from './pool';

export class NativeBackend extends MathBackendCPU {
  readonly pool = new BufferPool();

  override readSync(dataId: DataId): ReturnType<MathBackendCPU['readSync']> {
    if (this.data.has(dataId)) this.pool.escape(this.data.get(dataId).values);
    return super.readSync(dataId);
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const deleted = super.disposeData(dataId, force);
    if (values !== undefined && !this.data.has(dataId)) this.pool.giveBack(values);
    return deleted;
  }

  override dispose(): void {
    this.pool.clear();
    super.dispose();
  }
}

/** The buffer of a tensor on `backend`, when it is a Float32Array. */
function f32Values(backend: MathBackendCPU, t: TensorInfo): Float32Array | undefined {
  if (!backend.data.has(t.dataId)) return undefined;
  const v = backend.data.get(t.dataId).values;
  return v instanceof Float32Array ? v : undefined;
}

/**
 * A kernel registered for `native` (a cpu one, or a native one that may run its cpu fallback), guarded for the pool: when one of its outputs is a new tensor whose array is
 * an input's array or a view of it (a contiguous Slice returns a `subarray`), that input's buffer must never be
 * reused while the output lives, so it is marked as escaped.
 */
export function poolSafeKernel(config: KernelConfig): KernelConfig {
  const inner = config.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const out = inner(args);
    const backend = args.backend as unknown;
    if (!(backend instanceof NativeBackend)) return out;
    const inputs = Object.values(args.inputs).filter((t): t is TensorInfo => t != null);
    const buffers = inputs.map((t) => f32Values(backend, t)?.buffer);
    for (const o of Array.isArray(out) ? out : [out]) {
      const ov = f32Values(backend, o);
      if (!ov) continue;
      buffers.forEach((b, i) => {
        if (b !== undefined && ov.buffer === b && o.dataId !== inputs[i].dataId) backend.pool.escape(f32Values(backend, inputs[i]));
      });
    }
    return out;
  };
  return {...config, kernelFunc};
}

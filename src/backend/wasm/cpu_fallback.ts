/**
 * Kernels the wasm backend lacks and that we do not rewrite on wasm's own kernels: run tfjs's cpu (pure JS)
 * implementation on copies of the inputs and copy the result back into the wasm heap.
 *
 * Slow (two copies plus a JS kernel) but exact; meant for gradients a ResNet step does not use on its hot path
 * (depthwise convolution, gather). Each use is listed in docs/wasm-backend.md.
 */
import {DataType, findBackend, getKernel, KernelBackend, KernelConfig, KernelFunc, NamedTensorInfoMap, TensorInfo}
  from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

/** The wasm backend's view of itself that the copies need (public methods of BackendWasm). */
interface WasmBackendLike extends KernelBackend {
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number, values?: ArrayLike<number>): TensorInfo;
}

/** A wasm `KernelConfig` for `kernelName` that delegates to the cpu backend's kernel of the same name. */
export function cpuFallbackConfig(kernelName: string): KernelConfig {
  const kernelFunc = (args: {inputs: NamedTensorInfoMap, backend: unknown, attrs?: unknown}): TensorInfo => {
    const wasm = args.backend as WasmBackendLike;
    const cpu = findBackend('cpu');
    const cpuKernel = getKernel(kernelName, 'cpu');
    if (cpu === null || cpuKernel === undefined) {
      throw new Error(`wasm patches: ${kernelName} falls back to the cpu backend, which is not available`);
    }
    const cpuInputs: NamedTensorInfoMap = {};
    for (const [name, t] of Object.entries(args.inputs)) {
      if (t === undefined) continue;
      const values = wasm.readSync(t.dataId) as ArrayLike<number>;
      cpuInputs[name] = {dataId: cpu.write(values as Float32Array, t.shape, t.dtype), shape: t.shape, dtype: t.dtype};
    }
    try {
      const out = cpuKernel.kernelFunc({inputs: cpuInputs, attrs: args.attrs as never, backend: cpu}) as TensorInfo;
      const values = cpu.readSync(out.dataId) as ArrayLike<number>;
      cpu.disposeData(out.dataId);
      return wasm.makeOutput(out.shape, out.dtype, undefined, values);
    } finally {
      for (const t of Object.values(cpuInputs)) cpu.disposeData((t as TensorInfo).dataId);
    }
  };
  return {kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc};
}

/**
 * Runs tfjs-backend-wasm's own kernels from inside a patched kernel, and frees the intermediates.
 *
 * A kernel function receives and returns `TensorInfo`s that the engine does not track, so every intermediate we
 * create must be released with `backend.disposeData` (the wasm backend reference-counts data shared by Reshape).
 */
import {getKernel, KernelBackend, NamedAttrMap, NamedTensorInfoMap, TensorInfo} from '@tensorflow/tfjs-core';

/** Calls registered wasm kernels by name and remembers their outputs until `dispose()`. */
export class WasmKernelRunner {
  private readonly temps: TensorInfo[] = [];

  constructor(private readonly backend: KernelBackend) {}

  /** Runs the wasm kernel `kernelName`; its output is freed by `dispose()` unless passed to `keep()`. */
  run(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = getKernel(kernelName, 'wasm');
    if (kernel === undefined) {
      throw new Error(`wasm patches: kernel '${kernelName}' is not registered for backend 'wasm'; ` +
        `import '@tensorflow/tfjs-backend-wasm' before calling registerWasmPatches()`);
    }
    const out = kernel.kernelFunc({inputs, attrs, backend: this.backend}) as TensorInfo;
    this.temps.push(out);
    return out;
  }

  /** `Reshape` without a copy (shares the data, bumps its reference count). */
  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', {x}, {shape});
  }

  /** Frees `t` now (before `dispose()`), to bound the peak memory inside a loop. */
  release(t: TensorInfo): void {
    const i = this.temps.indexOf(t);
    if (i >= 0) {
      this.temps.splice(i, 1);
      this.backend.disposeData(t.dataId);
    }
  }

  /** Exempts `t` from `dispose()`: it becomes the kernel's output. */
  keep(t: TensorInfo): TensorInfo {
    const i = this.temps.indexOf(t);
    if (i >= 0) this.temps.splice(i, 1);
    return t;
  }

  /** Frees every output not kept. */
  dispose(): void {
    for (const t of this.temps.splice(0)) this.backend.disposeData(t.dataId);
  }
}

/** Runs `body` with a fresh runner and always frees its intermediates; `body` returns the kept output. */
export function withRunner(backend: KernelBackend, body: (r: WasmKernelRunner) => TensorInfo): TensorInfo {
  const runner = new WasmKernelRunner(backend);
  try {
    return runner.keep(body(runner));
  } finally {
    runner.dispose();
  }
}

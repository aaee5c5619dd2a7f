/**
 * A faster `Tile` for the wasm backend. tfjs's batch-norm gradient tiles per-channel vectors [1, 1, 1, C] up to the
 * activation's shape, and the stock 4.22 kernel computes every output element's source index with divisions: it took
 * 29% of a small-ResNet training step (docs/wasm-backend.md).
 *
 * Here each axis d with reps[d] > 1 is tiled in one pass of block copies (TypedArray.set, i.e. memcpy), innermost
 * axis first: with `outer` = Π x.shape[0..d) and `block` = x.shape[d] · Π out.shape(d..R) (axes after d already
 * tiled), block i is written reps[d] times at offsets (i · reps[d] + j) · block. Numeric dtypes only, like the
 * stock kernel (which aborts the wasm module on strings).
 */
import {DataType, KernelConfig, KernelFunc, TensorInfo, TileAttrs, TileInputs} from '@tensorflow/tfjs-core';

/** The BackendWasm methods used here (public in tfjs-backend-wasm). */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** out[i0, ..., iR−1] = x[i0 mod s0, ..., iR−1 mod sR−1], out.shape[d] = x.shape[d] · reps[d]. */
function tile(args: {inputs: TileInputs, backend: unknown, attrs: TileAttrs}): TensorInfo {
  const x = args.inputs.x as TensorInfo;
  const reps = args.attrs.reps;
  const backend = args.backend as WasmHeapBackend;
  if (x.dtype === 'string' || x.dtype === 'complex64') {
    // the stock 4.22 kernel aborts the wasm module on strings, so there is nothing to delegate to
    throw new Error(`wasm backend Tile does not support dtype '${x.dtype}'. Please use the cpu backend for it.`);
  }
  const rank = x.shape.length;
  const outShape = x.shape.map((s, d) => s * reps[d]);
  let values: Float32Array | Int32Array | Uint8Array = backend.typedArrayFromHeap(x).slice(); // copy: heap may grow
  let inner = 1; // Π out.shape(d..R): size of the already tiled trailing axes
  for (let d = rank - 1; d >= 0; d--) {
    const block = x.shape[d] * inner; // one slice along axes [d, R)
    const outer = values.length / block; // Π x.shape[0..d)
    if (reps[d] > 1 && block > 0) {
      const next = new (values.constructor as Float32ArrayConstructor)(values.length * reps[d]);
      for (let i = 0; i < outer; i++) {
        const src = values.subarray(i * block, (i + 1) * block);
        for (let j = 0; j < reps[d]; j++) next.set(src, (i * reps[d] + j) * block);
      }
      values = next;
    }
    inner *= outShape[d];
  }
  const out = backend.makeOutput(outShape, x.dtype);
  backend.typedArrayFromHeap(out).set(values);
  return out;
}

/** Registration record for `registerWasmPatches()` (replaces the stock kernel). */
export const tileConfig: KernelConfig = {
  kernelName: 'Tile',
  backendName: 'wasm',
  kernelFunc: tile as unknown as KernelFunc,
};

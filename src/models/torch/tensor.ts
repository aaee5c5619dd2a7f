/**
 * Tensors as raw little-endian bytes with a dtype, the common currency of the weight converters: a PyTorch storage
 * slice, a safetensors entry and a checkpoint tensor are all `RawTensor`s, so a conversion copies bytes and a round
 * trip is bit-exact (float16 stays float16, `num_batches_tracked` stays int64).
 */

/**
 * Axis permutations between torch's layouts and tfjs's: a conv kernel is OIHW in torch and HWIO in tfjs, a dense
 * kernel `[out, in]` in torch and `[in, out]` in tfjs (`permuteTensor(t, HWIO_TO_OIHW)`; `out.shape[i] = shape[perm[i]]`).
 */
export const OIHW_TO_HWIO: readonly number[] = [2, 3, 1, 0];
export const HWIO_TO_OIHW: readonly number[] = [3, 2, 0, 1];
export const DENSE_TRANSPOSE: readonly number[] = [1, 0];

/** Element types, by their safetensors names (torch: float64, float32, float16, bfloat16, int64, ... bool). */
export type Dtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

/** Bytes per element of each dtype. */
export const DTYPE_BYTES: Readonly<Record<Dtype, number>> = {F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1};

/** One dense, row-major (C-contiguous) tensor: `bytes.length === numel(shape) · DTYPE_BYTES[dtype]`. */
export interface RawTensor {
  dtype: Dtype;
  shape: number[];
  bytes: Uint8Array;
}

/** Whether `s` is a dtype name. */
export function isDtype(s: unknown): s is Dtype {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(DTYPE_BYTES, s);
}

/** Number of elements of a shape (1 for a scalar `[]`). */
export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Row-major strides of a shape, in elements. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = step;
    step *= shape[d];
  }
  return strides;
}

/**
 * Gathers a strided view (`offset`, `strides` in elements, as torch's `as_strided`) of `source` into a new
 * contiguous buffer. The caller has checked that every index lies inside `source`. Elements are copied as integer
 * words (never through a float type, so NaN payloads survive), the innermost axis in a tight loop.
 */
export function gatherStrided(source: Uint8Array, itemBytes: number, shape: readonly number[], strides: readonly number[], offset: number): Uint8Array {
  const n = numel(shape);
  const dense = contiguousStrides(shape);
  const contiguous = strides.every((s, d) => shape[d] === 1 || s === dense[d]);
  if (contiguous) return new Uint8Array(source.subarray(offset * itemBytes, (offset + n) * itemBytes)); // a copy (never a Buffer view)
  const out = new Uint8Array(n * itemBytes);
  if (n === 0) return out;
  // words per element: 4-byte words for 4- and 8-byte types, else 2- or 1-byte words
  const wordBytes = itemBytes >= 4 ? 4 : itemBytes;
  const k = itemBytes / wordBytes;
  const aligned = source.byteOffset % wordBytes === 0 ? source : source.slice();
  const Words = wordBytes === 4 ? Uint32Array : wordBytes === 2 ? Uint16Array : Uint8Array;
  const src = new Words(aligned.buffer as ArrayBuffer, aligned.byteOffset, aligned.byteLength / wordBytes);
  const dst = new Words(out.buffer);
  const rank = shape.length;
  const inner = shape[rank - 1];
  const innerStride = strides[rank - 1] * k;
  const index = new Array<number>(rank).fill(0);
  let base = offset;
  let o = 0;
  for (let row = 0; row < n / inner; row++) {
    let at = base * k;
    for (let i = 0; i < inner; i++, at += innerStride) for (let w = 0; w < k; w++) dst[o++] = src[at + w];
    for (let d = rank - 2; d >= 0; d--) {
      base += strides[d];
      if (++index[d] < shape[d]) break;
      base -= strides[d] * shape[d];
      index[d] = 0;
    }
  }
  return out;
}

/**
 * The tensor with its axes permuted (`out.shape[i] = t.shape[perm[i]]`), e.g. `[3, 2, 0, 1]` takes a tfjs HWIO conv
 * kernel to torch's OIHW and `[1, 0]` transposes a dense kernel.
 */
export function permuteTensor(t: RawTensor, perm: readonly number[]): RawTensor {
  const strides = contiguousStrides(t.shape);
  const shape = perm.map((p) => t.shape[p]);
  const bytes = gatherStrided(t.bytes, DTYPE_BYTES[t.dtype], shape, perm.map((p) => strides[p]), 0);
  return {dtype: t.dtype, shape, bytes};
}

/** The values as float32 (int64 via Number, float16/bfloat16 widened), little-endian host assumed by tfjs too. */
export function toFloat32(t: RawTensor): Float32Array {
  const n = numel(t.shape);
  const view = new DataView(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength);
  const out = new Float32Array(n);
  switch (t.dtype) {
    case 'F32':
      if (LITTLE_ENDIAN_HOST) new Uint8Array(out.buffer).set(t.bytes); // one copy (the source need not be 4-byte aligned)
      else for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
      break;
    case 'F64':
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
      break;
    case 'F16':
      for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
      break;
    case 'BF16':
      for (let i = 0; i < n; i++) out[i] = bf16ToFloat(view.getUint16(2 * i, true));
      break;
    case 'I64':
      for (let i = 0; i < n; i++) out[i] = Number(view.getBigInt64(8 * i, true));
      break;
    case 'I32':
      for (let i = 0; i < n; i++) out[i] = view.getInt32(4 * i, true);
      break;
    case 'I16':
      for (let i = 0; i < n; i++) out[i] = view.getInt16(2 * i, true);
      break;
    case 'I8':
      for (let i = 0; i < n; i++) out[i] = view.getInt8(i);
      break;
    default: // U8, BOOL
      for (let i = 0; i < n; i++) out[i] = view.getUint8(i);
  }
  return out;
}

/** A float32 tensor from values (little-endian bytes). */
export function fromFloat32(shape: number[], data: Float32Array): RawTensor {
  if (LITTLE_ENDIAN_HOST) return {dtype: 'F32', shape, bytes: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength))};
  const bytes = new Uint8Array(4 * data.length);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i], true);
  return {dtype: 'F32', shape, bytes};
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** An int64 scalar tensor (torch's `num_batches_tracked`). */
export function int64Scalar(value: bigint): RawTensor {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigInt64(0, value, true);
  return {dtype: 'I64', shape: [], bytes};
}

const F32_BITS = new Float32Array(1);
const U32_BITS = new Uint32Array(F32_BITS.buffer);

/** IEEE half (binary16) bits to a number: sign · 2^(e−15) · (1 + m/1024), subnormals 2^−14 · m/1024. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * 2 ** -14 * (m / 1024);
  if (e === 31) return m ? NaN : sign * Infinity;
  return sign * 2 ** (e - 15) * (1 + m / 1024);
}

/** bfloat16 bits are the top 16 bits of a float32. */
export function bf16ToFloat(h: number): number {
  U32_BITS[0] = h << 16;
  return F32_BITS[0];
}

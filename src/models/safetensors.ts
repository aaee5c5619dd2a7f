/**
 * Reading and writing safetensors files (https://github.com/huggingface/safetensors, "Format" section):
 *
 *     [8 bytes: N, little-endian u64] [N bytes: UTF-8 JSON header] [raw little-endian tensor bytes]
 *
 * The header maps each tensor name to `{"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}` (offsets
 * relative to the first byte after the header) plus an optional `"__metadata__"` string map. Every tensor is
 * returned as float32: F32 as is; F16, BF16, F64 and the integer types (torch's I64 `num_batches_tracked`) converted.
 */
import {dataError} from '../errors';
import {INPUT_LIMITS, readInputBytes} from '../io/read';
import {writeFileAtomic} from '../io/write';

/** One tensor read from a safetensors file, converted to float32. */
export interface SafetensorsEntry {
  /** the stored dtype ("F32", "F16", "BF16", "I64", ...) */
  dtype: string;
  shape: number[];
  data: Float32Array;
}

const BYTES: Record<string, number> = {F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1};
/** headers bigger than this are refused as corrupt (the reference implementation's limit is 100 MB) */
const MAX_HEADER = 100 * 1024 * 1024;

/**
 * Reads every tensor of a safetensors file.
 * @throws MixupError (data) naming the file (and tensor) when the file is missing, truncated or malformed
 */
export function readSafetensors(path: string): Map<string, SafetensorsEntry> {
  const buf = readInputBytes(path, {what: 'safetensors file', maxBytes: INPUT_LIMITS.checkpoint, shown: path});
  const bad = (what: string) => dataError(`${path}: not a valid safetensors file: ${what}`);
  if (buf.length < 8) throw bad(`${buf.length} bytes, shorter than the 8-byte header length`);
  const headerLen = Number(buf.readBigUInt64LE(0));
  if (headerLen > MAX_HEADER || 8 + headerLen > buf.length) throw bad(`header length ${headerLen} does not fit the file size ${buf.length}`);
  let header: unknown;
  try {
    header = JSON.parse(buf.toString('utf8', 8, 8 + headerLen));
  } catch (error) {
    throw bad(`header is not JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw bad('header is not a JSON object');
  const dataStart = 8 + headerLen;
  const out = new Map<string, SafetensorsEntry>();
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const {dtype, shape, data_offsets: offsets} = (info ?? {}) as {dtype?: unknown; shape?: unknown; data_offsets?: unknown};
    if (typeof dtype !== 'string' || !(dtype in BYTES)) throw bad(`tensor "${name}" has unsupported dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(BYTES).join(', ')})`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw bad(`tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((d) => Number.isInteger(d) && d >= 0)) {
      throw bad(`tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as number[];
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== size * BYTES[dtype] || dataStart + end > buf.length) {
      throw bad(`tensor "${name}" (${dtype} [${shape.join(', ')}]) has data_offsets [${begin}, ${end}] that do not match its size ${size * BYTES[dtype]} bytes or the file size ${buf.length}`);
    }
    out.set(name, {dtype, shape: shape as number[], data: toFloat32(buf, dataStart + begin, size, dtype)});
  }
  return out;
}

function toFloat32(buf: Buffer, offset: number, size: number, dtype: string): Float32Array {
  const out = new Float32Array(size);
  const read: (i: number) => number = {
    F32: (i: number) => buf.readFloatLE(offset + 4 * i),
    F64: (i: number) => buf.readDoubleLE(offset + 8 * i),
    F16: (i: number) => halfToFloat(buf.readUInt16LE(offset + 2 * i)),
    BF16: (i: number) => bf16ToFloat(buf.readUInt16LE(offset + 2 * i)),
    I64: (i: number) => Number(buf.readBigInt64LE(offset + 8 * i)),
    I32: (i: number) => buf.readInt32LE(offset + 4 * i),
    I16: (i: number) => buf.readInt16LE(offset + 2 * i),
    I8: (i: number) => buf.readInt8(offset + i),
    U8: (i: number) => buf.readUInt8(offset + i),
    BOOL: (i: number) => buf.readUInt8(offset + i),
  }[dtype]!;
  if (dtype === 'F32') {
    // fast path: one copy of the bytes (the source offset need not be 4-byte aligned)
    const bytes = new Uint8Array(out.buffer);
    bytes.set(buf.subarray(offset, offset + 4 * size));
    if (isBigEndianHost()) for (let i = 0; i < size; i++) out[i] = read(i);
    return out;
  }
  for (let i = 0; i < size; i++) out[i] = read(i);
  return out;
}

const F32_BITS = new Float32Array(1);
const U32_BITS = new Uint32Array(F32_BITS.buffer);

/** IEEE half (binary16) bits to a number: sign · 2^(e−15) · (1 + m/1024), subnormals 2^−14 · m/1024. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * 2 ** -14 * (m / 1024);
  if (e === 31) return m ? NaN : sign * Infinity;
  return sign * 2 ** (e - 15) * (1 + m / 1024);
}

/** bfloat16 bits are the top 16 bits of a float32. */
function bf16ToFloat(h: number): number {
  U32_BITS[0] = h << 16;
  return F32_BITS[0];
}

function isBigEndianHost(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 0;
}

/**
 * Writes float32 tensors as a safetensors file, atomically (`src/io/write.ts`: temp file, fsync, rename).
 * @param entries name -> {shape, data}; written in the map's order
 * @param metadata optional `__metadata__` string map
 * @throws MixupError (io) when the file cannot be written; RangeError when a data length does not match its shape
 */
export function writeSafetensors(path: string, entries: Map<string, {shape: number[]; data: Float32Array}>, metadata?: Record<string, string>): void {
  const header: Record<string, unknown> = metadata ? {__metadata__: metadata} : {};
  let offset = 0;
  for (const [name, {shape, data}] of entries) {
    const size = shape.reduce((a, b) => a * b, 1);
    if (size !== data.length) throw new RangeError(`writeSafetensors: tensor "${name}" has shape [${shape.join(', ')}] (${size} values) but ${data.length} values`);
    header[name] = {dtype: 'F32', shape, data_offsets: [offset, offset + 4 * size]};
    offset += 4 * size;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8); // data aligned to 8 bytes, as the reference writer does
  const headerBytes = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let pos = 8 + headerBytes.length;
  for (const {data} of entries.values()) {
    for (let i = 0; i < data.length; i++) out.writeFloatLE(data[i], pos + 4 * i);
    pos += 4 * data.length;
  }
  writeFileAtomic(path, out, {overwrite: true});
}

/**
 * Reading and writing safetensors files (https://github.com/huggingface/safetensors, "Format" section):
 *
 *     [8 bytes: N, little-endian u64] [N bytes: UTF-8 JSON header] [raw little-endian tensor bytes]
 *
 * The header maps each tensor name to `{"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}` (offsets
 * relative to the first byte after the header) plus an optional `"__metadata__"` string map. Every tensor is
 * returned as float32 by `readSafetensors` (F32 as is; F16, BF16, F64 and the integer types, e.g. torch's I64
 * `num_batches_tracked`, converted), or as stored by `readSafetensorsRaw` (the weight converter: bit-exact).
 */
import {dataError} from '../errors';
import {INPUT_LIMITS, readInputBytes} from '../io/read';
import {writeFileAtomic} from '../io/write';
import {DTYPE_BYTES, type Dtype, fromFloat32, isDtype, numel, type RawTensor, toFloat32} from './torch/tensor';

/** One tensor read from a safetensors file, converted to float32. */
export interface SafetensorsEntry {
  /** the stored dtype ("F32", "F16", "BF16", "I64", ...) */
  dtype: string;
  shape: number[];
  data: Float32Array;
}

/** headers bigger than this are refused as corrupt (the reference implementation's limit is 100 MB) */
const MAX_HEADER = 100 * 1024 * 1024;

/** The tensors of a safetensors file as stored, and its `__metadata__`. */
export interface SafetensorsFile {
  tensors: Map<string, RawTensor>;
  metadata: Record<string, string>;
}

/**
 * Reads every tensor of a safetensors file, as stored (dtype and bytes).
 * @param shown how the file is named in errors (default: the path)
 * @throws MixupError (data) naming the file (and tensor) when the file is missing, truncated or malformed
 */
export function readSafetensorsRaw(path: string, shown = path): SafetensorsFile {
  const buf = readInputBytes(path, {what: 'safetensors file', maxBytes: INPUT_LIMITS.checkpoint, shown});
  const bad = (what: string) => dataError(`${shown}: not a valid safetensors file: ${what}`);
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
  const tensors = new Map<string, RawTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof info !== 'object' || info === null || Array.isArray(info) || !Object.values(info).every((v) => typeof v === 'string')) {
        throw bad('__metadata__ is not a map of strings');
      }
      metadata = info as Record<string, string>;
      continue;
    }
    const {dtype, shape, data_offsets: offsets} = (info ?? {}) as {dtype?: unknown; shape?: unknown; data_offsets?: unknown};
    if (!isDtype(dtype)) throw bad(`tensor "${name}" has unsupported dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(DTYPE_BYTES).join(', ')})`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw bad(`tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((d) => Number.isInteger(d) && d >= 0)) {
      throw bad(`tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as number[];
    const size = numel(shape as number[]);
    if (end - begin !== size * DTYPE_BYTES[dtype] || dataStart + end > buf.length) {
      throw bad(`tensor "${name}" (${dtype} [${shape.join(', ')}]) has data_offsets [${begin}, ${end}] that do not match its size ${size * DTYPE_BYTES[dtype]} bytes or the file size ${buf.length}`);
    }
    tensors.set(name, {dtype, shape: shape as number[], bytes: new Uint8Array(buf.buffer, buf.byteOffset + dataStart + begin, end - begin)});
  }
  return {tensors, metadata};
}

/**
 * Reads every tensor of a safetensors file, converted to float32.
 * @throws MixupError (data) naming the file (and tensor) when the file is missing, truncated or malformed
 */
export function readSafetensors(path: string): Map<string, SafetensorsEntry> {
  const out = new Map<string, SafetensorsEntry>();
  for (const [name, t] of readSafetensorsRaw(path).tensors) out.set(name, {dtype: t.dtype, shape: t.shape, data: toFloat32(t)});
  return out;
}

/**
 * Writes tensors as stored (any dtype) as a safetensors file, atomically (`src/io/write.ts`: temp file, fsync,
 * rename).
 * @param tensors name -> tensor, written in the map's order
 * @param metadata optional `__metadata__` string map
 * @param overwrite replace an existing file (`--force`); false refuses with "use --force"
 * @throws MixupError (io) when the file cannot be written or exists; RangeError when a byte length does not match a shape
 */
export function writeSafetensorsRaw(path: string, tensors: ReadonlyMap<string, RawTensor>, metadata: Record<string, string> | undefined, overwrite: boolean): void {
  const header: Record<string, unknown> = metadata ? {__metadata__: metadata} : {};
  let offset = 0;
  for (const [name, {dtype, shape, bytes}] of tensors) {
    const size = numel(shape) * DTYPE_BYTES[dtype];
    if (size !== bytes.length) throw new RangeError(`writeSafetensors: tensor "${name}" (${dtype} [${shape.join(', ')}]) needs ${size} bytes, got ${bytes.length}`);
    header[name] = {dtype, shape, data_offsets: [offset, offset + size]};
    offset += size;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8); // data aligned to 8 bytes, as the reference writer does
  const headerBytes = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let pos = 8 + headerBytes.length;
  for (const {bytes} of tensors.values()) {
    out.set(bytes, pos);
    pos += bytes.length;
  }
  writeFileAtomic(path, out, {overwrite});
}

/**
 * Writes float32 tensors as a safetensors file, atomically, replacing an existing file.
 * @param entries name -> {shape, data}; written in the map's order
 * @param metadata optional `__metadata__` string map
 * @throws MixupError (io) when the file cannot be written; RangeError when a data length does not match its shape
 */
export function writeSafetensors(path: string, entries: Map<string, {shape: number[]; data: Float32Array}>, metadata?: Record<string, string>): void {
  const tensors = new Map<string, RawTensor>();
  for (const [name, {shape, data}] of entries) {
    if (numel(shape) !== data.length) throw new RangeError(`writeSafetensors: tensor "${name}" has shape [${shape.join(', ')}] (${numel(shape)} values) but ${data.length} values`);
    tensors.set(name, fromFloat32(shape, data));
  }
  writeSafetensorsRaw(path, tensors, metadata, true);
}

export type {Dtype, RawTensor};

/**
 * The IDX file format of MNIST and Fashion-MNIST (LeCun et al., http://yann.lecun.com/exdb/mnist/): a 4-byte magic
 * `0x00 0x00 <type> <ndims>`, `ndims` big-endian uint32 sizes, then the values in row-major order. Only type 0x08
 * (unsigned byte: images and labels) is read. gzip-compressed files (`*.gz`, as Debian ships them) are inflated first.
 */
import * as zlib from 'node:zlib';
import {dataError} from '../errors';
import {INPUT_LIMITS, readInputBytes} from '../io/read';

/** An IDX array: its sizes and its bytes (`data.length` = product of `dims`). */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const TYPE_NAMES: Record<number, string> = {0x08: 'unsigned byte', 0x09: 'signed byte', 0x0b: 'short', 0x0c: 'int', 0x0d: 'float', 0x0e: 'double'};

/**
 * Parses IDX bytes (gzip-compressed or not); `file` names them in errors.
 * @throws MixupError (data) naming `file` for a bad gzip stream, a wrong magic, an unsupported type, or a size
 *   that does not match the header (truncated or trailing bytes).
 */
export function parseIdx(input: Uint8Array, file: string): IdxArray {
  let bytes = input;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      const out = zlib.gunzipSync(bytes);
      bytes = new Uint8Array(out.buffer, out.byteOffset, out.length);
    } catch (error) {
      throw dataError(`${file}: not a valid gzip file (${(error as Error).message}); the download may be truncated`, {cause: error});
    }
  }
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw dataError(`${file}: not an IDX file (magic bytes ${head || 'missing'}, expected 00 00 <type> <ndims>)`);
  }
  const type = bytes[2];
  const ndims = bytes[3];
  if (type !== 0x08) throw dataError(`${file}: IDX data type 0x${type.toString(16).padStart(2, '0')} (${TYPE_NAMES[type] ?? 'unknown'}) is not supported; expected 0x08 (unsigned byte)`);
  if (ndims === 0) throw dataError(`${file}: IDX header declares 0 dimensions`);
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) throw dataError(`${file}: truncated IDX header (${bytes.length} bytes, the header of ${ndims} dimensions needs ${headerBytes})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({length: ndims}, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const found = bytes.length - headerBytes;
  if (found !== count) {
    const what = found < count ? 'truncated' : 'has trailing bytes';
    throw dataError(`${file}: ${what}: the header declares ${dims.join('x')} = ${count} values, the file holds ${found}`);
  }
  return {dims, data: bytes.subarray(headerBytes)};
}

/**
 * Reads an IDX file (gzip-compressed or not).
 * @throws MixupError (data) naming the file when it cannot be read or parsed (see `parseIdx`).
 */
export function readIdx(file: string): IdxArray {
  const bytes = readInputBytes(file, {what: 'IDX file', maxBytes: INPUT_LIMITS.list, shown: file});
  return parseIdx(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), file);
}

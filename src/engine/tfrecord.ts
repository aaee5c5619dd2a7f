/**
 * TFRecord framing, the container of TensorBoard's `events.out.tfevents.*` files (TensorFlow
 * `tensorflow/core/lib/io/record_writer.cc`). Each record is
 *
 *     uint64 length (little-endian) | uint32 masked_crc32c(length bytes) | data[length] | uint32 masked_crc32c(data)
 *
 * with CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) and TensorFlow's mask
 * `masked = ((crc >>> 15) | (crc << 17)) + 0xa282ead8 (mod 2^32)`, so that a CRC of data holding CRCs stays distinct.
 */
import {CRC32_CASTAGNOLI, reflectedCrc32} from '../io/crc32';

/** CRC-32C (Castagnoli) of `bytes`, as an unsigned 32-bit integer; `crc32c("123456789") = 0xe3069283`. */
export const crc32c: (bytes: Uint8Array) => number = reflectedCrc32(CRC32_CASTAGNOLI);

/** TensorFlow's masked CRC-32C: `((crc >>> 15) | (crc << 17)) + 0xa282ead8`, unsigned 32-bit. */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** One record's bytes: length, its masked CRC, `data`, the data's masked CRC (16 + `data.length` bytes). */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + data.length);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** Why a file's records cannot be read: the byte offset of the bad record and what is wrong with it. */
export class RecordError extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(`record at byte ${offset}: ${problem}`);
  }
}

/**
 * Splits TFRecord bytes into their records' data, checking both CRCs of every record.
 * @throws RecordError naming the offset: a truncated record or a CRC mismatch
 */
export function readRecords(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < 12) throw new RecordError(at, `truncated header (${bytes.length - at} of 12 bytes)`);
    const length = Number(view.getBigUint64(at, true));
    const lengthCrc = view.getUint32(at + 8, true);
    if (lengthCrc !== maskedCrc32c(bytes.subarray(at, at + 8))) throw new RecordError(at, 'length CRC mismatch');
    const end = at + 12 + length;
    if (end + 4 > bytes.length) throw new RecordError(at, `truncated data (${length} bytes announced, ${bytes.length - at - 12} present)`);
    const data = bytes.subarray(at + 12, end);
    if (view.getUint32(end, true) !== maskedCrc32c(data)) throw new RecordError(at, 'data CRC mismatch');
    records.push(data);
    at = end + 4;
  }
  return records;
}

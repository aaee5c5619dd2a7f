/**
 * The zip container of PyTorch files (`torch.save` since torch 1.6: `<archive>/data.pkl`, `<archive>/data/<key>`,
 * `<archive>/version`), after PKWARE's APPNOTE.TXT: local file headers, a central directory and its end record.
 *
 * Reading accepts stored and deflated entries (torch writes stored ones) and checks every CRC-32. Writing produces
 * what torch's own writer does: stored entries whose data start on a 64-byte boundary (padded with an extra field
 * "FB", so the storages can be memory-mapped) and no zip64 (files up to 4 GiB).
 * No npm zip library is used: none produces the 64-byte alignment, and both halves are a page of code on node:zlib.
 */
import * as zlib from 'node:zlib';
import {dataError} from '../../errors';
import {CRC32_ISO_HDLC, reflectedCrc32} from '../../io/crc32';

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const ZIP64_END_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;
const ZIP64_EXTRA = 0x0001;
/** torch aligns every entry's data to this many bytes */
export const ZIP_ALIGNMENT = 64;

/** CRC-32 (ISO-HDLC, as zip uses) of `bytes`. */
export const crc32 = reflectedCrc32(CRC32_ISO_HDLC);

/**
 * The entries of a zip file by name (the bytes of stored entries are views into `buf`).
 * @param source the file name used in errors
 * @throws MixupError (data) naming the file and the entry for anything that is not a well-formed zip
 */
export function readZip(buf: Buffer, source: string): Map<string, Uint8Array> {
  const bad = (why: string) => dataError(`${source}: not a valid zip archive (PyTorch file): ${why}`);
  let end = -1;
  for (let at = buf.length - 22; at >= Math.max(0, buf.length - 22 - 0xffff); at--) {
    if (buf.readUInt32LE(at) === END) {
      end = at;
      break;
    }
  }
  if (end < 0) throw bad('no end-of-central-directory record (truncated file?)');
  let count = buf.readUInt16LE(end + 10);
  let dirSize = buf.readUInt32LE(end + 12);
  let dirOffset = buf.readUInt32LE(end + 16);
  if (end >= 20 && buf.readUInt32LE(end - 20) === ZIP64_END_LOCATOR) {
    // torch's writer (miniz) always adds the zip64 end records
    const at64 = Number(buf.readBigUInt64LE(end - 20 + 8));
    if (at64 + 56 > end || buf.readUInt32LE(at64) !== ZIP64_END) throw bad(`zip64 end record at byte ${at64} is malformed`);
    count = Number(buf.readBigUInt64LE(at64 + 32));
    dirSize = Number(buf.readBigUInt64LE(at64 + 40));
    dirOffset = Number(buf.readBigUInt64LE(at64 + 48));
  }
  if (dirOffset + dirSize > end) throw bad(`central directory at ${dirOffset} (+${dirSize} bytes) lies outside the file`);
  const out = new Map<string, Uint8Array>();
  let at = dirOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || buf.readUInt32LE(at) !== CENTRAL) throw bad(`central directory entry ${i} at byte ${at} is malformed`);
    const flags = buf.readUInt16LE(at + 8);
    const method = buf.readUInt16LE(at + 10);
    const crc = buf.readUInt32LE(at + 16);
    let packed = buf.readUInt32LE(at + 20);
    let size = buf.readUInt32LE(at + 24);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    let local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    const zip64 = findExtra(buf.subarray(at + 46 + nameLen, at + 46 + nameLen + extraLen), ZIP64_EXTRA);
    if (zip64) {
      // the 8-byte values present are those whose 4-byte field is 0xffffffff, in this order
      let k = 0;
      const next = () => Number(zip64.readBigUInt64LE((k += 8) - 8));
      if (size === 0xffffffff) size = next();
      if (packed === 0xffffffff) packed = next();
      if (local === 0xffffffff) local = next();
    }
    at += 46 + nameLen + extraLen + commentLen;
    if (flags & 1) throw bad(`entry "${name}" is encrypted`);
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== LOCAL) throw bad(`entry "${name}": no local header at byte ${local}`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    if (start + packed > buf.length) throw bad(`entry "${name}" (${packed} bytes at ${start}) runs past the end of the file (truncated?)`);
    const raw = buf.subarray(start, start + packed);
    let data: Uint8Array;
    if (method === 0) data = raw;
    else if (method === 8) {
      try {
        data = zlib.inflateRawSync(raw);
      } catch (error) {
        throw bad(`entry "${name}" does not inflate: ${(error as Error).message}`);
      }
    } else throw bad(`entry "${name}" uses compression method ${method} (only stored and deflate are read)`);
    if (data.length !== size) throw bad(`entry "${name}" has ${data.length} bytes, the directory says ${size}`);
    if (crc32(data) !== crc) throw bad(`entry "${name}" fails its CRC-32 check (corrupt file)`);
    if (out.has(name)) throw bad(`entry "${name}" appears twice`);
    out.set(name, data);
  }
  return out;
}

/** The data of extra field `id` in a zip extra-field block, if present. */
function findExtra(block: Buffer, id: number): Buffer | undefined {
  for (let at = 0; at + 4 <= block.length; ) {
    const len = block.readUInt16LE(at + 2);
    if (block.readUInt16LE(at) === id) return block.subarray(at + 4, at + 4 + len);
    at += 4 + len;
  }
  return undefined;
}

/**
 * A zip archive of stored entries, in the given order, each entry's data aligned to `ZIP_ALIGNMENT` bytes.
 * @throws RangeError past 4 GiB or 65535 entries (zip64 is not written)
 */
export function writeZip(entries: ReadonlyArray<[string, Uint8Array]>): Buffer {
  if (entries.length > 0xffff) throw new RangeError(`writeZip: ${entries.length} entries, more than the 65535 a zip without zip64 holds`);
  const parts: Uint8Array[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    // extra field "FB" + 2-byte length + 'Z' padding up to the next 64-byte boundary, as torch's writer does
    const pad = (ZIP_ALIGNMENT - ((offset + 30 + nameBytes.length + 4) % ZIP_ALIGNMENT)) % ZIP_ALIGNMENT;
    const extra = Buffer.alloc(4 + pad, 'Z');
    extra.write('FB', 0, 'latin1');
    extra.writeUInt16LE(pad, 2);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL, 0);
    header.writeUInt16LE(20, 4); // version needed: 2.0
    header.writeUInt16LE(0x0800, 6); // UTF-8 names
    header.writeUInt16LE(0, 8); // stored
    header.writeUInt32LE(crc, 14);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(data.length, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    header.writeUInt16LE(extra.length, 28);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(CENTRAL, 0);
    dir.writeUInt16LE(20, 4); // made by
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(nameBytes.length, 28);
    dir.writeUInt32LE(offset, 42);
    central.push(dir, nameBytes);
    parts.push(header, nameBytes, extra, data);
    offset += header.length + nameBytes.length + extra.length + data.length;
    if (offset > 0xffffffff) throw new RangeError('writeZip: archive larger than 4 GiB (zip64 is not written)');
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, dirBytes, end]);
}

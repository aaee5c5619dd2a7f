/**
 * torch's legacy file format (torch < 1.6, or `torch.save(..., _use_new_zipfile_serialization=False)`;
 * `torch/serialization.py` `_legacy_save`): five things in a row,
 *
 *     pickle(magic number 0x1950a86a20f9469cfc6c) pickle(1001) pickle(sys_info) pickle(obj) pickle(sorted storage keys)
 *     then per key: int64 little-endian element count, the storage's raw bytes
 *
 * with persistent ids `('storage', torch.FloatStorage, key, location, numel, view)` in `obj`. The storages come after
 * the object, so `obj` is unpickled twice: once to learn each storage's dtype and size (and where the pickle ends),
 * once with the real bytes. Uses the same allowed globals as the zip format (`globals.ts`).
 */
import {dataError} from '../../errors';
import {torchUnpickleOptions} from './globals';
import {type PyValue, unpickleAt, type UnpickleOptions} from './pickle';
import {DTYPE_BYTES, type Dtype} from './tensor';

const MAGIC = 0x1950a86a20f9469cfc6cn;
const PROTOCOL_VERSION = 1001;

/**
 * The object of a legacy-format PyTorch file.
 * @throws MixupError (data) naming the file and what is wrong (magic number, byte order, a storage's size)
 */
export function readLegacyPth(buf: Buffer, shown: string): PyValue {
  const plain: UnpickleOptions = {
    source: shown,
    allowed: 'numbers, strings and dicts (in the header pickles)',
    findGlobal: () => undefined,
    persistentLoad: () => {
      throw new Error('a persistent id in a header pickle');
    },
  };
  const magic = unpickleAt(buf, 0, plain);
  if (magic.value !== MAGIC) throw dataError(`${shown}: not a PyTorch file: it is a pickle, but does not start with torch's magic number (is it a plain pickle?)`);
  const version = unpickleAt(buf, magic.end, plain);
  if (version.value !== PROTOCOL_VERSION) throw dataError(`${shown}: legacy PyTorch format version ${String(version.value)} (only ${PROTOCOL_VERSION} is read)`);
  const sysInfo = unpickleAt(buf, version.end, plain);
  if (sysInfo.value instanceof Map && sysInfo.value.get('little_endian') === false) throw dataError(`${shown}: written on a big-endian machine; only little-endian files are read`);
  const objectStart = sysInfo.end;

  const sizes = new Map<string, {dtype: Dtype; numel: number}>();
  const first = unpickleAt(buf, objectStart, torchUnpickleOptions(shown, (key, dtype, numel) => {
    sizes.set(key, {dtype, numel});
    return new Uint8Array(numel * DTYPE_BYTES[dtype]);
  }));
  const keys = unpickleAt(buf, first.end, plain);
  if (!Array.isArray(keys.value) || !keys.value.every((k) => typeof k === 'string')) throw dataError(`${shown}: the storage key list after the object is not a list of strings`);
  const storages = new Map<string, Uint8Array>();
  let at = keys.end;
  for (const key of keys.value as string[]) {
    const info = sizes.get(key);
    if (!info) throw dataError(`${shown}: storage "${key}" is listed but no tensor uses it`);
    if (at + 8 > buf.length) throw dataError(`${shown}: storage "${key}" starts past the end of the file (truncated?)`);
    const count = Number(buf.readBigInt64LE(at));
    const bytes = count * DTYPE_BYTES[info.dtype];
    if (count !== info.numel || at + 8 + bytes > buf.length) {
      throw dataError(`${shown}: storage "${key}" has ${count} elements at byte ${at} (the pickle says ${info.numel}) or runs past the end of the file`);
    }
    storages.set(key, new Uint8Array(buf.buffer, buf.byteOffset + at + 8, bytes));
    at += 8 + bytes;
  }
  return unpickleAt(buf, objectStart, torchUnpickleOptions(shown, (key) => {
    const bytes = storages.get(key);
    if (!bytes) throw new Error(`storage "${key}" is not in the file's storage list`);
    return bytes;
  })).value;
}

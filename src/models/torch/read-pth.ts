/**
 * Reading a PyTorch file (`torch.save`, torch >= 1.6: a zip archive `<archive>/data.pkl` + `<archive>/data/<key>`)
 * without Python: the zip is read by `zip.ts`, the pickle by the safe unpickler of `pickle.ts` with the globals of
 * `globals.ts`; tensors come back dense (`TorchTensor`). The legacy format (torch < 1.6, or
 * `_use_new_zipfile_serialization=False`) is read by `read-legacy-pth.ts`; TorchScript archives are refused.
 */
import {dataError} from '../../errors';
import {INPUT_LIMITS, readInputBytes} from '../../io/read';
import {torchUnpickleOptions} from './globals';
import {readLegacyPth} from './read-legacy-pth';
import {type PyValue, unpickle} from './pickle';
import {readZip} from './zip';

/** The first bytes of a zip file. */
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/**
 * The object a `.pth`/`.pt` file holds (a state dict, an mmcv checkpoint `{meta, state_dict, optimizer}`, ...).
 * @param shown how the file is named in errors (default: the path)
 * @throws MixupError (data) naming the file and the entry, opcode, global or tensor that is wrong
 */
export function readPth(file: string, shown = file): PyValue {
  const buf = readInputBytes(file, {what: 'PyTorch file', maxBytes: INPUT_LIMITS.checkpoint, shown});
  if (buf[0] === 0x80) return readLegacyPth(buf, shown);
  if (!ZIP_MAGIC.every((b, i) => buf[i] === b)) {
    throw dataError(`${shown}: not a PyTorch file: it starts with neither the zip signature PK\\x03\\x04 (torch >= 1.6) nor a pickle (the legacy format)`);
  }
  const entries = readZip(buf, shown);
  const pickles = [...entries.keys()].filter((name) => /^[^/]+\/data\.pkl$/.test(name));
  if ([...entries.keys()].some((name) => /^[^/]+\/(constants\.pkl|code\/)/.test(name))) {
    throw dataError(`${shown}: is a TorchScript archive (torch.jit.save), not a torch.save file; save the model's state_dict() with torch.save instead`);
  }
  if (pickles.length !== 1) throw dataError(`${shown}: expected one <archive>/data.pkl entry in the zip, found ${pickles.length ? pickles.join(', ') : 'none'} (is it a PyTorch file?)`);
  const prefix = pickles[0].slice(0, -'data.pkl'.length);
  const byteorder = entries.get(`${prefix}byteorder`);
  if (byteorder && Buffer.from(byteorder).toString('latin1') !== 'little') {
    throw dataError(`${shown}: ${prefix}byteorder is "${Buffer.from(byteorder).toString('latin1')}"; only little-endian files are read`);
  }
  const readStorage = (key: string) => {
    const data = entries.get(`${prefix}data/${key}`);
    if (!data) throw new Error(`the archive has no entry ${prefix}data/${key}`);
    return data;
  };
  return unpickle(entries.get(pickles[0])!, torchUnpickleOptions(`${shown} (${pickles[0]})`, readStorage));
}

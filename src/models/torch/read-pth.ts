/**
 * Reading a PyTorch file (`torch.save`, torch >= 1.6: a zip archive `<archive>/data.pkl` + `<archive>/data/<key>`)
 * without Python: the zip is read by `zip.ts`, the pickle by the safe unpickler of `pickle.ts` with the globals of
 * `globals.ts`; tensors come back dense (`TorchTensor`). The legacy format (torch < 1.6, or
 * `_use_new_zipfile_serialization=False`) and TorchScript archives are refused with what to do instead.
 */
import {dataError} from '../../errors';
import {INPUT_LIMITS, readInputBytes} from '../../io/read';
import {torchUnpickleOptions} from './globals';
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
  if (!ZIP_MAGIC.every((b, i) => buf[i] === b)) {
    const legacy = buf[0] === 0x80 || buf[0] === 0x8a;
    throw dataError(`${shown}: not a PyTorch zip archive${legacy ? ': it is in the legacy format of torch < 1.6 (or _use_new_zipfile_serialization=False), which is not read' : ' (it does not start with the zip signature PK\\x03\\x04)'}`, {
      suggestions: legacy ? [`Re-save it where PyTorch is installed: python3 -c "import torch; torch.save(torch.load('${file}', map_location='cpu'), 'new.pth')"`] : [],
    });
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

/**
 * Writing a PyTorch file as `torch.save` does (torch >= 1.6 zip format): `archive/data.pkl` (the protocol-2 pickle of
 * `pickle-writer.ts`), `archive/byteorder` ("little"), one `archive/data/<i>` entry per tensor, `archive/version`
 * ("3"), stored and 64-byte aligned by `zip.ts`. `torch.load(f)` reads it (checked with torch 1.13 by
 * test/fixtures/torch/check_written.py).
 */
import {writeFileAtomic} from '../../io/write';
import {type PickleInput, pickleValue} from './pickle-writer';
import type {RawTensor} from './tensor';
import {writeZip} from './zip';

/** The archive's top-level directory (torch uses the file's base name; any name is read). */
const ARCHIVE = 'archive';

/**
 * The bytes of a `.pth` file holding the state dict `tensors` (an OrderedDict), or, with `wrap`, the object
 * `wrap(stateDict)` (e.g. an mmcv checkpoint `{meta, state_dict}`).
 */
export function encodePth(tensors: ReadonlyMap<string, RawTensor>, wrap?: (stateDict: PickleInput) => PickleInput): Buffer {
  const storages: Array<[string, Uint8Array]> = [];
  const dict = new Map<string, PickleInput>();
  for (const [name, tensor] of tensors) {
    const key = String(storages.length);
    storages.push([`${ARCHIVE}/data/${key}`, tensor.bytes]);
    dict.set(name, {tensor, key});
  }
  const stateDict: PickleInput = {orderedDict: dict};
  return writeZip([
    [`${ARCHIVE}/data.pkl`, pickleValue(wrap ? wrap(stateDict) : stateDict)],
    [`${ARCHIVE}/byteorder`, Buffer.from('little')],
    ...storages,
    [`${ARCHIVE}/version`, Buffer.from('3\n')],
  ]);
}

/**
 * Writes a `.pth` file atomically (temp file, fsync, rename); see `encodePth`.
 * @param overwrite replace an existing file (`--force`); false refuses with "use --force"
 * @throws MixupError (io) naming the file
 */
export function writePth(file: string, tensors: ReadonlyMap<string, RawTensor>, overwrite: boolean, wrap?: (stateDict: PickleInput) => PickleInput): void {
  writeFileAtomic(file, encodePth(tensors, wrap), {overwrite});
}

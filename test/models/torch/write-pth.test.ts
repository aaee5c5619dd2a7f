/** The .pth writer read back by our reader: values, dtypes, 64-byte aligned stored entries (as torch writes them). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {MixupError} from '../../../src/errors';
import {isTorchTensor} from '../../../src/models/torch/globals';
import {type PyValue} from '../../../src/models/torch/pickle';
import {pickleValue} from '../../../src/models/torch/pickle-writer';
import {readPth} from '../../../src/models/torch/read-pth';
import {type RawTensor} from '../../../src/models/torch/tensor';
import {encodePth, writePth} from '../../../src/models/torch/write-pth';
import {readZip, ZIP_ALIGNMENT} from '../../../src/models/torch/zip';
import {unpickle} from '../../../src/models/torch/pickle';

const raw = (dtype: RawTensor['dtype'], shape: number[], bytes: number[]): RawTensor => ({dtype, shape, bytes: new Uint8Array(bytes)});
const TENSORS = new Map<string, RawTensor>([
  ['conv.weight', raw('F32', [1, 1, 1, 2], [0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0])],
  ['bn.num_batches_tracked', raw('I64', [], [7, 0, 0, 0, 0, 0, 0, 0])],
  ['half', raw('F16', [2], [0x00, 0x3c, 0xff, 0x7b])],
  ['empty', raw('F32', [0, 3], [])],
]);

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-writepth-'));
});
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

describe('writePth', () => {
  it('writes stored, 64-byte aligned entries: data.pkl, byteorder, data/<i>, version', () => {
    const buf = encodePth(TENSORS);
    const entries = readZip(buf, 'x.pth');
    expect([...entries.keys()]).toEqual(['archive/data.pkl', 'archive/byteorder', 'archive/data/0', 'archive/data/1', 'archive/data/2', 'archive/data/3', 'archive/version']);
    // offsets within the file (a small Buffer may sit inside a shared pool: subtract where the file starts)
    for (const data of entries.values()) if (data.length > 0) expect((data.byteOffset - buf.byteOffset) % ZIP_ALIGNMENT).toBe(0);
    expect(Buffer.from(entries.get('archive/version')!).toString()).toBe('3\n');
  });

  it('reads back as the same OrderedDict of tensors, and a wrapped checkpoint with its meta', () => {
    const file = path.join(dir, 'w.pth');
    writePth(file, TENSORS, false, (sd) => ({meta: {epoch: 3, lr: 0.1, big: 2n ** 70n, neg: -70000, name: 'ré', classes: ['a', 'b'], none: null, ok: true}, state_dict: sd}));
    const read = readPth(file) as Map<PyValue, PyValue>;
    expect(read.get('meta')).toEqual(new Map<PyValue, PyValue>([['epoch', 3], ['lr', 0.1], ['big', 2n ** 70n], ['neg', -70000], ['name', 'ré'], ['classes', ['a', 'b']], ['none', null], ['ok', true]]));
    const sd = read.get('state_dict') as Map<PyValue, PyValue>;
    expect([...sd.keys()]).toEqual([...TENSORS.keys()]);
    for (const [name, t] of TENSORS) {
      const v = sd.get(name);
      expect(isTorchTensor(v) && v.tensor).toEqual(t);
    }
    let error: unknown;
    try {
      writePth(file, TENSORS, false);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MixupError);
    expect((error as MixupError).message).toContain('already exists; use --force to overwrite it');
  });

  it('pickles integers of every width and long lists/dicts in batches', () => {
    const ints = [0, 255, 256, 65535, 65536, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 53 - 1, -(2n ** 63n), 2n ** 64n];
    const many = Array.from({length: 2500}, (_, i) => i);
    const opts = {source: 't', allowed: '', findGlobal: () => undefined, persistentLoad: () => null};
    expect(unpickle(pickleValue(ints), opts)).toEqual(ints.map((v) => (typeof v === 'bigint' && v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v)));
    expect(unpickle(pickleValue(many), opts)).toEqual(many);
    const dict = Object.fromEntries(many.map((i) => [`k${i}`, i]));
    expect((unpickle(pickleValue(dict), opts) as Map<PyValue, PyValue>).size).toBe(2500);
  });
});

/**
 * Reading files torch itself wrote (test/fixtures/torch, made by make_fixtures.py with torch 1.13): a torchvision
 * state dict with BN buffers, every dtype and strided views, an mmcv checkpoint, and a malicious pickle.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {buildClassifier, loadPretrained} from '../../../src/models';
import {isTorchTensor} from '../../../src/models/torch/globals';
import {isPyDict, type PyValue} from '../../../src/models/torch/pickle';
import {readPth} from '../../../src/models/torch/read-pth';
import {stateDictOf} from '../../../src/models/torch/state-dict';
import {type RawTensor} from '../../../src/models/torch/tensor';
import {maxAbsDiff, modelCfg, useCpu} from '../helpers';
import {thrown} from '../../helpers/errors';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'torch');
const fixture = (name: string) => path.join(FIXTURES, name);

/** The values of a raw tensor as float64 numbers (int64 as numbers too). */
function values(t: RawTensor): number[] {
  const view = new DataView(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength);
  const n = t.shape.reduce((a, b) => a * b, 1);
  const get: Record<string, (i: number) => number> = {
    F64: (i) => view.getFloat64(8 * i, true), F32: (i) => view.getFloat32(4 * i, true), I64: (i) => Number(view.getBigInt64(8 * i, true)),
    I32: (i) => view.getInt32(4 * i, true), I16: (i) => view.getInt16(2 * i, true), I8: (i) => view.getInt8(i), U8: (i) => view.getUint8(i), BOOL: (i) => view.getUint8(i),
    F16: (i) => halfBits(view.getUint16(2 * i, true)), BF16: (i) => new Float32Array(new Uint32Array([view.getUint16(2 * i, true) << 16]).buffer)[0],
  };
  return Array.from({length: n}, (_, i) => get[t.dtype](i));
}

function halfBits(h: number): number {
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  const v = e === 0 ? 2 ** -14 * (m / 1024) : 2 ** (e - 15) * (1 + m / 1024);
  return h & 0x8000 ? -v : v;
}

const tensorOf = (dict: PyValue, key: string): RawTensor => {
  if (!isPyDict(dict)) throw new Error('not a dict');
  const v = dict.get(key);
  if (!isTorchTensor(v)) throw new Error(`${key} is not a tensor`);
  return v.tensor;
};

let tmp: string;
beforeAll(async () => {
  await useCpu();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-pth-'));
});
afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}));

describe('a torchvision state dict written by torch', () => {
  it('has every tensor with its torch name, layout and dtype, BN buffers included', () => {
    const sd = stateDictOf(readPth(fixture('tiny_resnet.pth')), 'tiny_resnet.pth');
    expect(sd.container).toBe('state_dict');
    expect(sd.renamed).toEqual([]);
    expect(sd.tensors.size).toBe(122);
    expect(sd.tensors.get('conv1.weight')).toMatchObject({dtype: 'F32', shape: [2, 3, 3, 3]});
    expect(sd.tensors.get('layer2.0.downsample.0.weight')).toMatchObject({dtype: 'F32', shape: [4, 2, 1, 1]});
    expect(sd.tensors.get('fc.weight')).toMatchObject({dtype: 'F32', shape: [5, 16]});
    const tracked = sd.tensors.get('layer4.1.bn2.num_batches_tracked')!;
    expect(tracked).toMatchObject({dtype: 'I64', shape: []});
    expect(values(tracked)).toEqual([7]);
    expect(values(sd.tensors.get('bn1.running_var')!).every((v) => v >= 0.5 && v <= 1.5)).toBe(true);
  });

  it('loads into our ResNet_CIFAR-18 by name and gives the logits PyTorch computed', () => {
    const model = buildClassifier(modelCfg({type: 'ResNet_CIFAR', depth: 18, base_channels: 2}, 5), {seed: 0});
    const report = loadPretrained(model, fixture('tiny_resnet.pth'));
    expect(report.loaded).toBe(102);
    expect(report.skipped).toHaveLength(20); // num_batches_tracked
    const io = readPth(fixture('tiny_resnet_io.pth'));
    const x = tensorOf(io, 'x');
    const logits = tensorOf(io, 'logits');
    const nhwc = tf.transpose(tf.tensor4d(values(x), x.shape as [number, number, number, number]), [0, 2, 3, 1]);
    expect(maxAbsDiff(model.forward(nhwc, {training: false}), tf.tensor(values(logits), logits.shape))).toBeLessThan(1e-5);
    model.dispose();
  });
});

describe('dtypes and views', () => {
  it('reads every dtype, a transposed tensor, a shared-storage view, a Parameter, a scalar and an empty tensor', () => {
    const expected = JSON.parse(fs.readFileSync(fixture('dtypes.json'), 'utf8')) as Record<string, {shape: number[]; values: number[]}>;
    const read = readPth(fixture('dtypes.pth'));
    for (const [key, want] of Object.entries(expected)) {
      const t = tensorOf(read, key);
      expect({key, shape: t.shape, values: values(t)}).toEqual({key, shape: want.shape, values: want.values});
    }
    expect(tensorOf(read, 'f16').dtype).toBe('F16');
    expect(tensorOf(read, 'bf16').dtype).toBe('BF16');
    expect(tensorOf(read, 'bool').dtype).toBe('BOOL');
  });
});

describe('an mmcv / OpenMixup checkpoint', () => {
  it('is read through state_dict, named as torchvision does, with its meta', () => {
    const sd = stateDictOf(readPth(fixture('mmcv_checkpoint.pth')), 'mmcv_checkpoint.pth');
    const plain = stateDictOf(readPth(fixture('tiny_resnet.pth')), 'tiny_resnet.pth');
    expect(sd.container).toBe('mmcv checkpoint');
    expect(sd.renamed).toEqual(['backbone.', 'head.']);
    expect(sd.ignored).toEqual(['optimizer']);
    expect([...sd.tensors.keys()]).toEqual([...plain.tensors.keys()]);
    expect(Buffer.from(sd.tensors.get('fc.weight')!.bytes).equals(Buffer.from(plain.tensors.get('fc.weight')!.bytes))).toBe(true);
    expect(sd.meta).toMatchObject({mmcv_version: '1.7.0', epoch: 2, iter: 10, CLASSES: ['a', 'b', 'c', 'd', 'e'], hook_msgs: {best_score: 61.5}});
  });

  it('loads as model.pretrained', () => {
    const model = buildClassifier(modelCfg({type: 'ResNet_CIFAR', depth: 18, base_channels: 2}, 5), {seed: 0});
    expect(loadPretrained(model, fixture('mmcv_checkpoint.pth')).loaded).toBe(102);
    model.dispose();
  });
});

describe("torch's legacy format (torch < 1.6)", () => {
  it.each([['tiny_resnet'], ['dtypes']])('the legacy file of %s.pth holds the same tensors, bit for bit', (name) => {
    const zip = readPth(fixture(`${name}.pth`)) as Map<PyValue, PyValue>;
    const legacy = readPth(fixture(`${name}_legacy.pth`)) as Map<PyValue, PyValue>;
    expect([...legacy.keys()]).toEqual([...zip.keys()]);
    for (const key of zip.keys()) {
      const a = tensorOf(zip, key as string);
      const b = tensorOf(legacy, key as string);
      expect({key, dtype: b.dtype, shape: b.shape}).toEqual({key, dtype: a.dtype, shape: a.shape});
      expect(Buffer.from(b.bytes).equals(Buffer.from(a.bytes))).toBe(true);
    }
  });

  it('names the storage a truncated legacy file lacks', () => {
    const bytes = fs.readFileSync(fixture('dtypes_legacy.pth'));
    fs.writeFileSync(path.join(tmp, 'cut_legacy.pth'), bytes.subarray(0, bytes.length - 10));
    expect(thrown(() => readPth(path.join(tmp, 'cut_legacy.pth'), 'cut_legacy.pth')).message).toMatch(/^cut_legacy\.pth: storage "\d+" has \d+ elements at byte \d+ \(the pickle says \d+\) or runs past the end of the file$/);
  });
});

describe('refusals', () => {
  it('refuses a pickle that names os.system, without running it', () => {
    const e = thrown(() => readPth(fixture('malicious.pth'), 'malicious.pth'));
    expect(e.category).toBe('data');
    expect(e.message).toMatch(/^malicious\.pth \(malicious\/data\.pkl\): pickle byte \d+: refused global "posix\.system": only collections\.OrderedDict, torch\._utils\._rebuild_tensor_v2/);
  });

  it('names the entry whose CRC fails, a plain pickle, a text file and a truncated file', () => {
    const bytes = fs.readFileSync(fixture('dtypes.pth'));
    const at = bytes.indexOf(Buffer.from('dtypes/data/0')) + 200; // inside the first storage's data
    bytes[at] ^= 0xff;
    fs.writeFileSync(path.join(tmp, 'corrupt.pth'), bytes);
    expect(thrown(() => readPth(path.join(tmp, 'corrupt.pth'), 'corrupt.pth')).message).toMatch(/^corrupt\.pth: not a valid zip archive \(PyTorch file\): entry "dtypes\/.*" fails its CRC-32 check/);
    fs.writeFileSync(path.join(tmp, 'plain.pth'), Buffer.from('\x80\x02K\x01.', 'latin1'));
    expect(thrown(() => readPth(path.join(tmp, 'plain.pth'), 'plain.pth')).message).toBe("plain.pth: not a PyTorch file: it is a pickle, but does not start with torch's magic number (is it a plain pickle?)");
    fs.writeFileSync(path.join(tmp, 'text.pth'), 'hello');
    expect(thrown(() => readPth(path.join(tmp, 'text.pth'), 'text.pth')).message).toContain('text.pth: not a PyTorch file: it starts with neither the zip signature');
    fs.writeFileSync(path.join(tmp, 'cut.pth'), fs.readFileSync(fixture('dtypes.pth')).subarray(0, 3000));
    expect(thrown(() => readPth(path.join(tmp, 'cut.pth'), 'cut.pth')).message).toContain('cut.pth: not a valid zip archive (PyTorch file): no end-of-central-directory record (truncated file?)');
  });

  it('says which key of a state dict is not a tensor', () => {
    const e = thrown(() => stateDictOf(new Map<PyValue, PyValue>([['epoch', 3]]), 'x.pth'));
    expect(e.message).toBe('x.pth: state dict entry "epoch" is a number, not a tensor (top-level keys: "epoch"; an mmcv checkpoint keeps its tensors under "state_dict")');
  });
});

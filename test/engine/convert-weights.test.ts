/**
 * Round trips of `convertWeights`, bit-exact: torch-written .pth -> safetensors -> .pth, and a `mixup train`
 * checkpoint -> .pth equal to the torch state dict its weights came from (layouts and num_batches_tracked included).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {saveCheckpoint, type CheckpointMeta} from '../../src/engine/checkpoint';
import {convertWeights} from '../../src/engine/convert-weights';
import {buildClassifier, loadPretrained, readSafetensors, writeSafetensors} from '../../src/models';
import {readSafetensorsRaw} from '../../src/models/safetensors';
import {readPth} from '../../src/models/torch/read-pth';
import {stateDictOf, type TorchStateDict} from '../../src/models/torch/state-dict';
import {modelCfg, useCpu} from '../models/helpers';
import {thrown} from '../helpers/errors';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'torch');
const TINY = modelCfg({type: 'ResNet_CIFAR', depth: 18, base_channels: 2}, 5);
const META: CheckpointMeta = {format: 1, epoch: 3, iter: 42, rng: [1, 2, 3, 4], seed: 0, configHash: '0123456789abcdef', configPath: 'tiny.json', lr: 0.1, mixupVersion: '0.1.0'};

let dir: string;
beforeAll(async () => {
  await useCpu();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-convert-'));
});
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

const pth = (file: string): TorchStateDict => stateDictOf(readPth(file), file);
const at = (name: string) => path.join(dir, name);

/** Every tensor equal in name order, dtype, shape and bytes. */
function expectSameTensors(a: TorchStateDict['tensors'], b: TorchStateDict['tensors']): void {
  expect([...b.keys()]).toEqual([...a.keys()]);
  for (const [name, t] of a) {
    const u = b.get(name)!;
    expect({name, dtype: u.dtype, shape: u.shape}).toEqual({name, dtype: t.dtype, shape: t.shape});
    expect(Buffer.from(u.bytes).equals(Buffer.from(t.bytes))).toBe(true);
  }
}

describe('convertWeights', () => {
  it.each([['tiny_resnet.pth'], ['dtypes.pth']])('%s -> safetensors -> .pth keeps every tensor bit for bit', (name) => {
    const original = pth(path.join(FIXTURES, name));
    const st = at(name.replace('.pth', '.safetensors'));
    const there = convertWeights(path.join(FIXTURES, name), st, {force: false});
    expect(there).toMatchObject({inputKind: 'state_dict', outputFormat: 'safetensors', tensors: original.tensors.size, transposed: 0});
    expect(readSafetensorsRaw(st).metadata).toMatchObject({format: 'pt', converted_from: name});
    const back = convertWeights(st, at(`back_${name}`), {force: false});
    expect(back).toMatchObject({inputKind: 'weights', outputFormat: 'pytorch', tensors: original.tensors.size, transposed: 0, added: 0});
    expectSameTensors(original.tensors, pth(at(`back_${name}`)).tensors);
  });

  it('writes a checkpoint as the torchvision state dict its weights came from (OIHW convs, [out, in] fc, num_batches_tracked)', async () => {
    const model = buildClassifier(TINY, {seed: 0});
    loadPretrained(model, path.join(FIXTURES, 'tiny_resnet.pth'));
    const momentum = new Map([...model.params].map(([k, v]) => [k, tf.zerosLike(v)]));
    await saveCheckpoint(at('latest.safetensors'), {params: model.params, buffers: model.buffers, momentum}, META);
    const result = convertWeights(at('latest.safetensors'), at('latest.pth'), {force: false});
    expect(result).toMatchObject({inputKind: 'mixup checkpoint', tensors: 122, transposed: 21, added: 20, renamed: ['param/', 'buffer/'], dropped: ['momentum/ (62 SGD momentum tensors)']});
    const torchWritten = pth(path.join(FIXTURES, 'tiny_resnet.pth')).tensors;
    const ours = pth(at('latest.pth')).tensors;
    const tracked = [...torchWritten.keys()].filter((k) => k.endsWith('num_batches_tracked'));
    for (const k of tracked) expect(new DataView(ours.get(k)!.bytes.buffer, ours.get(k)!.bytes.byteOffset).getBigInt64(0, true)).toBe(42n);
    // apart from num_batches_tracked (7 in the fixture, the checkpoint's iter here) the file equals torch's own,
    // tensors in state_dict() order
    for (const k of tracked) ours.set(k, torchWritten.get(k)!);
    expectSameTensors(torchWritten, ours);
    model.dispose();
    for (const t of momentum.values()) t.dispose();
  });

  it('--mmcv writes {meta, state_dict} with OpenMixup names, read back to torchvision names', async () => {
    const model = buildClassifier(TINY, {seed: 3});
    await saveCheckpoint(at('mm.safetensors'), {params: model.params, buffers: model.buffers, momentum: new Map()}, META);
    const result = convertWeights(at('mm.safetensors'), at('mm.pth'), {force: false, mmcv: true});
    expect(result.meta).toMatchObject({epoch: 3, iter: 42, mixup: {configHash: '0123456789abcdef'}});
    const raw = readPth(at('mm.pth')) as Map<unknown, unknown>;
    expect([...(raw.get('state_dict') as Map<string, unknown>).keys()].slice(0, 2)).toEqual(['backbone.conv1.weight', 'backbone.bn1.weight']);
    expect([...(raw.get('state_dict') as Map<string, unknown>).keys()]).toContain('head.fc.weight');
    const read = pth(at('mm.pth'));
    expect(read).toMatchObject({container: 'mmcv checkpoint', renamed: ['backbone.', 'head.'], meta: {epoch: 3, iter: 42}});
    expectSameTensors(pth(at('mm.pth')).tensors, convertAndRead(at('mm.safetensors')));
    model.dispose();
  });

  it('refuses to overwrite, odd extensions, --mmcv to safetensors and checkpoint-like names without metadata', () => {
    writeSafetensors(at('w.safetensors'), new Map([['fc.weight', {shape: [2, 2], data: new Float32Array([1, 2, 3, 4])}]]));
    convertWeights(at('w.safetensors'), at('w.pth'), {force: false});
    expect(thrown(() => convertWeights(at('w.safetensors'), at('w.pth'), {force: false})).message).toContain('w.pth already exists; use --force to overwrite it');
    expect(convertWeights(at('w.safetensors'), at('w.pth'), {force: true}).tensors).toBe(1);
    expect(thrown(() => convertWeights(at('w.safetensors'), at('w.bin'), {force: false})).category).toBe('usage');
    expect(thrown(() => convertWeights(path.join(FIXTURES, 'dtypes.pth'), at('d.safetensors'), {force: false, mmcv: true})).message).toContain('--mmcv shapes a PyTorch output');
    writeSafetensors(at('fake.safetensors'), new Map([['param/fc.weight', {shape: [1], data: new Float32Array([1])}]]));
    expect(thrown(() => convertWeights(at('fake.safetensors'), at('fake.pth'), {force: false})).message).toContain('tensor "param/fc.weight" is named like a checkpoint entry, but the file has no __metadata__.mixup');
    expect(readSafetensors(at('w.safetensors')).get('fc.weight')!.data).toEqual(new Float32Array([1, 2, 3, 4]));
  });
});

/** A checkpoint converted to a plain .pth, read back. */
function convertAndRead(checkpoint: string): TorchStateDict['tensors'] {
  const out = at(`plain_${path.basename(checkpoint, '.safetensors')}.pth`);
  convertWeights(checkpoint, out, {force: true});
  return pth(out).tensors;
}

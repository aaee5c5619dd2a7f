import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {buildClassifier, type Classifier, loadPretrained, paramShapes, resolvePretrained, type StateEntry, writeSafetensors} from '../../src/models';
import {torchHubDir} from '../../src/models/pretrained';
import {input, maxAbsDiff, modelCfg, TINY_CIFAR, useCpu} from './helpers';
import {thrown} from '../helpers/errors';

let dir: string;
beforeAll(async () => {
  await useCpu();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-weights-'));
});
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

/** A torch-layout state dict for `cfg` whose every value is distinct: tensor t, element i -> t + i/1e4. */
function torchStateDict(cfg: object, override: Record<string, number[]> = {}): Map<string, StateEntry> {
  const out = new Map<string, StateEntry>();
  paramShapes(cfg).forEach((p, t) => {
    const shape = override[p.name] ?? p.torchShape;
    const size = shape.reduce((a, b) => a * b, 1);
    out.set(p.name, {shape, data: Float32Array.from({length: size}, (_, i) => (p.kind === 'runningVar' ? 1 : 0) + t + i / 1e4)});
    if (p.kind === 'runningVar') out.set(p.name.replace('running_var', 'num_batches_tracked'), {shape: [], data: new Float32Array([100])});
  });
  return out;
}

function save(name: string, entries: Map<string, StateEntry>): string {
  const file = path.join(dir, name);
  writeSafetensors(file, entries);
  return file;
}

/** Runs `fn` with TORCH_HOME set to `home` (torchvision's download directory is `<home>/hub/checkpoints`). */
function withTorchHome(home: string, fn: () => void): void {
  const old = process.env.TORCH_HOME;
  process.env.TORCH_HOME = home;
  try {
    fn();
  } finally {
    if (old === undefined) delete process.env.TORCH_HOME;
    else process.env.TORCH_HOME = old;
  }
}

const array4d = (t: tf.Tensor) => t.arraySync() as number[][][][];

describe('loading a torchvision state_dict', () => {
  it('lands every tensor in the right variable (conv OIHW -> HWIO, fc [out,in] -> [in,out], BN stats)', () => {
    const entries = torchStateDict(TINY_CIFAR);
    const file = save('tiny.safetensors', entries);
    const model = buildClassifier(TINY_CIFAR, {seed: 0});
    const report = loadPretrained(model, file);
    expect(report).toMatchObject({path: file, loaded: paramShapes(TINY_CIFAR).length, notes: []});
    expect(report.skipped).toHaveLength(20); // the num_batches_tracked entries

    // conv1.weight: torch [out=4, in=3, kh=3, kw=3] -> tfjs [kh, kw, in, out]
    const torchConv1 = tf.tensor(entries.get('conv1.weight')!.data, [4, 3, 3, 3]);
    const conv1 = model.params.get('conv1.weight')!;
    expect(array4d(conv1)[2][1][0][3]).toBe(array4d(torchConv1)[3][0][2][1]); // [kh=2, kw=1, in=0, out=3]
    expect(maxAbsDiff(conv1, tf.transpose(torchConv1, [2, 3, 1, 0]))).toBe(0);
    // a grouped-free downsample 1x1 conv and the fc layer
    const ds = entries.get('layer2.0.downsample.0.weight')!;
    expect(maxAbsDiff(model.params.get('layer2.0.downsample.0.weight')!, tf.transpose(tf.tensor(ds.data, ds.shape), [2, 3, 1, 0]))).toBe(0);
    const fc = entries.get('fc.weight')!;
    expect(fc.shape).toEqual([3, 32]);
    expect(maxAbsDiff(model.params.get('fc.weight')!, tf.transpose(tf.tensor(fc.data, fc.shape)))).toBe(0);
    // BN weight, bias and running statistics
    for (const key of ['layer3.1.bn2.weight', 'layer3.1.bn2.bias', 'layer3.1.bn2.running_mean', 'layer3.1.bn2.running_var']) {
      const v = model.params.get(key) ?? model.buffers.get(key)!;
      expect(Array.from(v.dataSync())).toEqual(Array.from(entries.get(key)!.data));
    }
    model.dispose();
  });

  it('stateDict() gives torch layout back, and loading it reproduces the outputs', () => {
    const a = buildClassifier(TINY_CIFAR, {seed: 1});
    const x = input(2, 8, 8, 3);
    a.forward(x, {training: true}); // move the running statistics off their initial values
    const sd = a.stateDict();
    expect(sd.get('conv1.weight')!.shape).toEqual([4, 3, 3, 3]);
    expect(sd.get('fc.weight')!.shape).toEqual([3, 32]);
    expect([...sd.keys()]).toEqual(paramShapes(TINY_CIFAR).map((p) => p.name));
    const entries = new Map([...sd].map(([k, t]) => [k, {shape: t.shape, data: t.dataSync() as Float32Array}]));
    const b = buildClassifier(TINY_CIFAR, {seed: 2});
    expect(maxAbsDiff(a.forward(x, {training: false}), b.forward(x, {training: false}))).toBeGreaterThan(1e-3);
    b.loadStateDict(entries, {source: 'memory'});
    expect(maxAbsDiff(a.forward(x, {training: false}), b.forward(x, {training: false}))).toBe(0);
    tf.dispose([...sd.values()]);
    a.dispose();
    b.dispose();
  });
});

describe('refusing a file that does not fit', () => {
  let model: Classifier;
  beforeEach(() => {
    model = buildClassifier(TINY_CIFAR, {seed: 0});
  });
  afterEach(() => model.dispose());

  it('names the first bad key and both shapes, and writes nothing', () => {
    const file = save('bad-shape.safetensors', torchStateDict(TINY_CIFAR, {'layer1.1.conv2.weight': [4, 4, 1, 1]}));
    const before = Array.from(model.params.get('conv1.weight')!.dataSync());
    const e = thrown(() => loadPretrained(model, file));
    expect(e.category).toBe('data');
    expect(e.message).toBe(`${file}: "layer1.1.conv2.weight" has shape [4, 4, 1, 1] but the model (ResNet_CIFAR-18, 3 classes) expects [4, 4, 3, 3] (torch layout)`);
    expect(Array.from(model.params.get('conv1.weight')!.dataSync())).toEqual(before);
  });

  it('a ResNet-50 file for a ResNet-18 model fails at its first key', () => {
    const r50 = modelCfg({type: 'ResNet', depth: 50, base_channels: 4}, 3);
    const e = thrown(() => model.loadStateDict(torchStateDict(r50), {source: 'r50.safetensors'}));
    expect(e.message).toBe('r50.safetensors: "conv1.weight" has shape [4, 3, 7, 7] but the model (ResNet_CIFAR-18, 3 classes) expects [4, 3, 3, 3] (torch layout)');
  });

  it('strict loading refuses missing and unexpected keys; non-strict skips them', () => {
    const missing = torchStateDict(TINY_CIFAR);
    missing.delete('layer2.0.bn1.running_var');
    expect(thrown(() => model.loadStateDict(missing, {source: 'm.safetensors'})).message).toBe(
      'm.safetensors: missing key "layer2.0.bn1.running_var" (the model expects [8]); 1 of 102 model tensors missing',
    );
    const extra = torchStateDict(TINY_CIFAR);
    extra.set('layer5.0.conv1.weight', {shape: [1], data: new Float32Array(1)});
    expect(thrown(() => model.loadStateDict(extra, {source: 'x.safetensors'})).message).toBe(
      'x.safetensors: unexpected key "layer5.0.conv1.weight" (shape [1]): the model (ResNet_CIFAR-18, 3 classes) has no such tensor',
    );
    expect(model.loadStateDict(extra, {source: 'x.safetensors', strict: false}).skipped).toContain('layer5.0.conv1.weight');
    expect(model.loadStateDict(missing, {source: 'm.safetensors', strict: false}).loaded).toBe(101);
  });
});

describe('loadPretrained: torchvision:// names and transfer learning', () => {
  it('resolves torchvision://NAME in weightsDir, then MIXUP_WEIGHTS_DIR', () => {
    const sub = path.join(dir, 'weights');
    fs.mkdirSync(sub, {recursive: true});
    save('weights/resnet_tiny.safetensors', torchStateDict(TINY_CIFAR));
    expect(resolvePretrained('torchvision://resnet_tiny', {weightsDir: sub})).toBe(path.join(sub, 'resnet_tiny.safetensors'));
    const old = process.env.MIXUP_WEIGHTS_DIR;
    process.env.MIXUP_WEIGHTS_DIR = sub;
    try {
      expect(resolvePretrained('torchvision://resnet_tiny')).toBe(path.join(sub, 'resnet_tiny.safetensors'));
    } finally {
      if (old === undefined) delete process.env.MIXUP_WEIGHTS_DIR;
      else process.env.MIXUP_WEIGHTS_DIR = old;
    }
  });

  it('torchvision://NAME finds NAME.pth in the weights dir, then torchvision\'s own download in $TORCH_HOME', () => {
    const weights = path.join(dir, 'pth-weights');
    const hub = path.join(dir, 'torch-home', 'hub', 'checkpoints');
    fs.mkdirSync(weights, {recursive: true});
    fs.mkdirSync(hub, {recursive: true});
    const fixture = path.join(__dirname, '..', 'fixtures', 'torch', 'tiny_resnet.pth');
    withTorchHome(path.join(dir, 'torch-home'), () => {
      fs.copyFileSync(fixture, path.join(hub, 'resnet18-f37072fd.pth'));
      expect(torchHubDir()).toBe(hub);
      expect(resolvePretrained('torchvision://resnet18', {weightsDir: weights})).toBe(path.join(hub, 'resnet18-f37072fd.pth'));
      fs.copyFileSync(fixture, path.join(weights, 'resnet18.pth'));
      expect(resolvePretrained('torchvision://resnet18', {weightsDir: weights})).toBe(path.join(weights, 'resnet18.pth'));
      const model = buildClassifier(modelCfg({type: 'ResNet_CIFAR', depth: 18, base_channels: 2}, 5), {seed: 0});
      expect(loadPretrained(model, 'torchvision://resnet18', {weightsDir: weights}).loaded).toBe(102);
      model.dispose();
    });
  });

  it('a missing file says where it looked and how to export it', () => withTorchHome(path.join(dir, 'no-torch-home'), () => {
    const e = thrown(() => resolvePretrained('torchvision://resnet18', {weightsDir: path.join(dir, 'none')}));
    expect(e.category).toBe('data');
    expect(e.message).toContain(`looked for ${path.join(dir, 'none', 'resnet18.safetensors')}`);
    expect(e.suggestions.join('\n')).toContain("torchvision.models.resnet18(weights='IMAGENET1K_V1')");
    expect(e.message).toContain(`${path.join(dir, 'none', 'resnet18.pth')}, ${path.join(torchHubDir(), 'resnet18-f37072fd.pth')}`);
    expect(thrown(() => resolvePretrained('torchvision://../etc')).category).toBe('usage');
    expect(thrown(() => resolvePretrained('weights/r18.pth')).message).toContain('no such file');
  }));

  it('skips the fc layer with a note when the class count differs', () => {
    const imagenet = torchStateDict(modelCfg({type: 'ResNet_CIFAR', depth: 18, base_channels: 4}, 10));
    save('r18_10cls.safetensors', imagenet);
    const model = buildClassifier(TINY_CIFAR, {seed: 0}); // 3 classes
    const fcBefore = Array.from(model.params.get('fc.weight')!.dataSync());
    const report = loadPretrained(model, 'torchvision://r18_10cls', {weightsDir: dir});
    expect(report.notes).toEqual(['fc skipped: torchvision://r18_10cls has 10 classes, the model 3; the head keeps its random initialisation']);
    expect(report.skipped).toEqual(expect.arrayContaining(['fc.weight', 'fc.bias']));
    expect(report.loaded).toBe(paramShapes(TINY_CIFAR).length - 2);
    expect(Array.from(model.params.get('fc.weight')!.dataSync())).toEqual(fcBefore);
    expect(Array.from(model.params.get('bn1.bias')!.dataSync())).toEqual(Array.from(imagenet.get('bn1.bias')!.data));
    model.dispose();
  });
});

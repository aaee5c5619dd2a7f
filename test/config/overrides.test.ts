import {applyOverrides, overrideWords, parseSetFlag, rebasePath, setField} from '../../src/config/overrides';
import {planGeneration} from '../../src/config/generate';
import type {JsonObject} from '../../src/config/load';
import {MixupError} from '../../src/errors';

/** A CUB-like config: the template's data section and a ResNet-18 at base width 64. */
function cubConfig(): JsonObject {
  const source = (list: string) => ({type: 'ImageList', root: 'data/CUB200/CUB_200/images/', list_file: `data/meta/CUB200/${list}`, splitor: ' '});
  return {
    model: {
      mix_args: {fmix: {size: [224, 224]}},
      backbone: {type: 'ResNet', depth: 18, out_indices: [3]},
      head: {type: 'ClsHead', num_classes: 200, in_channels: 512},
    },
    data: {
      imgs_per_gpu: 16,
      train: {data_source: source('train_labeled.txt'), pipeline: [{type: 'Resize', size: 256}, {type: 'RandomResizedCrop', size: 224, scale: [0.5, 1]}, {type: 'RandomHorizontalFlip'}]},
      val: {data_source: source('test_labeled.txt'), pipeline: [{type: 'Resize', size: 256}, {type: 'CenterCrop', size: 224}, {type: 'Normalize'}]},
    },
    optimizer: {type: 'SGD', lr: 0.001},
  };
}

const caught = (fn: () => void): MixupError => {
  try {
    fn();
  } catch (e) {
    return e as MixupError;
  }
  throw new Error('expected a throw');
};

describe('rebasePath', () => {
  it('replaces only a leading data component', () => {
    expect(rebasePath('data/CUB200/CUB_200/images/', '/datasets')).toBe('/datasets/CUB200/CUB_200/images/');
    expect(rebasePath('data/meta/CUB200/train_labeled.txt', 'my data/')).toBe('my data/meta/CUB200/train_labeled.txt');
    expect(rebasePath('data', '/d')).toBe('/d');
    expect(rebasePath('database/x', '/d')).toBe('database/x');
    expect(rebasePath('/usr/share/datasets/fashion-mnist', '/d')).toBe('/usr/share/datasets/fashion-mnist');
  });
});

describe('applyOverrides', () => {
  it('--data-root rewrites every data_source root and list_file', () => {
    const c = cubConfig();
    applyOverrides(c, {dataRoot: '/datasets'});
    const d = c.data as {train: {data_source: JsonObject}; val: {data_source: JsonObject}};
    expect(d.train.data_source).toMatchObject({root: '/datasets/CUB200/CUB_200/images/', list_file: '/datasets/meta/CUB200/train_labeled.txt'});
    expect(d.val.data_source).toMatchObject({root: '/datasets/CUB200/CUB_200/images/', list_file: '/datasets/meta/CUB200/test_labeled.txt'});
  });

  it('--image-size sets the crops and scales Resize by the same factor (256/224), FMix mask size follows', () => {
    const c = cubConfig();
    applyOverrides(c, {imageSize: 32});
    const d = c.data as {train: {pipeline: JsonObject[]}; val: {pipeline: JsonObject[]}};
    expect(d.train.pipeline.map((s) => s.size)).toEqual([37, 32, undefined]);
    expect(d.val.pipeline.map((s) => s.size)).toEqual([37, 32, undefined]);
    expect(d.train.pipeline[1].scale).toEqual([0.5, 1]);
    expect(((c.model as JsonObject).mix_args as {fmix: JsonObject}).fmix.size).toEqual([32, 32]);
  });

  it('--image-size on an in-memory source sets its size and scales RandomCrop padding', () => {
    const c: JsonObject = {data: {train: {data_source: {type: 'MNIST'}, pipeline: [{type: 'RandomCrop', size: 32, padding: 4}]}, val: {data_source: {type: 'MNIST'}, pipeline: [{type: 'Normalize'}]}}};
    applyOverrides(c, {imageSize: 64});
    expect(c.data).toEqual({train: {data_source: {type: 'MNIST', size: 64}, pipeline: [{type: 'RandomCrop', size: 64, padding: 8}]}, val: {data_source: {type: 'MNIST', size: 64}, pipeline: [{type: 'Normalize'}]}});
  });

  it('--base-channels scales the head and mix block in_channels, not the backbone image channels', () => {
    const c = cubConfig();
    applyOverrides(c, {baseChannels: 8});
    expect(c.model).toMatchObject({backbone: {base_channels: 8}, head: {in_channels: 64}});
    const automix: JsonObject = {model: {backbone: {type: 'ResNet_CIFAR', base_channels: 16, in_channels: 3}, mix_block: {in_channels: 64}, head_one: {in_channels: 128}, head_mix: {in_channels: 128}}};
    applyOverrides(automix, {baseChannels: 32});
    expect(automix.model).toEqual({backbone: {type: 'ResNet_CIFAR', base_channels: 32, in_channels: 3}, mix_block: {in_channels: 128}, head_one: {in_channels: 256}, head_mix: {in_channels: 256}});
    const odd: JsonObject = {model: {backbone: {type: 'ResNet'}, head: {in_channels: 100}}};
    expect(caught(() => applyOverrides(odd, {baseChannels: 8})).message).toBe('--base-channels 8: model.head.in_channels 100 (for base_channels 64) does not scale to a whole number');
  });

  it('--set parses JSON values, indexes arrays, and refuses keys whose parents do not exist', () => {
    const c = cubConfig();
    applyOverrides(c, {set: [parseSetFlag('optimizer.lr=0.05'), parseSetFlag('data.train.pipeline.1.scale=[0.2, 1]'), parseSetFlag('model.head.type=ClsMixupHead')]});
    expect((c.optimizer as JsonObject).lr).toBe(0.05);
    expect(((c.data as JsonObject).train as {pipeline: JsonObject[]}).pipeline[1].scale).toEqual([0.2, 1]);
    expect((c.model as {head: JsonObject}).head.type).toBe('ClsMixupHead');
    expect(caught(() => setField(c, 'optimiser.lr', 1)).message).toBe('--set optimiser.lr: the config has no optimiser');
    expect(caught(() => setField(c, 'data.train.pipeline.9.size', 1)).message).toBe('--set data.train.pipeline.9.size: data.train.pipeline is an array of 3; "9" is not an index of it');
    expect(caught(() => setField(c, '__proto__.x', 1)).message).toBe('--set __proto__.x: not a dotted config key (e.g. optimizer.lr)');
    expect(caught(() => parseSetFlag('optimizer.lr')).exitCode).toBe(2);
    expect(caught(() => parseSetFlag('runner.max_epochs=1e400')).message).toBe('--set runner.max_epochs: the value is a number out of range (it reads as Infinity); expected a finite number');
  });

  it('overrideWords reproduces the flags, values re-parsing to the same JSON', () => {
    const o = {dataRoot: '/d', imageSize: 32, baseChannels: 8, set: [parseSetFlag('optimizer.lr=0.05'), parseSetFlag('a.b="1"'), parseSetFlag('a.c=text')]};
    const words = overrideWords(o);
    expect(words).toEqual(['--data-root', '/d', '--image-size', '32', '--base-channels', '8', '--set', 'optimizer.lr=0.05', '--set', 'a.b="1"', '--set', 'a.c=text']);
    expect(words.filter((_, i) => words[i - 1] === '--set').map(parseSetFlag)).toEqual(o.set);
  });
});

describe('planGeneration with overrides', () => {
  it('every generated config reads the data root, and the script header records the flags', () => {
    const plan = planGeneration({dataset: 'cub200', backbones: ['r18'], methods: ['vanilla', 'mixup'], epochs: [2], out: 'configs/generated', cwd: '/tmp/x', overrides: {dataRoot: '/datasets', imageSize: 32, baseChannels: 8, set: [['optimizer.lr', 0.05]]}});
    const configs = plan.files.filter((f) => f.kind === 'config').map((f) => JSON.parse(f.content));
    expect(configs).toHaveLength(2);
    for (const c of configs) {
      expect(c.data.train.data_source.root).toBe('/datasets/CUB200/CUB_200/images/');
      expect(c.data.val.data_source.list_file).toBe('/datasets/meta/CUB200/test_labeled.txt');
      expect(c.data.val.pipeline.find((s: JsonObject) => s.type === 'CenterCrop').size).toBe(32);
      expect([c.model.backbone.base_channels, c.model.head.in_channels, c.optimizer.lr]).toEqual([8, 64, 0.05]);
    }
    const script = plan.files.find((f) => f.kind === 'script')!.content;
    expect(script).toContain('--out configs/generated --data-root /datasets --image-size 32 --base-channels 8 --set optimizer.lr=0.05\n');
  });

  it('a --set the schema refuses is a usage error naming the config and the field', () => {
    const err = caught(() => planGeneration({dataset: 'cub200', backbones: ['r18'], methods: ['mixup'], epochs: [2], cwd: '/tmp/x', overrides: {set: [['optimizer.lr', 'fast']]}}));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain('optimizer.lr');
  });
});

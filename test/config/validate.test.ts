import * as fs from 'node:fs';
import * as path from 'node:path';
import {isMixupError} from '../../src/errors';
import {loadConfigFile} from '../../src/config/load';
import {METHOD_NAMES} from '../../src/config/methods';
import {isMixUp} from '../../src/config/schema';
import {assertValidConfig, loadConfig, stageChannels, validateConfig, validateFiles, writtenForm} from '../../src/config/validate';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'configs');
const DEMO = path.join(ROOT, 'configs', 'demo', 'r18_mixups_CE_none.json');

/** The demo base config with `edit` applied to a deep copy. */
function demoWith(edit: (c: any) => void): any {
  const config = JSON.parse(JSON.stringify(loadConfigFile(DEMO)));
  edit(config);
  return config;
}

const messages = (config: unknown): string[] => validateConfig(config).map((i) => i.message);

describe('shipped configs', () => {
  const bases = fs
    .readdirSync(path.join(ROOT, 'configs'), {withFileTypes: true})
    .filter((d) => d.isDirectory() && d.name !== 'generated')
    .flatMap((d) => fs.readdirSync(path.join(ROOT, 'configs', d.name)).map((f) => path.join(ROOT, 'configs', d.name, f)));

  it('has a base config per benchmark directory', () => {
    expect(bases.length).toBeGreaterThanOrEqual(16);
  });

  it.each(bases.map((b) => [path.relative(ROOT, b)]))('%s validates', (file) => {
    expect(validateConfig(loadConfigFile(path.join(ROOT, file)))).toEqual([]);
  });
});

describe('validateConfig messages', () => {
  it('names the path, the expectation and the value of a wrong-typed field', () => {
    expect(messages(demoWith((c) => (c.model.alpha = 'abc')))).toEqual([
      'model.alpha must be a number > 0 or a non-empty array of numbers > 0, got "abc"',
    ]);
    expect(messages(demoWith((c) => (c.optimizer.lr = '0.1')))).toEqual(['optimizer.lr must be a number > 0, got "0.1"']);
  });

  it('lists the known methods for an unknown mix_mode, per list index', () => {
    const [message] = messages(demoWith((c) => ((c.model.mix_mode = ['mixup', 'mixpu']), (c.model.alpha = [1, 1]))));
    expect(message).toBe(`model.mix_mode[1] must be a known method (${METHOD_NAMES.join(', ')}), got "mixpu"`);
  });

  it('rejects negative and non-integer epochs', () => {
    expect(messages(demoWith((c) => (c.runner.max_epochs = -5)))).toEqual(['runner.max_epochs must be an integer >= 1, got -5']);
    expect(messages(demoWith((c) => (c.runner.max_epochs = 2.5)))).toEqual(['runner.max_epochs must be an integer >= 1, got 2.5']);
  });

  it('accepts optimizer_config.update_interval (gradient accumulation) as an integer >= 1', () => {
    expect(messages(demoWith((c) => (c.optimizer_config.update_interval = 4)))).toEqual([]);
    expect(messages(demoWith((c) => (c.optimizer_config.update_interval = 0)))).toEqual(['optimizer_config.update_interval must be an integer >= 1, got 0']);
    expect(messages(demoWith((c) => (c.optimizer_config.update_interval = 1.5)))).toEqual(['optimizer_config.update_interval must be an integer >= 1, got 1.5']);
  });

  it('loadConfig fills in the defaults; writtenForm gives the config as the files spell it (the checkpoints hash that)', () => {
    const config = loadConfig(DEMO);
    expect(config.lr_config).toMatchObject({policy: 'CosineAnnealing', by_epoch: true, gamma: 0.1, warmup: null, warmup_iters: 0, warmup_ratio: 0.1, warmup_by_epoch: false});
    expect(config.optimizer_config.update_interval).toBe(1);
    expect(writtenForm(config)).toEqual(loadConfigFile(DEMO));
    expect((writtenForm(config) as {lr_config: object}).lr_config).not.toHaveProperty('warmup');
    const copy = structuredClone(config);
    expect(writtenForm(copy)).toBe(copy);
  });

  it('refuses numbers that are not finite (1e400 in a JSON file reads as Infinity)', () => {
    expect(messages(demoWith((c) => (c.runner.max_epochs = Infinity)))).toEqual(['runner.max_epochs must be an integer >= 1, got Infinity']);
    expect(messages(demoWith((c) => (c.optimizer.lr = Infinity)))).toEqual(['optimizer.lr must be a number > 0, got Infinity']);
    expect(messages(demoWith((c) => (c.model.alpha = [-Infinity])))).toEqual(['model.alpha must be a number > 0 or a non-empty array of numbers > 0, got [-Infinity]']);
    const file = path.join(fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'mixup-inf-')), 'inf.json');
    fs.writeFileSync(file, JSON.stringify({_base_: DEMO}).replace(/}$/, ', "runner": {"max_epochs": 1e400}}'));
    expect(() => loadConfig(file)).toThrow(/runner\.max_epochs is a number out of range \(it reads as Infinity\); expected a finite number/);
  });

  it('names a bad lr policy and a step policy without steps (the schema, not the lr schedule, refuses them)', () => {
    expect(messages(demoWith((c) => (c.lr_config = {policy: 'poly'})))).toEqual(['lr_config.policy must be one of "CosineAnnealing", "step", "fixed", got "poly"']);
    expect(messages(demoWith((c) => (c.lr_config = {policy: 'step'})))).toEqual([
      'lr_config.step is missing (expected an integer >= 1 (every so many epochs) or a non-empty array of epochs (integers >= 1))',
    ]);
    expect(messages(demoWith((c) => (c.lr_config = {policy: 'step', step: 30, min_lr_ratio: 0.01})))).toEqual([]);
  });

  it('checks alpha and mix_prob against the number of mix_modes', () => {
    expect(messages(demoWith((c) => ((c.model.mix_mode = ['mixup', 'cutmix', 'fmix']), (c.model.alpha = [0.2, 1]))))).toEqual([
      'model.alpha must be one number or one per mix_mode (3), got 2: [0.2,1]',
    ]);
    // one α serves every mode, as a number or a one-item list
    expect(messages(demoWith((c) => ((c.model.mix_mode = ['mixup', 'cutmix']), (c.model.alpha = 1))))).toEqual([]);
    expect(messages(demoWith((c) => ((c.model.mix_mode = ['mixup', 'cutmix']), (c.model.alpha = [1]))))).toEqual([]);
    const prob = messages(demoWith((c) => ((c.model.mix_mode = ['mixup', 'cutmix']), (c.model.alpha = [1, 1]), (c.model.mix_prob = [0.5, 0.2, 0.3]))));
    expect(prob).toEqual(['model.mix_prob must have one probability per mix_mode (2), got 3: [0.5,0.2,0.3]']);
    expect(messages(demoWith((c) => (c.model.mix_prob = [0.5])))).toEqual(['model.mix_prob must sum to 1, got [0.5] (sum 0.5)']);
  });

  it('reports a missing field with what it expects, and an unknown field with the allowed ones', () => {
    expect(messages(demoWith((c) => delete c.model.head.num_classes))).toEqual(['model.head.num_classes is missing (expected an integer >= 1)']);
    const [unknown] = messages(demoWith((c) => (c.optimzer = {})));
    expect(unknown).toMatch(/^optimzer is not a known field; allowed here: model, data, optimizer, /);
  });

  it('reports every problem at once, schema and cross-field', () => {
    const all = messages(demoWith((c) => ((c.model.alpha = 'abc'), (c.runner.max_epochs = 0), (c.model.head.in_channels = 512))));
    expect(all).toHaveLength(3);
    expect(all).toContain('model.head.in_channels must be 128 (output channels of ResNet_CIFAR-18 stage 3), got 512');
  });

  it('checks pipeline steps by their type and refuses data_source fields its type does not read', () => {
    expect(messages(demoWith((c) => (c.data.train.pipeline[0] = {type: 'RandomCrop', size: 32})))).toEqual([]); // padding defaults to 0
    expect(messages(demoWith((c) => (c.data.train.pipeline[0] = {type: 'RandomCrop', size: 32, pad: 4})))).toEqual(['data.train.pipeline[0].pad is not a known field; allowed here: type, size, padding']);
    expect(messages(demoWith((c) => (c.data.train.pipeline[0] = {type: 'Resize', size: [32, 30], interpolation: 'bicubic'})))).toEqual([]);
    const [unknownStep] = messages(demoWith((c) => (c.data.val.pipeline[0] = {type: 'Blur'})));
    expect(unknownStep).toMatch(/^data\.val\.pipeline\[0\]\.type must be one of "Resize", .*"Normalize", got "Blur"$/);
    expect(messages(demoWith((c) => (c.data.train.data_source.num_images = 500)))).toEqual(['data.train.data_source.num_images is not a known field; allowed here: type, split, size, num_samples']);
    expect(messages(demoWith((c) => (c.data.train.data_source = {type: 'ImageList', root: 'x/'})))).toEqual([
      'data.train.data_source.list_file is missing (expected a non-empty string)',
    ]);
  });

  it('checks loss flags, topk and ResNeXt fields', () => {
    expect(messages(demoWith((c) => (c.model.head.loss.use_soft = true)))).toEqual([
      'model.head.multi_label must be true when model.head.loss.use_soft or use_sigmoid is true (soft targets are mixed one-hot labels), got false',
    ]);
    expect(messages(demoWith((c) => (c.evaluation.eval_param.topk = [1, 20])))).toEqual(['evaluation.eval_param.topk[1] must be <= model.head.num_classes (10), got 20']);
    expect(messages(demoWith((c) => (c.model.backbone = {type: 'ResNeXt', depth: 50, out_indices: [3]})))).toEqual(
      expect.arrayContaining(['model.backbone.groups is missing (expected an integer >= 1)', 'model.backbone.width_per_group is missing (expected an integer >= 1)']),
    );
  });
});

describe('AttentiveMix+ extractor fields', () => {
  it('accepts model.backbone_k and model.pretrained_k and checks them like the backbone', () => {
    const ok = demoWith((c) => {
      c.model.backbone_k = {type: 'ResNet', depth: 50, out_indices: [3]};
      c.model.pretrained_k = 'torchvision://resnet50';
    });
    expect(messages(ok)).toEqual([]);
    expect(messages(demoWith((c) => (c.model.backbone_k = {type: 'ResNeXt', depth: 50, out_indices: [3]})))).toEqual(
      expect.arrayContaining(['model.backbone_k.groups is missing (expected an integer >= 1)']),
    );
    expect(messages(demoWith((c) => (c.model.pretrained_k = 5))).join('\n')).toMatch(/model\.pretrained_k/);
  });
});

describe('stageChannels', () => {
  it('gives the ResNet output channels per stage', () => {
    expect(stageChannels({depth: 18}, 3)).toBe(512);
    expect(stageChannels({depth: 50}, 3)).toBe(2048);
    expect(stageChannels({depth: 101}, 2)).toBe(1024);
    expect(stageChannels({depth: 18, base_channels: 16}, 3)).toBe(128);
  });
});

describe('loadConfig / assertValidConfig', () => {
  it('returns a valid merged config with inherited values', () => {
    const config = loadConfig(path.join(FIXTURES, 'valid_demo_two_modes.json'));
    if (!isMixUp(config)) throw new Error('expected a MixUpClassification config');
    expect(config.model.mix_mode).toEqual(['mixup', 'cutmix']);
    expect(config.model.head.num_classes).toBe(10);
  });

  it('throws a usage MixupError with one "file: message" line per problem', () => {
    let error: unknown;
    try {
      loadConfig(path.join(FIXTURES, 'bad_types.json'));
    } catch (e) {
      error = e;
    }
    expect(isMixupError(error) && error.exitCode).toBe(2);
    const lines = (error as Error).message.split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).toMatch(/^test\/fixtures\/configs\/bad_types\.json: /);
    expect(lines).toContain('test/fixtures/configs/bad_types.json: model.alpha must be a number > 0 or a non-empty array of numbers > 0, got "abc"');
  });

  it('assertValidConfig names the given file', () => {
    expect(() => assertValidConfig({}, 'configs/x.json')).toThrow(/^configs\/x\.json: model is missing/);
  });
});

describe('validateFiles', () => {
  it('collects results per file, including load errors', () => {
    const results = validateFiles([path.join(FIXTURES, 'valid_demo_two_modes.json'), path.join(FIXTURES, 'cycle_a.json')]);
    expect(results.map((r) => r.valid)).toEqual([true, false]);
    expect(results[1].errors[0]).toMatch(/_base_ cycle/);
  });

  it('expands a directory to the .json files below it, sorted', () => {
    const results = validateFiles([path.join(ROOT, 'configs', 'cub200')]);
    expect(results.map((r) => path.basename(r.file))).toEqual([
      'r18_automix.json', 'r18_mixups_CE_none.json', 'r18_puzzlemix_CE_soft.json', 'r18_samix.json',
      'r50_mixups_CE_none.json', 'r50_puzzlemix_CE_soft.json',
      'rx50_automix.json', 'rx50_mixups_CE_none.json', 'rx50_puzzlemix_CE_soft.json', 'rx50_samix.json',
    ]);
    expect(results.every((r) => r.valid)).toBe(true);
  });
});

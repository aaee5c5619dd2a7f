/** The demo's presets for the learned mixers: the tiny model's widths per model type, the top-1 the table shows. */
import {planGeneration} from '../../src/config/generate';
import {mergeConfig, type JsonObject} from '../../src/config/load';
import {assertValidConfig} from '../../src/config/validate';
import {demoPreset, demoTop1, tinyModel} from '../../src/engine/demo';

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

  test('only the cpu preset shrinks the model', () => {
    expect(demoPreset('cpu').modelOverride).toBe(tinyModel);
    expect(demoPreset('native').modelOverride).toBeUndefined();
    expect(demoPreset('wasm').modelOverride).toBeUndefined();
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

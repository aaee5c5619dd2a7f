/**
 * `validate` ≡ `train`: whatever `validate` accepts, building the run (`train --dry-run`: data, model, mixer,
 * optimizer, one decoded batch) accepts, and whatever it refuses is refused. First the cases users hit (issue 12),
 * then a bounded, seeded fuzz over mutants of a tiny config. Neither side may fail with anything but a MixupError.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {loadConfigFile, mergeConfig, type JsonObject} from '../../src/config/load';
import {METHODS} from '../../src/config/methods';
import {validateConfig} from '../../src/config/validate';
import {dryRun} from '../../src/engine/dry-run';
import {isMixupError} from '../../src/errors';
import {Rng} from '../../src/rng';
import {tmpDir, writeTinyAutoMixConfig, writeTinyConfig} from '../engine/helpers';

const dir = tmpDir('mixup-agree-');
const base = loadConfigFile(writeTinyConfig(dir, {backend: 'cpu', data: {imgs_per_gpu: 8}, evaluation: {imgs_per_gpu: 8}}, 'base', 1, 16));

/** validate's first message ('' = valid) and the dry run's ('' = it built) for `config`. */
async function bothSides(config: JsonObject, name: string): Promise<{validate: string; build: string}> {
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  const issues = validateConfig(config);
  let build = '';
  try {
    await dryRun({configPath: file, workDir: path.join(dir, 'wd'), print: () => undefined});
  } catch (error) {
    if (!isMixupError(error)) throw new Error(`${name}: the dry run failed with a raw ${(error as Error).stack}\nconfig: ${JSON.stringify(config)}`);
    build = error.message;
  }
  return {validate: issues.map((i) => i.message).join('\n'), build};
}

const tinyImages = (pipeline: JsonObject[]): JsonObject => ({data: {val: {data_source: {_delete_: true, type: 'ImageList', root: dir, list_file: path.join(dir, 'list.txt')}, pipeline}}});

describe('validate and train agree', () => {
  it.each<[string, JsonObject, RegExp | '']>([
    ['lr warm-up and by_epoch', {lr_config: {warmup: 'linear', warmup_iters: 2, warmup_ratio: 0.1, warmup_by_epoch: false, by_epoch: false}}, ''],
    ['backbone num_stages 4, style pytorch, zero_init_residual', {model: {backbone: {num_stages: 4, style: 'pytorch', zero_init_residual: true}}}, ''],
    ['loss.reduction mean', {model: {head: {loss: {reduction: 'mean'}}}}, ''],
    ['Resize [h, w] bicubic', {data: {train: {pipeline: [{type: 'Resize', size: [16, 16], interpolation: 'bicubic'}, {type: 'ToTensor'}]}}}, ''],
    ['fmix.size [-1, -1]', {model: {mix_mode: 'fmix', mix_args: {fmix: {size: [-1, -1]}}}}, /model\.mix_args\.fmix\.size\[0\] must be an integer >= 1, got -1/],
    ['resizemix.scope [0.9, 0.1]', {model: {mix_mode: 'resizemix', mix_args: {resizemix: {scope: [0.9, 0.1]}}}}, /model\.mix_args\.resizemix\.scope must be \[low, high\] with low <= high/],
    ['backbone.depth 152', {model: {backbone: {depth: 152}}}, /model\.backbone\.depth must be one of 18, 34, 50, 101, got 152/],
    ['val pipeline ending in a short-side Resize', tinyImages([{type: 'Resize', size: 16}]), /data\.val\.pipeline must end with a crop or a Resize to \[h, w\]/],
    ['a data_source field its type does not read', {data: {train: {data_source: {root: '/data'}}}}, /data\.train\.data_source\.root is not a known field/],
    ['manifoldmix.layer [2, 2]', {model: {mix_mode: 'manifoldmix', mix_args: {manifoldmix: {layer: [2, 2]}}}}, /must be \[low, high\) with low < high/],
  ])('%s', async (name, override, expected) => {
    const {validate, build} = await bothSides(mergeConfig(base, override), name.replace(/\W+/g, '_'));
    if (expected === '') {
      expect(validate).toBe('');
      expect(build).toBe('');
    } else {
      expect(validate).toMatch(expected);
      expect(build).toMatch(expected); // train loads through validate: the same words, with the file named
    }
  });

  it('agrees on 200 seeded mutants of a tiny config (mix_args, loss, pipeline, backbone, schedule fields)', async () => {
    const rng = new Rng(20261203);
    const values: unknown[] = [-1, 0, 0.5, 1, 2, 3, 7, 64, 1e9, 'x', '', null, true, false, [], [1], [2, 1], [0.1, 0.9], [0.9, 0.1], [1, 2, 3], {}, {a: 1}];
    const plausible: unknown[] = [0, 0.1, 0.5, 1, 2, 3, true, false, [0.1, 0.9], [1, 2], [0, 1]];
    const pickOne = <T>(list: readonly T[]): T => list[rng.int(list.length)];
    // values: a plausible one 60% of the time, so that many mutants pass the schema and reach the build
    const pick = pickOne;
    const val = (extra: unknown[] = []): unknown => (rng.uniform() < 0.6 ? pickOne([...plausible, ...extra]) : pickOne([...values, ...extra]));
    const methods = METHODS.filter((m) => m.kind !== 'learned' && m.kind !== 'model');
    const mutants: Array<(c: JsonObject) => void> = [
      (c) => {
        const m = pick(methods);
        const fields = [...Object.keys(m.args), 'unknown_field'];
        (c.model as JsonObject).mix_mode = m.name;
        (c.model as JsonObject).mix_args = {[m.name]: {[pick(fields)]: val()}};
      },
      (c) => (((c.model as JsonObject).head as JsonObject).loss = {...(((c.model as JsonObject).head as JsonObject).loss as JsonObject), [pick(['label_smooth_val', 'loss_weight', 'eta_weight', 'reduction', 'use_soft', 'use_sigmoid', 'use_mix_decouple', 'class_weight', 'x'])]: val()}),
      (c) => {
        const step = pick([{type: 'Resize'}, {type: 'RandomResizedCrop'}, {type: 'CenterCrop'}, {type: 'RandomCrop'}, {type: 'RandomHorizontalFlip'}, {type: 'Normalize', mean: [0, 0, 0], std: [1, 1, 1]}]) as JsonObject;
        const field = pick(['size', 'scale', 'ratio', 'interpolation', 'padding', 'p', 'mean', 'std', 'extra']);
        ((c.data as JsonObject).train as JsonObject).pipeline = [{...step, size: 16, [field]: val([16, [16, 16], 'bicubic'])}];
      },
      (c) => (((c.model as JsonObject).backbone as JsonObject)[pick(['depth', 'num_stages', 'style', 'zero_init_residual', 'base_channels', 'out_indices', 'in_channels'])] = val([18, 34, 50, 'pytorch', [3]])),
      (c) => ((c.lr_config as JsonObject)[pick(['policy', 'min_lr', 'warmup', 'warmup_iters', 'warmup_ratio', 'by_epoch', 'step', 'gamma'])] = val(['linear', 'step', 'CosineAnnealing'])),
      (c) => (((c.data as JsonObject).train as JsonObject).data_source = {...(((c.data as JsonObject).train as JsonObject).data_source as JsonObject), [pick(['num_classes', 'size', 'num_samples', 'seed', 'split', 'root'])]: val(['train', 'val', 6, 8])}),
      (c) => ((c.model as JsonObject)[pick(['alpha', 'mix_prob', 'mix_repeat'])] = val()),
    ];
    const disagreements: string[] = [];
    let built = 0;
    for (let i = 0; i < 200; i++) {
      const config = JSON.parse(JSON.stringify(base)) as JsonObject;
      pick(mutants)(config);
      const {validate, build} = await bothSides(config, `mutant${i}`);
      if (build === '') built++;
      if ((validate === '') !== (build === '')) disagreements.push(`mutant ${i}: validate ${validate || 'ok'} | train ${build || 'ok'}`);
    }
    expect(disagreements).toEqual([]);
    process.stdout.write(`${built} of 200 mutants built\n`);
    expect(built).toBeGreaterThanOrEqual(20); // the fuzz must reach the build, not only the schema
  }, 240_000);

  it('agrees on 80 seeded mutants of a tiny AutoMix config (Mix Block, mask layer, margins, heads, hooks)', async () => {
    const automix = loadConfigFile(writeTinyAutoMixConfig(dir, {backend: 'cpu', data: {imgs_per_gpu: 8}, evaluation: {imgs_per_gpu: 8}}, 'automix_base', 1, 16));
    const rng = new Rng(20261204);
    const pick = <T>(list: readonly T[]): T => list[rng.int(list.length)];
    const values: unknown[] = [-1, 0, 0.08, 0.5, 1, 2, 3, 4, 8, 16, 32, true, false, null, 'x', 'nearest', 'bilinear', 'L1', 'L2', 'none', [], [2, 3], [1, 3], [3], ['nearest'], {}];
    const model = (c: JsonObject) => c.model as JsonObject;
    const mutants: Array<(c: JsonObject) => void> = [
      (c) => ((model(c).mix_block as JsonObject)[pick(['in_channels', 'reduction', 'use_scale', 'unsampling_mode', 'lam_concat', 'lam_concat_v', 'lam_mul', 'lam_residual', 'lam_mul_k', 'x_qk_concat', 'x_v_concat', 'mask_loss_mode', 'mask_loss_margin', 'frozen', 'value_neck_cfg', 'extra'])] = pick(values)),
      // (model.pretrained is left out: whether a weights file exists is the dry run's to find, not the schema's)
      (c) => (model(c)[pick(['mask_layer', 'mask_loss', 'mask_adjust', 'lam_margin', 'alpha', 'momentum', 'mix_shuffle_no_repeat'])] = pick(values)),
      (c) => ((model(c).backbone as JsonObject)[pick(['out_indices', 'base_channels', 'depth'])] = pick([...values, 18, [2, 3], [0, 3]])),
      (c) => ((model(c)[pick(['head_one', 'head_mix'])] as JsonObject)[pick(['in_channels', 'num_classes', 'with_avg_pool', 'multi_label'])] = pick(values)),
      (c) => ((model(c).head_weights as JsonObject)[pick(['head_mix_q', 'head_one_q', 'head_mix_k', 'head_one_k', 'extra'])] = pick(values)),
      (c) => (((c.custom_hooks as JsonObject[])[pick([0, 1])] as JsonObject)[pick(['attr_base', 'min_attr', 'end_momentum', 'adjust_scope', 'update_interval', 'warming_up', 'by_epoch'])] = pick(values)),
      (c) => ((((c.optimizer as JsonObject).paramwise_options as JsonObject).mix_block as JsonObject)[pick(['lr', 'momentum', 'weight_decay'])] = pick(values)),
    ];
    const disagreements: string[] = [];
    let built = 0;
    for (let i = 0; i < 80; i++) {
      const config = JSON.parse(JSON.stringify(automix)) as JsonObject;
      pick(mutants)(config);
      const {validate, build} = await bothSides(config, `automix_mutant${i}`);
      if (build === '') built++;
      if ((validate === '') !== (build === '')) disagreements.push(`mutant ${i}: validate ${validate || 'ok'} | train ${build || 'ok'}`);
    }
    expect(disagreements).toEqual([]);
    expect(built).toBeGreaterThanOrEqual(10);
  }, 240_000);
});

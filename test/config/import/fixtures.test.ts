/**
 * The OpenMixup fixtures (test/fixtures/openmixup: CUB-200, Aircraft and iNat2017 mixup configs, a CUB AutoMix one,
 * with their `_base_` chains) import into configs `validate` accepts, with OpenMixup's settings.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {importPythonConfig} from '../../../src/config/import/import-file';
import {planImport, runImport} from '../../../src/config/import/convert';
import {loadConfig, validateConfig} from '../../../src/config/validate';
import {FIXTURES, tempDir} from './helpers';

const CONFIGS = [
  'cub200/mixups/basic/r18_mixups_CE_none.py',
  'cub200/mixups/basic/rx50_mixups_CE_none.py',
  'cub200/automix/r18_l2_a2_near_lam_cat_mb_mlr5e_4_1xb16_ep200.py',
  'aircrafts/mixups/basic/r18_mixups_CE_none.py',
  'inaturalist2017/mixups/r50_mixups_CE_none_4xb64.py',
  'inaturalist2017/mixups/r18_mixups_CE_none_4xb64.py',
];
const NORMALIZE = {type: 'Normalize', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225]};
const HELPERS = ['data_source_cfg', 'data_train_list', 'data_train_root', 'data_test_list', 'data_test_root', 'dataset_type', 'img_norm_cfg', 'train_pipeline', 'test_pipeline'];

it.each(CONFIGS)('%s imports and validates', (name) => {
  const {config, notes, problems, sources} = importPythonConfig(path.join(FIXTURES, name));
  expect(problems).toEqual([]);
  expect(validateConfig(config)).toEqual([]);
  expect(sources[0]).toBe(path.join(FIXTURES, name));
  expect(sources.some((s) => s.endsWith('default_runtime.py'))).toBe(true);
  // the helper variables of the dataset base are gone, each with a note
  for (const helper of HELPERS) {
    expect(config).not.toHaveProperty(helper);
    expect(notes).toContainEqual(expect.objectContaining({kind: 'helper', path: helper}));
  }
  // prefetch: the train pipeline gains the normalisation OpenMixup does on the GPU; val keeps its own
  const data = config.data as {train: {pipeline: unknown[]}; val: {pipeline: unknown[]}};
  expect(data.train.pipeline.at(-1)).toEqual(NORMALIZE);
  expect(data.val.pipeline.at(-1)).toEqual(NORMALIZE);
  expect(data.train).not.toHaveProperty('prefetch');
  expect(config.fp16).toBeNull();
});

it('keeps the settings of the OpenMixup files (CUB-200 R-18)', () => {
  const {config, notes} = importPythonConfig(path.join(FIXTURES, CONFIGS[0]));
  expect(config.optimizer).toEqual({type: 'SGD', lr: 0.001, momentum: 0.9, weight_decay: 0.0005});
  expect(config.data).toMatchObject({imgs_per_gpu: 16, workers_per_gpu: 4, drop_last: true});
  expect((config.data as {train: {pipeline: unknown[]}}).train.pipeline).toEqual([
    {type: 'Resize', size: 256},
    {type: 'RandomResizedCrop', size: 224, scale: [0.5, 1.0]},
    {type: 'RandomHorizontalFlip'},
    NORMALIZE,
  ]);
  expect(config.model).toMatchObject({mix_prob: null, mix_repeat: 1, backbone: {out_indices: [3]}, head: {num_classes: 200}});
  expect(config.workflow).toEqual([['train', 1]]);
  expect(notes.filter((n) => n.kind === 'unmapped')).toEqual([]);
  expect(notes.filter((n) => n.kind === 'default').map((n) => n.path)).toEqual(['model.mix_prob', 'model.mix_repeat']);
});

it('merges a single-string _base_: RX-50 takes mix_args and num_stages from R-18, replaces the rest', () => {
  const {config} = importPythonConfig(path.join(FIXTURES, CONFIGS[1]));
  const model = config.model as Record<string, Record<string, unknown>>;
  expect(model.backbone).toEqual({type: 'ResNeXt', depth: 50, num_stages: 4, out_indices: [3], style: 'pytorch', groups: 32, width_per_group: 4});
  expect(model.mix_args.fmix).toEqual({decay_power: 3, size: [224, 224], max_soft: 0, reformulate: false});
  expect(model.head.in_channels).toBe(2048);
});

it('fills OpenMixup defaults the iNat config leaves out (drop_last, grad_clip)', () => {
  const {config, notes} = importPythonConfig(path.join(FIXTURES, CONFIGS[5]));
  expect(config.data).toMatchObject({imgs_per_gpu: 64, drop_last: false, train: {data_source: {type: 'ImageList', splitor: ','}}});
  expect(config.optimizer_config).toEqual({grad_clip: null});
  expect(notes.filter((n) => n.kind === 'default').map((n) => n.path)).toEqual(['model.mix_prob', 'model.mix_repeat', 'optimizer_config.grad_clip', 'data.drop_last']);
  expect((config.model as {backbone: unknown}).backbone).toEqual({type: 'ResNet', depth: 18, num_stages: 4, out_indices: [3], style: 'pytorch'});
});

it('lists what the AutoMix config has that mixup does not: SAVEHook; neutral values are dropped as mapped', () => {
  const {config, notes} = importPythonConfig(path.join(FIXTURES, CONFIGS[2]));
  expect(notes.filter((n) => n.kind === 'unmapped').map((n) => n.path)).toEqual(['custom_hooks[0]']);
  expect(notes.find((n) => n.path === 'custom_hooks[0]')?.message).toContain('"SAVEHook"');
  expect((config.custom_hooks as Array<{type: string}>).map((h) => h.type)).toEqual(['CustomCosineAnnealingHook', 'CosineScheduleHook']);
  expect(config.optimizer_config).toEqual({update_interval: 1, grad_clip: null});
  expect(notes).toContainEqual(expect.objectContaining({kind: 'mapped', path: 'model.debug'}));
});

it('converts the fixture tree, mirrored under --out, skipping _base_/', () => {
  const out = tempDir();
  try {
    const outcomes = runImport(planImport(FIXTURES, out), {force: false, strict: false});
    expect(outcomes.map((o) => path.relative(out, o.target)).sort()).toEqual(CONFIGS.map((c) => c.replace(/\.py$/, '.json')).sort());
    expect(outcomes.every((o) => o.written)).toBe(true);
    for (const c of CONFIGS) expect(() => loadConfig(path.join(out, c.replace(/\.py$/, '.json')))).not.toThrow();
    expect(fs.existsSync(path.join(out, '_base_'))).toBe(false);
  } finally {
    fs.rmSync(out, {recursive: true, force: true});
  }
});

it('--gpus 4 takes the iNat "4xb64" step on one device: update_interval 4, lr unchanged', () => {
  const {config, notes, problems} = importPythonConfig(path.join(FIXTURES, CONFIGS[5]), {gpus: 4});
  expect(problems).toEqual([]);
  expect(config.optimizer_config).toEqual({grad_clip: null, update_interval: 4});
  expect((config.optimizer as {lr: number}).lr).toBe(0.1);
  expect(notes.find((n) => n.path === 'optimizer_config.update_interval')?.message).toBe(
    "--gpus 4: OpenMixup's step spans 4 GPUs (4 × 64 images = 256 a step); written as update_interval 4, summing 4 iterations' gradients on one device",
  );
  // an update_interval the config already has is multiplied
  const automix = importPythonConfig(path.join(FIXTURES, CONFIGS[2]), {gpus: 2}).config;
  expect(automix.optimizer_config).toEqual({update_interval: 2, grad_clip: null});
});

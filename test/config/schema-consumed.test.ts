/**
 * The schema and the engine agree on the fields: a short `mixup train` of maximal configs (a MixUpClassification and
 * a SAMix AutoMixup, every optional field given) records, through a Proxy over the config `loadConfig` returns, each
 * field the run reads. Every field read must be a schema path, and every field of the (defaults-filled) config must be
 * read, except the documented no-ops listed below (OpenMixup spellings accepted and ignored, docs/config.md).
 */
import * as path from 'node:path';
import * as validate from '../../src/config/validate';
import {CONFIG_SCHEMA, OPENMIXUP_NO_OP_KEYS} from '../../src/config/schema';
import {trainRun} from '../../src/engine/run';
import {tmpDir, writeTinyAutoMixConfig, writeTinyConfig} from '../engine/helpers';
import {OPENMIXUP_NO_OP_VALUES} from './openmixup-no-ops';

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every property path of a JSON schema: `a.b`, `a.list[]`, `a.map.*` (any key), through unions and if/then branches. */
function schemaPaths(schema: unknown, at = '', out = new Set<string>()): Set<string> {
  if (!isNode(schema)) return out;
  if (isNode(schema.properties)) {
    for (const [key, sub] of Object.entries(schema.properties)) {
      const p = at === '' ? key : `${at}.${key}`;
      out.add(p);
      schemaPaths(sub, p, out);
    }
  }
  if (isNode(schema.items)) {
    out.add(`${at}[]`);
    schemaPaths(schema.items, `${at}[]`, out);
  }
  if (isNode(schema.additionalProperties)) {
    out.add(`${at}.*`);
    schemaPaths(schema.additionalProperties, `${at}.*`, out);
  }
  for (const branch of [...((schema.anyOf as unknown[]) ?? []), ...((schema.allOf as Node[]) ?? []).map((b) => b.then)]) schemaPaths(branch, at, out);
  return out;
}

/** The paths whose schema admits one value only (`optimizer.type: "SGD"`, `two_hot: false`): nothing to read. */
function constantPaths(schema: unknown, at = '', out = new Set<string>()): Set<string> {
  if (!isNode(schema)) return out;
  const single = (s: unknown): boolean => isNode(s) && (s.const !== undefined || (s.type === 'array' && s.maxItems === 1 && single(s.items)));
  if (single(schema)) out.add(at);
  if (isNode(schema.properties)) for (const [key, sub] of Object.entries(schema.properties)) constantPaths(sub, at === '' ? key : `${at}.${key}`, out);
  if (isNode(schema.items)) constantPaths(schema.items, `${at}[]`, out);
  for (const branch of ((schema.allOf as Node[]) ?? []).map((b) => b.then)) constantPaths(branch, at, out);
  return out;
}

/** The leaf paths of a config (`[]` for array items), as `schemaPaths` spells them. */
function configLeaves(value: unknown, at = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(value) && value.some((v) => typeof v === 'object' && v !== null)) value.forEach((v) => configLeaves(v, `${at}[]`, out));
  else if (isNode(value) && Object.keys(value).length > 0) for (const [k, v] of Object.entries(value)) configLeaves(v, at === '' ? k : `${at}.${k}`, out);
  else out.add(at);
  return out;
}

const IGNORED_KEYS = new Set(['then', 'toJSON', 'constructor', ...Object.getOwnPropertyNames(Object.prototype)]);

/**
 * `value` behind a Proxy adding to `reads` the path of each field read (not the reads of JSON.stringify and
 * `configHash`, which serialise the whole config into the run's log meta and checkpoints).
 */
function recording<T>(value: T, reads: Set<string>, at = '', cache = new WeakMap<object, unknown>()): T {
  if (typeof value !== 'object' || value === null) return value;
  const cached = cache.get(value as object);
  if (cached) return cached as T;
  const proxy = new Proxy(value as object, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return v;
      const isArray = Array.isArray(target);
      if (isArray ? !/^\d+$/.test(key) : IGNORED_KEYS.has(key)) return v;
      const p = isArray ? `${at}[]` : at === '' ? key : `${at}.${key}`;
      const stack = new Error().stack ?? '';
      if (!stack.includes('JSON.stringify') && !stack.includes('configHash')) reads.add(p);
      return recording(v, reads, p, cache);
    },
  });
  cache.set(value as object, proxy);
  return proxy as T;
}

/** `model.mix_args.fmix.size` -> `model.mix_args.*.size`: the per-method arguments are the catalog's (`methods.ts`). */
const generic = (p: string): string => p.replace(/^model\.mix_args\.[^.]+/, 'model.mix_args.*');
/** Under `model.mix_args.*`: the catalog, not the schema, describes the fields (test/config/validate-agrees-with-train). */
const inSchema = (paths: Set<string>, p: string): boolean => paths.has(generic(p)) || generic(p).startsWith('model.mix_args.*.');

/**
 * Fields accepted and never read by the engine, each documented (docs/config.md "OpenMixup spellings"), named one by
 * one so that a new unread field fails this test until it is implemented or documented here (a field's sub-fields
 * are covered by its entry).
 */
const NO_OPS = [
  // OpenMixup's top-level keys that mean nothing for a single-process run
  ...OPENMIXUP_NO_OP_KEYS,
  // the text log mixup always writes
  'log_config.hooks',
  // OpenMixup's CosineScheduleHook swallows it too
  'custom_hooks[].interval',
  // OpenMixup's ConvNeck: overwritten by the Mix Block with its value input channels
  'model.mix_block.value_neck_cfg.in_channels',
  // an evaluation before the first epoch: not run (it changes no result; OpenMixup's default is true)
  'evaluation.initial',
  // OpenMixup's head flag: what it selects is spelled by the loss flags, and validate checks the two agree
  'model.head.multi_label',
  'model.head_one.multi_label',
  'model.head_mix.multi_label',
  'model.head_mix_k.multi_label',
];
const isNoOp = (leaf: string): boolean => NO_OPS.some((p) => leaf === p || leaf.startsWith(`${p}.`) || leaf.startsWith(`${p}[]`));

const MAXIMAL_MIXUP = {
  model: {
    mix_mode: ['mixup', 'cutmix', 'fmix', 'resizemix'],
    alpha: [0.2, 1, 1, 1],
    mix_prob: [0.25, 0.25, 0.25, 0.25],
    mix_repeat: 1,
    mix_args: {fmix: {decay_power: 3, size: [16, 16], max_soft: 0, reformulate: false}, resizemix: {scope: [0.1, 0.8], use_alpha: true}},
    backbone: {num_stages: 4, style: 'pytorch', zero_init_residual: false, in_channels: 3},
    head: {two_hot: false, loss: {use_sigmoid: false, use_soft: false, use_mix_decouple: false, label_smooth_val: 0, reduction: 'mean', class_weight: null}},
  },
  data: {
    workers_per_gpu: 0,
    strict: false,
    max_skip_fraction: {train: 0.01, val: 0},
    cache: 'auto',
    cache_budget_mb: 64,
    train: {
      pipeline: [
        {type: 'RandomResizedCrop', size: 16, scale: [0.5, 1], ratio: [0.75, 1.33], interpolation: 'bilinear'},
        {type: 'RandomCrop', size: 16, padding: 2},
        {type: 'RandomHorizontalFlip', p: 0.5},
        {type: 'ToTensor'},
        {type: 'Normalize', mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25]},
      ],
    },
    val: {pipeline: [{type: 'Resize', size: [16, 16], interpolation: 'bicubic'}, {type: 'CenterCrop', size: 16}]},
  },
  optimizer_config: {grad_clip: {max_norm: 10}, update_interval: 1},
  lr_config: {policy: 'CosineAnnealing', min_lr: 0, by_epoch: false, warmup: 'linear', warmup_iters: 2, warmup_ratio: 0.1, warmup_by_epoch: false},
  evaluation: {workers_per_gpu: 0},
  seed: 1,
  ...OPENMIXUP_NO_OP_VALUES,
};

/** The paths a one-epoch `mixup train` of `configFile` reads. */
async function readsOfRun(configFile: string, workDir: string): Promise<{reads: Set<string>; config: unknown}> {
  const reads = new Set<string>();
  let loaded: unknown;
  const original = validate.loadConfig;
  const spy = jest.spyOn(validate, 'loadConfig').mockImplementation((file: string) => {
    loaded = original(file);
    return recording(loaded as ReturnType<typeof original>, reads);
  });
  try {
    await trainRun({configPath: configFile, workDir, print: () => undefined, progress: 'none'});
  } finally {
    spy.mockRestore();
  }
  return {reads, config: loaded};
}

describe('every schema field is consumed, every consumed field is in the schema', () => {
  const paths = schemaPaths(CONFIG_SCHEMA);
  const constants = constantPaths(CONFIG_SCHEMA);

  it.each([
    ['a maximal MixUpClassification config', (dir: string) => writeTinyConfig(dir, MAXIMAL_MIXUP as never, 'maximal', 1, 32)],
    [
      'a maximal SAMix (AutoMixup) config',
      (dir: string) =>
        writeTinyAutoMixConfig(
          dir,
          {
            data: {workers_per_gpu: 0},
            evaluation: {workers_per_gpu: 0},
            model: {
              mix_block: {
                unsampling_mode: ['bilinear'], lam_concat: false, lam_mul: 1, lam_residual: true, lam_mul_k: 1, x_qk_concat: true, mask_loss_mode: 'L1+Variance',
                value_neck_cfg: {type: 'ConvNeck', in_channels: 16, hid_channels: 8, out_channels: 1, num_layers: 2, kernel_size: 1, with_last_bn: false, norm_cfg: {type: 'BN'}, with_last_dropout: 0.1, with_avg_pool: false, with_residual: false},
              },
              head_mix_k: {type: 'ClsMixupHead', with_avg_pool: true, multi_label: true, in_channels: 32, num_classes: 6, loss: {type: 'CrossEntropyLoss', use_soft: true, use_mix_decouple: true, eta_weight: 0.1, loss_weight: 1}},
            },
          } as never,
          'maximal_samix',
          1,
          32,
        ),
    ],
  ])('%s', async (_name, write) => {
    const dir = tmpDir('mixup-consumed-');
    const {reads, config} = await readsOfRun(write(dir), path.join(dir, 'wd'));
    const notInSchema = [...reads].filter((p) => !inSchema(paths, p)).sort();
    expect(notInSchema).toEqual([]);
    const readOrParent = (leaf: string) => [...reads].some((r) => r === leaf || r.startsWith(`${leaf}.`) || r.startsWith(`${leaf}[]`));
    // `mix_args` of a method the config does not schedule are kept for when it does (OpenMixup's reference configs list all)
    const model = (config as {model: {mix_mode?: string | string[]}}).model;
    const scheduled = new Set([model.mix_mode ?? []].flat());
    const unscheduled = (leaf: string): boolean => /^model\.mix_args\.([^.]+)/.test(leaf) && !scheduled.has(/^model\.mix_args\.([^.]+)/.exec(leaf)![1]);
    const unread = [...configLeaves(config)].filter((leaf) => !isNoOp(leaf) && !constants.has(leaf) && !unscheduled(leaf) && !readOrParent(leaf)).sort();
    expect(unread).toEqual([]);
  }, 600_000);
});

/**
 * The JSON schema (draft-07, checked by ajv with allErrors) of a complete, merged config: `src/config/types.ts` as
 * data. Every node that a user can get wrong carries a `description` phrased as what is expected ("a number > 0"):
 * `validate.ts` turns ajv's errors into `file: dotted.path must be <description>, got <value>`.
 *
 * Checks that need more than one field (mix_mode/alpha/mix_prob lengths, method names, head channels) live in
 * `validate.ts`. `data_source` and pipeline steps allow extra properties: the data room may read more fields.
 */

import {argSchemas} from './args';
import {LOSS_ARGS} from './loss-args';

type Schema = Record<string, unknown>;

const integer = (minimum: number): Schema => ({type: 'integer', minimum, description: `an integer >= ${minimum}`});
const positive: Schema = {type: 'number', exclusiveMinimum: 0, description: 'a number > 0'};
const nonNegative: Schema = {type: 'number', minimum: 0, description: 'a number >= 0'};
const bool: Schema = {type: 'boolean', description: 'true or false'};
const text: Schema = {type: 'string', minLength: 1, description: 'a non-empty string'};
const oneOfNames = (names: readonly string[]): Schema => ({enum: [...names], description: `one of ${names.map((n) => JSON.stringify(n)).join(', ')}`});
/** an object with exactly these properties (`required` ones must be present) */
const strict = (properties: Record<string, Schema>, required: string[]): Schema => ({type: 'object', description: 'an object', additionalProperties: false, required, properties});

/**
 * `if object[key] === value then (required, properties)` as a schema. The `then` branch carries the property
 * schemas so that a "missing" message can say what is expected (repeated messages are merged by validate.ts).
 */
const when = (key: string, value: string, required: string[], properties: Record<string, Schema>): Schema => ({
  if: {properties: {[key]: {const: value}}, required: [key]},
  then: {required, properties},
});

/** a side `n` (square) or `[h, w]`, positive integers */
const side: Schema = {type: 'integer', minimum: 1, maximum: 8192, description: 'an integer in [1, 8192]'};
const size: Schema = {description: 'an integer in [1, 8192] or a pair [h, w] of them', anyOf: [side, {type: 'array', items: side, minItems: 2, maxItems: 2}]};
/** torchvision's interpolation names, or PIL's codes */
const interpolation: Schema = {enum: ['bilinear', 'bicubic', 'nearest', 2, 3, 0], description: '"bilinear" (2), "bicubic" (3) or "nearest" (0)'};
const pairOf = (item: Schema, what: string): Schema => ({type: 'array', items: item, minItems: 2, maxItems: 2, description: what});
const threeOf = (item: Schema, what: string): Schema => ({type: 'array', items: item, minItems: 3, maxItems: 3, description: what});

/** Pipeline step types the schema knows, with the fields each reads (src/data/transforms.ts) and those it needs. */
export const PIPELINE_STEPS: Record<string, {required: string[]; properties: Record<string, Schema>}> = {
  Resize: {required: ['size'], properties: {size, interpolation}},
  RandomResizedCrop: {
    required: ['size'],
    properties: {
      size,
      scale: pairOf({type: 'number', exclusiveMinimum: 0, maximum: 1}, 'a pair [min, max] of area fractions in (0, 1]'),
      ratio: pairOf({type: 'number', exclusiveMinimum: 0}, 'a pair [min, max] of aspect ratios > 0'),
      interpolation,
    },
  },
  CenterCrop: {required: ['size'], properties: {size}},
  RandomHorizontalFlip: {required: [], properties: {p: {type: 'number', minimum: 0, maximum: 1, description: 'a number in [0, 1]'}}},
  /** OpenMixup's pipelines end with it; the loader always yields float tensors, so it is a no-op here */
  ToTensor: {required: [], properties: {}},
  RandomCrop: {required: ['size'], properties: {size, padding: integer(0)}},
  Normalize: {
    required: ['mean', 'std'],
    properties: {
      mean: threeOf({type: 'number'}, 'an array of 3 numbers (per-channel means on the [0, 1] scale)'),
      std: threeOf(positive, 'an array of 3 numbers > 0 (per-channel stds on the [0, 1] scale)'),
    },
  },
};

/** `data_source.type` values (the data room's readers). */
export const DATA_SOURCE_TYPES = ['ImageList', 'ImageNet', 'CUB200', 'Aircraft', 'INaturalist', 'Places205', 'ImageFolder', 'MNIST', 'FashionMNIST', 'Synthetic'] as const;
/** Sources held in memory at one size (no image files): any pipeline batches. The others need a fixed-size end. */
export const IN_MEMORY_SOURCE_TYPES: readonly string[] = ['MNIST', 'FashionMNIST', 'Synthetic'];
/** `model.backbone.type` values. */
export const BACKBONE_TYPES = ['ResNet', 'ResNeXt', 'ResNet_Mix', 'ResNet_CIFAR'] as const;
/** `backend` values (`src/engine/backend.ts`). */
export const BACKEND_NAMES = ['auto', 'tensorflow', 'webgpu', 'native', 'wasm', 'cpu'] as const;

const pipelineStep: Schema = {
  type: 'object',
  description: 'a pipeline step object with a "type"',
  required: ['type'],
  properties: {type: oneOfNames(Object.keys(PIPELINE_STEPS))},
  // each step type takes exactly its fields (the data room refuses others)
  allOf: Object.entries(PIPELINE_STEPS).map(([type, step]) => {
    const properties = {type: {const: type}, ...step.properties};
    return {if: {properties: {type: {const: type}}, required: ['type']}, then: {required: step.required, properties, additionalProperties: false}};
  }),
};

const oneOf = (values: readonly string[]): Schema => oneOfNames(values);
const split2 = (values: readonly string[]): Schema => ({...oneOf(values), description: `${oneOf(values).description as string} (default: the loader's split)`});
const intIn = (min: number, max: number): Schema => ({type: 'integer', minimum: min, maximum: max, description: `an integer in [${min}, ${max}]`});
const imageList = {required: ['list_file'], properties: {root: text, list_file: text, splitor: oneOfNames([' ', ',', ';']), return_label: bool}};

/**
 * `data_source` types with the fields each reads (src/data/sources/*) and those it needs; any other field is refused,
 * as the data room refuses it.
 */
export const DATA_SOURCES: Record<(typeof DATA_SOURCE_TYPES)[number], {required: string[]; properties: Record<string, Schema>}> = {
  ImageList: imageList,
  /** OpenMixup's name for an ImageList of ImageNet */
  ImageNet: imageList,
  CUB200: {required: ['root'], properties: {root: text, split: split2(['train', 'test'])}},
  Aircraft: {required: ['root'], properties: {root: text, split: split2(['train', 'val', 'trainval', 'test']), level: oneOf(['variant', 'family', 'manufacturer']), crop_banner: bool}},
  INaturalist: {required: ['root', 'ann_file'], properties: {root: text, ann_file: text}},
  Places205: {required: ['root'], properties: {root: text, split: split2(['train', 'val'])}},
  ImageFolder: {required: ['root'], properties: {root: text}},
  MNIST: {required: [], properties: {split: split2(['train', 'val']), size: intIn(1, 1024), num_samples: integer(1)}},
  FashionMNIST: {required: [], properties: {root: text, split: split2(['train', 'test']), size: intIn(1, 1024), num_samples: integer(1)}},
  Synthetic: {required: [], properties: {num_classes: intIn(2, 1000), size: intIn(8, 1024), num_samples: intIn(1, 1_000_000), seed: intIn(0, 0xffffffff), split: split2(['train', 'val'])}},
};

const dataSource: Schema = {
  type: 'object',
  description: 'an object with a "type"',
  required: ['type'],
  properties: {type: oneOfNames(DATA_SOURCE_TYPES)},
  allOf: Object.entries(DATA_SOURCES).map(([type, source]) => {
    const properties = {type: {const: type}, ...source.properties};
    return {if: {properties: {type: {const: type}}, required: ['type']}, then: {required: source.required, properties, additionalProperties: false}};
  }),
};

const split: Schema = strict(
  {
    type: {const: 'ClassificationDataset', description: '"ClassificationDataset"'},
    data_source: dataSource,
    pipeline: {type: 'array', items: pipelineStep, description: 'an array of pipeline steps'},
  },
  ['type', 'data_source', 'pipeline'],
);

const numberOrList: Schema = {
  description: 'a number > 0 or a non-empty array of numbers > 0',
  anyOf: [positive, {type: 'array', items: positive, minItems: 1}],
};

const backboneProperties: Record<string, Schema> = {
  type: oneOfNames(BACKBONE_TYPES),
  depth: {enum: [18, 34, 50, 101], description: 'one of 18, 34, 50, 101'},
  /** OpenMixup spellings with the only value the models room builds */
  num_stages: {const: 4, description: '4 (other stage counts are not supported)'},
  style: {const: 'pytorch', description: '"pytorch" (the stride on the 3×3 conv)'},
  zero_init_residual: bool,
  in_channels: integer(1),
  groups: integer(1),
  width_per_group: integer(1),
  base_channels: integer(1),
  out_indices: {type: 'array', items: {type: 'integer', minimum: 0, maximum: 3}, minItems: 1, description: 'a non-empty array of stage indices 0..3'},
};

const backboneSchema: Schema = {...strict(backboneProperties, ['type', 'depth', 'out_indices']), allOf: [when('type', 'ResNeXt', ['groups', 'width_per_group'], backboneProperties)]};

const lrProperties: Record<string, Schema> = {
  policy: oneOfNames(['CosineAnnealing', 'step', 'fixed']),
  min_lr: nonNegative,
  step: {type: 'array', items: {type: 'integer', minimum: 1}, minItems: 1, description: 'a non-empty array of epochs (integers >= 1)'},
  gamma: positive,
  by_epoch: bool,
  warmup: {enum: ['linear', 'constant', 'exp', null], description: '"linear", "constant", "exp" or null'},
  warmup_iters: integer(0),
  warmup_ratio: nonNegative,
  warmup_by_epoch: bool,
};

const additionalSchedulerProperties: Record<string, Schema> = {
  ...lrProperties,
  paramwise_options: {type: 'array', items: {const: 'mix_block', description: '"mix_block"'}, minItems: 1, maxItems: 1, description: 'the param groups it drives: ["mix_block"]'},
};

/** a number in [0, 1]: momenta, probabilities, run fractions */
const unitInterval: Schema = {type: 'number', minimum: 0, maximum: 1, description: 'a number in [0, 1]'};

/** `model.head.loss`: the fields of `LOSS_ARGS` (src/config/loss-args.ts, which also holds the rules between them). */
const lossProperties: Record<string, Schema> = argSchemas(LOSS_ARGS);

const headProperties = (loss: Schema): Record<string, Schema> => ({
  type: oneOfNames(['ClsHead', 'ClsMixupHead']),
  num_classes: integer(1),
  in_channels: integer(1),
  with_avg_pool: bool,
  multi_label: bool,
  two_hot: bool,
  loss,
});
const headRequired = ['type', 'num_classes', 'in_channels', 'with_avg_pool', 'multi_label', 'loss'];

/** `model` of a `MixUpClassification` (the mix_mode methods). */
const mixUpModel: Schema = strict(
  {
    type: {const: 'MixUpClassification', description: '"MixUpClassification"'},
    pretrained: {type: ['string', 'null'], description: 'a weights name such as "torchvision://resnet18", or null (from scratch)'},
    alpha: numberOrList,
    mix_mode: {description: 'a method name or a non-empty array of method names', anyOf: [text, {type: 'array', items: text, minItems: 1}]},
    mix_prob: {description: 'null or an array of probabilities (numbers >= 0), one per mix_mode', anyOf: [{type: 'null'}, {type: 'array', items: nonNegative, minItems: 1}]},
    mix_repeat: integer(1),
    mix_args: {type: 'object', description: 'an object of per-method argument objects', additionalProperties: {type: 'object', description: 'an object of arguments'}},
    backbone: backboneSchema,
    /** AttentiveMix+: the frozen pretrained feature extractor (OpenMixup `backbone_k` / `pretrained_k`) */
    backbone_k: backboneSchema,
    pretrained_k: {type: 'string', description: 'a weights name such as "torchvision://resnet50"'},
    head: strict(headProperties(strict(lossProperties, ['type', 'loss_weight'])), headRequired),
  },
  ['type', 'pretrained', 'alpha', 'mix_mode', 'mix_prob', 'mix_repeat', 'mix_args', 'backbone', 'head'],
);

const nullableObject: Schema = {type: ['object', 'null'], description: 'an object or null'};

/** Upsampling modes of the Mix Block's mask (OpenMixup `unsampling_mode`). */
export const MASK_UPSAMPLING_MODES = ['nearest', 'bilinear', 'bicubic'] as const;
/** `mix_block.mask_loss_mode` values (OpenMixup's; "none" needs `model.mask_loss: 0`, "Sparsity" is not implemented: both are the models room's to refuse). */
export const MASK_LOSS_MODES = ['L1', 'L2', 'Variance', 'L1+Variance', 'L2+Variance', 'none', 'Sparsity'] as const;

/** `model.mix_block.value_neck_cfg`: OpenMixup `ConvNeck` (SAMix's non-linear value). */
const valueNeck: Schema = strict(
  {
    type: {const: 'ConvNeck', description: '"ConvNeck"'},
    in_channels: integer(1),
    hid_channels: integer(1),
    out_channels: {const: 1, description: '1 (the value is one channel)'},
    num_layers: integer(1),
    kernel_size: integer(1),
    conv_cfg: nullableObject,
    with_last_bn: bool,
    with_last_norm: bool,
    norm_cfg: {type: 'object', description: 'an object such as {"type": "BN"}', required: ['type'], properties: {type: text}},
    act_cfg: {type: 'object', description: 'an object such as {"type": "ReLU"}', required: ['type'], properties: {type: text}},
    with_bias: bool,
    with_last_dropout: {type: 'number', minimum: 0, exclusiveMaximum: 1, description: 'a dropout probability in [0, 1)'},
    with_avg_pool: bool,
    with_residual: bool,
  },
  ['type', 'hid_channels'],
);

/**
 * `model.mix_block`: OpenMixup `PixelMixBlock`. Types only; the values are read (and unsupported options refused as
 * not implemented) by the models room's `mixBlockFromConfig`, so OpenMixup's other options are accepted here.
 */
const mixBlock: Schema = strict(
  {
    type: {const: 'PixelMixBlock', description: '"PixelMixBlock"'},
    in_channels: integer(1),
    reduction: integer(1),
    use_scale: bool,
    unsampling_mode: {
      description: `${oneOfNames(MASK_UPSAMPLING_MODES).description as string} or a non-empty array of them`,
      anyOf: [{enum: [...MASK_UPSAMPLING_MODES]}, {type: 'array', items: {enum: [...MASK_UPSAMPLING_MODES]}, minItems: 1}],
    },
    lam_concat: bool,
    lam_concat_v: bool,
    lam_mul: {description: 'a number in [0, 1] (or true/false for 1/0)', anyOf: [unitInterval, {type: 'boolean'}]},
    lam_residual: bool,
    lam_mul_k: {description: 'a number (-1 = no rescale) or a non-empty array of numbers', anyOf: [{type: 'number'}, {type: 'array', items: {type: 'number'}, minItems: 1}]},
    // object keywords do not apply to null, so null passes and a ConvNeck is checked field by field
    value_neck_cfg: {...valueNeck, type: ['object', 'null'], description: 'null or a ConvNeck object'},
    x_qk_concat: bool,
    x_v_concat: bool,
    mask_loss_mode: oneOfNames(MASK_LOSS_MODES),
    mask_loss_margin: nonNegative,
    frozen: bool,
    attention_mode: text,
    mask_mode: text,
    double_norm: bool,
    pre_norm_cfg: nullableObject,
    pre_conv_cfg: nullableObject,
    pre_attn_cfg: nullableObject,
    pre_neck_cfg: nullableObject,
    pre_head_cfg: nullableObject,
  },
  ['type', 'in_channels'],
);

/** AutoMixup heads: the loss may also carry SAMix's η (`eta_weight`, src/mixups/loss.ts). */
const autoMixHead: Schema = strict(
  headProperties(
    strict(
      {
        ...lossProperties,
      },
      ['type', 'loss_weight'],
    ),
  ),
  headRequired,
);

/** `model` of an `AutoMixup` (the learned mixers AutoMix and SAMix; OpenMixup `openmixup/models/classifiers/automix.py`). */
const autoMixModel: Schema = strict(
  {
    type: {const: 'AutoMixup', description: '"AutoMixup"'},
    pretrained: {type: ['string', 'null'], description: 'a weights name such as "torchvision://resnet18", or null (from scratch)'},
    alpha: positive,
    momentum: unitInterval,
    mask_layer: {type: 'integer', minimum: 0, maximum: 3, description: 'a stage index 0..3'},
    mask_loss: nonNegative,
    mask_adjust: unitInterval,
    lam_margin: {type: 'number', minimum: 0, maximum: 0.5, description: 'a number in [0, 0.5]'},
    mix_shuffle_no_repeat: bool,
    backbone: backboneSchema,
    mix_block: mixBlock,
    head_one: autoMixHead,
    head_mix: autoMixHead,
    head_mix_k: autoMixHead,
    head_weights: strict({head_mix_q: nonNegative, head_one_q: nonNegative, head_mix_k: nonNegative, head_one_k: nonNegative}, ['head_mix_q', 'head_one_q', 'head_mix_k', 'head_one_k']),
  },
  ['type', 'pretrained', 'alpha', 'momentum', 'mask_layer', 'mask_loss', 'mask_adjust', 'lam_margin', 'backbone', 'mix_block', 'head_one', 'head_mix', 'head_weights'],
);

/** `model.type` values: the classifier types. */
export const MODEL_TYPES = ['MixUpClassification', 'AutoMixup'] as const;

/** `model`: one of the two classifier types, chosen by `type`. */
const model: Schema = {
  type: 'object',
  description: 'an object with a "type"',
  required: ['type'],
  properties: {type: oneOfNames(MODEL_TYPES)},
  allOf: [
    {if: {properties: {type: {const: 'MixUpClassification'}}, required: ['type']}, then: mixUpModel},
    {if: {properties: {type: {const: 'AutoMixup'}}, required: ['type']}, then: autoMixModel},
  ],
};

/** `custom_hooks[i]` mixup implements, with their fields. */
export const CUSTOM_HOOKS: Record<string, {required: string[]; properties: Record<string, Schema>}> = {
  CustomCosineAnnealingHook: {
    required: ['attr_name', 'attr_base'],
    properties: {
      attr_name: {const: 'mask_loss', description: '"mask_loss" (the only model attribute mixup anneals)'},
      attr_base: nonNegative,
      by_epoch: bool,
      min_attr: nonNegative,
      min_attr_ratio: nonNegative,
    },
  },
  CosineScheduleHook: {
    required: [],
    properties: {
      end_momentum: unitInterval,
      adjust_scope: {type: 'array', items: unitInterval, minItems: 2, maxItems: 2, description: 'a pair [start, end] of run fractions in [0, 1]'},
      warming_up: oneOfNames(['linear', 'constant']),
      restart_step: integer(1),
      update_interval: integer(1),
      interval: integer(1),
    },
  },
};

const customHook: Schema = {
  type: 'object',
  description: 'a hook object with a "type"',
  required: ['type'],
  properties: {type: {...oneOfNames(Object.keys(CUSTOM_HOOKS)), description: `one of ${Object.keys(CUSTOM_HOOKS).map((n) => JSON.stringify(n)).join(', ')} (the hooks mixup implements; remove others such as SAVEHook)`}},
  allOf: Object.entries(CUSTOM_HOOKS).map(([type, hook]) => ({
    if: {properties: {type: {const: type}}, required: ['type']},
    then: {...strict({type: {const: type}, ...hook.properties}, hook.required)},
  })),
};

/**
 * OpenMixup's top-level keys that mean nothing for a single-process tfjs run: accepted and ignored (docs/config.md
 * "OpenMixup spellings"). Keys that would change results are accepted only with their neutral value, so that a
 * config asking for them is refused instead of silently trained differently.
 */
const OPENMIXUP_NO_OPS: Record<string, Schema> = {
  prefetch: bool,
  cudnn_benchmark: bool,
  persistent_workers: bool,
  find_unused_parameters: bool,
  opencv_num_threads: integer(0),
  mp_start_method: text,
  dist_params: {type: 'object', description: 'an object (distributed settings; ignored: mixup trains in one process)'},
  workflow: {type: 'array', description: 'an array such as [["train", 1]] (ignored: mixup always trains, then evaluates)'},
  train_cfg: {type: 'object', description: 'an object (ignored)'},
  test_cfg: {type: 'object', description: 'an object (ignored)'},
  load_from: {type: 'null', description: 'null (not implemented: set model.pretrained for weights, or use train --resume-from)'},
  resume_from: {type: 'null', description: 'null (not implemented: use train --resume-from)'},
  use_fp16: {const: false, description: 'false (fp16 training is not implemented)'},
  fp16: {type: 'null', description: 'null (fp16 training is not implemented)'},
};

/** The schema of a complete config (after `_base_` merging). */
export const CONFIG_SCHEMA: Schema = strict(
  {
    model,
    data: strict(
      {
        imgs_per_gpu: integer(1),
        workers_per_gpu: integer(0),
        drop_last: bool,
        train: split,
        val: split,
        /** the data room's loader settings (docs/data.md "Loader") */
        strict: bool,
        max_skip_fraction: {...strict({train: unitInterval, val: unitInterval}, []), description: 'an object {"train"?: number in [0, 1], "val"?: number in [0, 1]}'},
        cache: {enum: ['auto', true, false], description: '"auto", true or false'},
        cache_budget_mb: integer(0),
      },
      ['imgs_per_gpu', 'workers_per_gpu', 'drop_last', 'train', 'val'],
    ),
    optimizer: strict(
      {
        type: {const: 'SGD', description: '"SGD"'},
        lr: positive,
        momentum: unitInterval,
        weight_decay: nonNegative,
        /** AutoMixup: the Mix Block's own SGD group */
        paramwise_options: strict({mix_block: strict({lr: positive, momentum: unitInterval, weight_decay: nonNegative}, ['lr'])}, ['mix_block']),
      },
      ['type', 'lr', 'momentum', 'weight_decay'],
    ),
    optimizer_config: strict(
      {
        grad_clip: {description: 'null or {"max_norm": number > 0}', anyOf: [{type: 'null'}, strict({max_norm: positive}, ['max_norm'])]},
        /** OpenMixup's DistOptimizerHook: an optimizer step every N iterations on the summed gradients (src/engine/grad-accumulation.ts) */
        update_interval: integer(1),
      },
      ['grad_clip'],
    ),
    lr_config: {...strict(lrProperties, ['policy']), allOf: [when('policy', 'step', ['step'], lrProperties)]},
    /** AutoMixup (OpenMixup's spelling): the Mix Block group's lr schedule */
    addtional_scheduler: {...strict(additionalSchedulerProperties, ['policy', 'paramwise_options']), allOf: [when('policy', 'step', ['step'], additionalSchedulerProperties)]},
    /** AutoMixup: mask-loss and EMA-momentum schedules */
    custom_hooks: {type: 'array', items: customHook, description: 'an array of hook objects'},
    runner: strict({type: {const: 'EpochBasedRunner', description: '"EpochBasedRunner"'}, max_epochs: integer(1)}, ['type', 'max_epochs']),
    evaluation: strict(
      {
        initial: bool,
        interval: integer(1),
        imgs_per_gpu: integer(1),
        workers_per_gpu: integer(0),
        eval_param: strict({topk: {type: 'array', items: {type: 'integer', minimum: 1}, minItems: 1, description: 'a non-empty array of integers >= 1'}}, ['topk']),
      },
      ['initial', 'interval', 'imgs_per_gpu', 'eval_param'],
    ),
    checkpoint_config: strict({interval: integer(1), max_keep_ckpts: integer(1)}, ['interval', 'max_keep_ckpts']),
    log_config: strict(
      {
        interval: integer(1),
        /** OpenMixup's text logger: what mixup always writes (a no-op); other hooks are refused */
        hooks: {type: 'array', items: {type: 'object', required: ['type'], properties: {type: {const: 'TextLoggerHook', description: '"TextLoggerHook" (the only log hook mixup has; TensorBoard/W&B hooks are not implemented)'}}}, description: 'an array of {"type": "TextLoggerHook"}'},
      },
      ['interval'],
    ),
    ...OPENMIXUP_NO_OPS,
    seed: integer(0),
    backend: oneOfNames(BACKEND_NAMES),
  },
  ['model', 'data', 'optimizer', 'optimizer_config', 'lr_config', 'runner', 'evaluation', 'checkpoint_config', 'log_config'],
);

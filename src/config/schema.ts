/**
 * The JSON schema (draft-07, checked by ajv with allErrors) of a complete, merged config: `src/config/types.ts` as
 * data. Every node that a user can get wrong carries a `description` phrased as what is expected ("a number > 0"):
 * `validate.ts` turns ajv's errors into `file: dotted.path must be <description>, got <value>`.
 *
 * Checks that need more than one field (mix_mode/alpha/mix_prob lengths, method names, head channels) live in
 * `validate.ts`. `data_source` and pipeline steps allow extra properties: the data room may read more fields.
 */

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

/** Pipeline step types the schema knows, with the fields each needs. */
export const PIPELINE_STEPS: Record<string, {required: string[]; properties: Record<string, Schema>}> = {
  Resize: {required: ['size'], properties: {size: integer(1), interpolation: integer(0)}},
  RandomResizedCrop: {
    required: ['size'],
    properties: {
      size: integer(1),
      scale: {type: 'array', items: {type: 'number', exclusiveMinimum: 0, maximum: 1}, minItems: 2, maxItems: 2, description: 'a pair [min, max] of area fractions in (0, 1]'},
      interpolation: integer(0),
    },
  },
  CenterCrop: {required: ['size'], properties: {size: integer(1)}},
  RandomHorizontalFlip: {required: [], properties: {}},
  RandomCrop: {required: ['size', 'padding'], properties: {size: integer(1), padding: integer(0)}},
  Normalize: {
    required: ['mean', 'std'],
    properties: {
      mean: {type: 'array', items: {type: 'number'}, minItems: 1, description: 'an array of numbers (one per channel)'},
      std: {type: 'array', items: positive, minItems: 1, description: 'an array of numbers > 0 (one per channel)'},
    },
  },
};

/** `data_source.type` values (the data room's readers). */
export const DATA_SOURCE_TYPES = ['ImageList', 'CUB200', 'Aircraft', 'INaturalist', 'Places205', 'ImageFolder', 'MNIST', 'Synthetic'] as const;
/** `model.backbone.type` values. */
export const BACKBONE_TYPES = ['ResNet', 'ResNeXt', 'ResNet_Mix', 'ResNet_CIFAR'] as const;
/** `backend` values (`src/engine/backend.ts`). */
export const BACKEND_NAMES = ['auto', 'tensorflow', 'native', 'wasm', 'cpu'] as const;

const pipelineStep: Schema = {
  type: 'object',
  description: 'a pipeline step object with a "type"',
  required: ['type'],
  properties: {type: oneOfNames(Object.keys(PIPELINE_STEPS))},
  allOf: Object.entries(PIPELINE_STEPS).map(([type, step]) => when('type', type, step.required, step.properties)),
};

const dataSourceProperties = {type: oneOfNames(DATA_SOURCE_TYPES), root: text, list_file: text, splitor: oneOfNames([' ', ',', ';'])};
const dataSource: Schema = {
  type: 'object',
  description: 'an object with a "type"',
  required: ['type'],
  properties: dataSourceProperties,
  allOf: [when('type', 'ImageList', ['root', 'list_file'], dataSourceProperties)],
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
  depth: {enum: [18, 34, 50, 101, 152], description: 'one of 18, 34, 50, 101, 152'},
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
};

const model: Schema = strict(
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
    head: strict(
      {
        type: oneOfNames(['ClsHead', 'ClsMixupHead']),
        num_classes: integer(1),
        in_channels: integer(1),
        with_avg_pool: bool,
        multi_label: bool,
        two_hot: bool,
        loss: strict(
          {
            type: {const: 'CrossEntropyLoss', description: '"CrossEntropyLoss"'},
            use_soft: bool,
            use_sigmoid: bool,
            use_mix_decouple: bool,
            label_smooth_val: {type: 'number', minimum: 0, maximum: 1, description: 'a number in [0, 1]'},
            loss_weight: positive,
          },
          ['type', 'loss_weight'],
        ),
      },
      ['type', 'num_classes', 'in_channels', 'with_avg_pool', 'multi_label', 'loss'],
    ),
  },
  ['type', 'pretrained', 'alpha', 'mix_mode', 'mix_prob', 'mix_repeat', 'mix_args', 'backbone', 'head'],
);

/** The schema of a complete config (after `_base_` merging). */
export const CONFIG_SCHEMA: Schema = strict(
  {
    model,
    data: strict({imgs_per_gpu: integer(1), workers_per_gpu: integer(0), drop_last: bool, train: split, val: split}, ['imgs_per_gpu', 'workers_per_gpu', 'drop_last', 'train', 'val']),
    optimizer: strict({type: {const: 'SGD', description: '"SGD"'}, lr: positive, momentum: {type: 'number', minimum: 0, maximum: 1, description: 'a number in [0, 1]'}, weight_decay: nonNegative}, ['type', 'lr', 'momentum', 'weight_decay']),
    optimizer_config: strict({grad_clip: {description: 'null or {"max_norm": number > 0}', anyOf: [{type: 'null'}, strict({max_norm: positive}, ['max_norm'])]}}, ['grad_clip']),
    lr_config: {...strict(lrProperties, ['policy']), allOf: [when('policy', 'step', ['step'], lrProperties)]},
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
    log_config: strict({interval: integer(1)}, ['interval']),
    seed: integer(0),
    backend: oneOfNames(BACKEND_NAMES),
  },
  ['model', 'data', 'optimizer', 'optimizer_config', 'lr_config', 'runner', 'evaluation', 'checkpoint_config', 'log_config'],
);

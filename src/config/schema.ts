/**
 * The config schema, written once: each TypeBox declaration below is the JSON schema (draft-07) ajv checks a merged
 * config against (`validate.ts`, all errors at once) and, through `Static<typeof ...>`, the TypeScript type of the
 * config the rooms receive. The building blocks and the description convention are in `schema-kit.ts`.
 *
 * Checks that need more than one field (mix_mode/alpha/mix_prob lengths, method names, head channels, batchable
 * pipelines) live in `validate.ts`; `model.mix_args.<method>` and `model.head.loss` are described by the arg catalog
 * (`methods.ts`, `loss-args.ts`), which this schema and the mixers both read.
 */
import {Type, type Static} from '@sinclair/typebox';
import {LOSS_ARGS} from './loss-args';
import {
  argObject,
  bool,
  integer,
  intIn,
  literal,
  nonEmpty,
  nonNegative,
  objectOrNull,
  oneOfNames,
  pairOf,
  positive,
  strict,
  taggedUnion,
  text,
  threeOf,
  typed,
  unitInterval,
  when,
  withDefault,
} from './schema-kit';

const {Optional} = Type;

/** a side `n` (square) or `[h, w]`, positive integers */
const side = Type.Integer({minimum: 1, maximum: 8192, description: 'an integer in [1, 8192]'});
const size = Type.Union([side, pairOf(side)], {description: 'an integer in [1, 8192] or a pair [h, w] of them'});
/** torchvision's interpolation names, or PIL's codes */
const interpolation = oneOfNames(['bilinear', 'bicubic', 'nearest', 2, 3, 0], '"bilinear" (2), "bicubic" (3) or "nearest" (0)');

/** Pipeline steps with their fields and defaults (src/data/transforms.ts reads them; torchvision's defaults). */
const PIPELINE_STEP_TYPES = [
  strict({type: literal('Resize'), size, interpolation: withDefault(interpolation, 'bilinear')}),
  strict({
    type: literal('RandomResizedCrop'),
    size,
    /** [min, max] with min <= max (validate.ts) */
    scale: withDefault(pairOf(Type.Number({exclusiveMinimum: 0, maximum: 1}), 'a pair [min, max] of area fractions in (0, 1]'), [0.08, 1]),
    ratio: withDefault(pairOf(Type.Number({exclusiveMinimum: 0}), 'a pair [min, max] of aspect ratios > 0'), [3 / 4, 4 / 3]),
    interpolation: withDefault(interpolation, 'bilinear'),
  }),
  strict({type: literal('CenterCrop'), size}),
  strict({type: literal('RandomHorizontalFlip'), p: withDefault(unitInterval, 0.5)}),
  /** OpenMixup's pipelines end with it; the loader always yields float tensors, so it is a no-op here */
  strict({type: literal('ToTensor')}),
  strict({type: literal('RandomCrop'), size, padding: withDefault(integer(0), 0)}),
  strict({
    type: literal('Normalize'),
    mean: threeOf(Type.Number(), 'an array of 3 numbers (per-channel means on the [0, 1] scale)'),
    std: threeOf(positive, 'an array of 3 numbers > 0 (per-channel stds on the [0, 1] scale)'),
  }),
] as const;

/** One transform of `data.<split>.pipeline`, applied in order. */
export const PipelineStepSchema = taggedUnion(PIPELINE_STEP_TYPES, {description: 'a pipeline step object with a "type"'});
export type PipelineStep = Static<typeof PipelineStepSchema>;
/** Pipeline step types the schema knows. */
export const PIPELINE_STEP_NAMES: readonly string[] = PipelineStepSchema.tags;

/** The split a loader reads: `data.train` or `data.val`. */
export type LoaderSplit = 'train' | 'val';

/** A source's `split`, defaulting to `defaults[loader]` (the dataset split `data.<loader>` reads). */
function splitField<const T extends readonly string[]>(values: T, defaults: Record<LoaderSplit, T[number]>, loader: LoaderSplit) {
  const names = values.map((v) => JSON.stringify(v)).join(', ');
  return withDefault(oneOfNames(values, `one of ${names} (default ${JSON.stringify(defaults.train)} in data.train, ${JSON.stringify(defaults.val)} in data.val)`), defaults[loader]);
}

/** `Synthetic` sources' defaults (validate.ts's class and sample counts read them too). */
export const SYNTHETIC_DEFAULTS = {num_classes: 10, size: 32, num_samples: 1000, seed: 0} as const;

/**
 * `data_source` types with the fields each reads (src/data/sources/*) and their defaults in `data.<loader>`; any other
 * field is refused. A source's `split` defaults to the loader's (CUB200's val loader reads its `test` split).
 */
function dataSourceBranches(loader: LoaderSplit) {
  const imageList = {
    /** the directory list paths are relative to */
    root: withDefault(text, '.'),
    list_file: text,
    splitor: withDefault(oneOfNames([' ', ',', ';']), ' '),
    /** OpenMixup's unlabelled lists (`return_label=False`) feed self-supervised methods mixup does not have */
    return_label: Optional(literal(true, 'true (unlabelled lists are not implemented)')),
  };
  return [
    strict({type: literal('ImageList'), ...imageList}),
    /** OpenMixup's name for an ImageList of ImageNet */
    strict({type: literal('ImageNet'), ...imageList}),
    strict({type: literal('CUB200'), root: text, split: splitField(['train', 'test'], {train: 'train', val: 'test'}, loader)}),
    strict({
      type: literal('Aircraft'),
      root: text,
      split: splitField(['train', 'val', 'trainval', 'test'], {train: 'trainval', val: 'test'}, loader),
      level: withDefault(oneOfNames(['variant', 'family', 'manufacturer']), 'variant'),
      /** the 20-px copyright banner at the bottom of every image, off by default as in OpenMixup */
      crop_banner: withDefault(bool, false),
    }),
    strict({type: literal('INaturalist'), root: text, ann_file: text}),
    strict({type: literal('Places205'), root: text, split: splitField(['train', 'val'], {train: 'train', val: 'val'}, loader)}),
    strict({type: literal('ImageFolder'), root: text}),
    strict({
      type: literal('MNIST'),
      split: splitField(['train', 'val'], {train: 'train', val: 'val'}, loader),
      /** padded from the digits' 28 px */
      size: withDefault(intIn(28, 1024), 32),
      /** absent: the whole split */
      num_samples: Optional(integer(1)),
    }),
    strict({
      type: literal('FashionMNIST'),
      /** absent: Debian's dataset-fashion-mnist, else the MNIST digits with a notice (docs/data.md) */
      root: Optional(text),
      split: splitField(['train', 'test'], {train: 'train', val: 'test'}, loader),
      size: withDefault(intIn(1, 1024), 32),
      /** absent: the whole split */
      num_samples: Optional(integer(1)),
    }),
    strict({
      type: literal('Synthetic'),
      num_classes: withDefault(intIn(2, 1000), SYNTHETIC_DEFAULTS.num_classes),
      size: withDefault(intIn(8, 1024), SYNTHETIC_DEFAULTS.size),
      num_samples: withDefault(intIn(1, 1_000_000), SYNTHETIC_DEFAULTS.num_samples),
      seed: withDefault(intIn(0, 0xffffffff), SYNTHETIC_DEFAULTS.seed),
      split: splitField(['train', 'val'], {train: 'train', val: 'val'}, loader),
    }),
  ] as const;
}

/** `data.<loader>.data_source`: one of the data room's readers, with its fields. */
const dataSourceSchema = (loader: LoaderSplit) => taggedUnion(dataSourceBranches(loader), {description: 'an object with a "type"'});
/** A `data_source` as the data room receives it (defaults filled in). */
export type DataSourceConfig = Static<ReturnType<typeof dataSourceSchema>>;
/** `data_source.type` values (the data room's readers). */
export const DATA_SOURCE_TYPES: readonly DataSourceConfig['type'][] = dataSourceSchema('train').tags as DataSourceConfig['type'][];
/** Sources held in memory at one size (no image files): any pipeline batches. The others need a fixed-size end. */
export const IN_MEMORY_SOURCE_TYPES: readonly string[] = ['MNIST', 'FashionMNIST', 'Synthetic'];

/** `data.train` / `data.val`. */
const datasetSplitSchema = (loader: LoaderSplit) =>
  strict({
    type: literal('ClassificationDataset'),
    data_source: dataSourceSchema(loader),
    pipeline: Type.Array(PipelineStepSchema, {description: 'an array of pipeline steps'}),
  });
export type DatasetSplitConfig = Static<ReturnType<typeof datasetSplitSchema>>;

/** `model.backbone.type` values. */
export const BACKBONE_TYPES = ['ResNet', 'ResNeXt', 'ResNet_Mix', 'ResNet_CIFAR'] as const;
/** `backend` values (`src/engine/backend.ts`). */
export const BACKEND_NAMES = ['auto', 'tensorflow', 'webgpu', 'native', 'wasm', 'cpu'] as const;

const backboneProperties = {
  type: oneOfNames(BACKBONE_TYPES),
  depth: oneOfNames([18, 34, 50, 101], 'one of 18, 34, 50, 101'),
  /** OpenMixup spellings with the only value the models room builds */
  num_stages: Optional(literal(4, '4 (other stage counts are not supported)')),
  style: Optional(literal('pytorch', '"pytorch" (the stride on the 3×3 conv)')),
  zero_init_residual: Optional(bool),
  in_channels: Optional(integer(1)),
  /** ResNeXt cardinality (32 for 32x4d); required for a ResNeXt */
  groups: Optional(integer(1)),
  /** ResNeXt width per group (4 for 32x4d); required for a ResNeXt */
  width_per_group: Optional(integer(1)),
  /** channels of the stem / first stage (64 ImageNet ResNets; 16 for the demo's small ResNet) */
  base_channels: Optional(integer(1)),
  /** stages whose output goes to the head, 0-based (`[3]` = last stage) */
  out_indices: nonEmpty(Type.Integer({minimum: 0, maximum: 3}), 'a non-empty array of stage indices 0..3'),
};

/** `model.backbone`: a ResNet / ResNeXt (OpenMixup / mmcls field names). */
const BackboneSchema = strict(backboneProperties, {allOf: [when('type', 'ResNeXt', ['groups', 'width_per_group'], backboneProperties)]});
export type BackboneConfig = Static<typeof BackboneSchema>;

const lrProperties = {
  policy: oneOfNames(['CosineAnnealing', 'step', 'fixed']),
  /** the lr CosineAnnealing ends at, and step never goes below */
  min_lr: withDefault(nonNegative, 0),
  /** CosineAnnealing: min_lr = base lr · min_lr_ratio (instead of min_lr) */
  min_lr_ratio: Optional(nonNegative),
  /** step: the epochs (iterations without by_epoch) where lr is multiplied by gamma, or every `step` of them */
  step: Optional(Type.Union([Type.Integer({minimum: 1}), nonEmpty(Type.Integer({minimum: 1}))], {description: 'an integer >= 1 (every so many epochs) or a non-empty array of epochs (integers >= 1)'})),
  gamma: withDefault(positive, 0.1),
  /** progress by epoch (lr constant inside an epoch); false: by iteration */
  by_epoch: withDefault(bool, true),
  warmup: withDefault(oneOfNames(['linear', 'constant', 'exp', null], '"linear", "constant", "exp" or null'), null),
  warmup_iters: withDefault(integer(0), 0),
  warmup_ratio: withDefault(nonNegative, 0.1),
  /** warmup_iters counts epochs */
  warmup_by_epoch: withDefault(bool, false),
};

/** `lr_config`: mmcv's lr updater hooks (src/engine/lr.ts). */
export const LrSchema = strict(lrProperties, {allOf: [when('policy', 'step', ['step'], lrProperties)]});
export type LrConfig = Static<typeof LrSchema>;

const additionalSchedulerProperties = {
  ...lrProperties,
  /** the param groups it drives: ["mix_block"] */
  paramwise_options: typed<Array<'mix_block'>>({type: 'array', items: literal('mix_block'), minItems: 1, maxItems: 1, description: 'the param groups it drives: ["mix_block"]'}),
};
/** `addtional_scheduler` (OpenMixup's spelling): the lr schedule of the Mix Block group. */
const AdditionalSchedulerSchema = strict(additionalSchedulerProperties, {allOf: [when('policy', 'step', ['step'], additionalSchedulerProperties)]});
export type AdditionalSchedulerConfig = Static<typeof AdditionalSchedulerSchema>;

/** `model.head.loss`: the fields of `LOSS_ARGS` (src/config/loss-args.ts, which also holds the rules between them). */
const LossSchema = argObject(LOSS_ARGS, ['type', 'loss_weight']);
export type LossConfig = Static<typeof LossSchema>;

/** `model.head`: global average pooling + linear classifier (ClsHead, ClsMixupHead). */
const HeadSchema = strict({
  type: oneOfNames(['ClsHead', 'ClsMixupHead']),
  num_classes: integer(1),
  /** channels of the backbone output (512 for R-18, 2048 for R-50/RX-50/RX-101) */
  in_channels: integer(1),
  with_avg_pool: bool,
  /** mixed one-hot targets with a single criterion call (soft CE / BCE) instead of lam·CE(y_a) + (1−lam)·CE(y_b) */
  multi_label: bool,
  /** ClsMixupHead's two-hot targets y_a + y_b: not implemented, so only false */
  two_hot: withDefault(literal(false, 'false (two-hot targets are not implemented)'), false),
  loss: LossSchema,
});
export type HeadConfig = Static<typeof HeadSchema>;

const pretrained = Type.Union([Type.String(), Type.Null()], {description: 'a weights name such as "torchvision://resnet18", or null (from scratch)'});

/** `model` of a `MixUpClassification` (the mix_mode methods). */
const MixUpModelSchema = strict({
  type: literal('MixUpClassification'),
  pretrained,
  /** Beta(α, α) parameter, one for every mix_mode or one per mix_mode */
  alpha: Type.Union([positive, nonEmpty(positive)], {description: 'a number > 0 or a non-empty array of numbers > 0'}),
  /** method name(s) of `src/config/methods.ts` */
  mix_mode: Type.Union([text, nonEmpty(text)], {description: 'a method name or a non-empty array of method names'}),
  /** probability of each mix_mode per iteration; null = uniform */
  mix_prob: Type.Union([Type.Null(), nonEmpty(nonNegative)], {description: 'null or an array of probabilities (numbers >= 0), one per mix_mode'}),
  /** mixed copies of each batch per iteration (losses averaged) */
  mix_repeat: integer(1),
  /** per-method arguments (the catalog's `args`, read by `readMethodArgs`) */
  mix_args: typed<Record<string, Record<string, unknown>>>({type: 'object', description: 'an object of per-method argument objects', additionalProperties: {type: 'object', description: 'an object of arguments'}}),
  backbone: BackboneSchema,
  /** AttentiveMix+: the frozen pretrained feature extractor (OpenMixup `backbone_k` / `pretrained_k`) */
  backbone_k: Optional(BackboneSchema),
  pretrained_k: Optional(Type.String({description: 'a weights name such as "torchvision://resnet50"'})),
  head: HeadSchema,
});
export type ModelConfig = Static<typeof MixUpModelSchema>;

/** Upsampling modes of the Mix Block's mask (OpenMixup `unsampling_mode`). */
export const MASK_UPSAMPLING_MODES = ['nearest', 'bilinear', 'bicubic'] as const;
export type MaskUpsamplingMode = (typeof MASK_UPSAMPLING_MODES)[number];
/** `mix_block.mask_loss_mode` values (OpenMixup's; "none" needs `model.mask_loss: 0`, "Sparsity" is not implemented: both are the models room's to refuse). */
export const MASK_LOSS_MODES = ['L1', 'L2', 'Variance', 'L1+Variance', 'L2+Variance', 'none', 'Sparsity'] as const;

/** `model.mix_block.value_neck_cfg`: OpenMixup `ConvNeck` (SAMix's non-linear value, 1×1 convs). */
const ValueNeckSchema = strict({
  type: literal('ConvNeck'),
  /** overwritten by the Mix Block with its value input channels, as OpenMixup does */
  in_channels: Optional(integer(1)),
  hid_channels: integer(1),
  out_channels: Optional(literal(1, '1 (the value is one channel)')),
  num_layers: Optional(integer(1)),
  kernel_size: Optional(integer(1)),
  conv_cfg: Optional(objectOrNull),
  /** BN after the last conv (OpenMixup spells it `with_last_bn` or `with_last_norm`) */
  with_last_bn: Optional(bool),
  with_last_norm: Optional(bool),
  /** null: no BN; only BN with trainable weights is built */
  norm_cfg: Optional(Type.Union([Type.Null(), strict({type: literal('BN'), requires_grad: Optional(literal(true, 'true (frozen BN weights are not implemented)'))})], {description: 'null or {"type": "BN"}'})),
  /** null: no activation; default ELU */
  act_cfg: Optional(Type.Union([Type.Null(), strict({type: oneOfNames(['ELU', 'ReLU']), inplace: Optional(bool)})], {description: 'null or {"type": "ELU"} or {"type": "ReLU"}'})),
  with_bias: Optional(bool),
  /** dropout probability on the output while training (0.1 in SAMix) */
  with_last_dropout: Optional(Type.Number({minimum: 0, exclusiveMaximum: 1, description: 'a dropout probability in [0, 1)'})),
  with_avg_pool: Optional(bool),
  with_residual: Optional(bool),
});
export type ValueNeckConfig = Static<typeof ValueNeckSchema>;

/**
 * `model.mix_block`: OpenMixup `PixelMixBlock`. Types only; the values are read (and unsupported options refused as
 * not implemented) by the models room's `mixBlockFromConfig`, so OpenMixup's other options are accepted here.
 */
const MixBlockSchema = strict({
  type: literal('PixelMixBlock'),
  /** channels of the backbone stage `model.mask_layer` (256 for R-18 stage 2, 1024 for R-50/RX-50/RX-101) */
  in_channels: integer(1),
  reduction: Optional(integer(1)),
  use_scale: Optional(bool),
  /** one mode or a list (one drawn per call) */
  unsampling_mode: Optional(
    Type.Union([oneOfNames(MASK_UPSAMPLING_MODES), nonEmpty(oneOfNames(MASK_UPSAMPLING_MODES))], {description: `${oneOfNames(MASK_UPSAMPLING_MODES).description as string} or a non-empty array of them`}),
  ),
  /** AutoMix: λ concatenated as a channel to q, k, v */
  lam_concat: Optional(bool),
  lam_concat_v: Optional(bool),
  /** SAMix: λ multiplied into the features, in [0, 1] (booleans as 1/0, OpenMixup's True/False) */
  lam_mul: Optional(Type.Union([unitInterval, Type.Boolean()], {description: 'a number in [0, 1] (or true/false for 1/0)'})),
  lam_residual: Optional(bool),
  /** λ rescale k (−1 = none) */
  lam_mul_k: Optional(Type.Union([Type.Number(), nonEmpty(Type.Number())], {description: 'a number (-1 = no rescale) or a non-empty array of numbers'})),
  // object keywords do not apply to null, so null passes and a ConvNeck is checked field by field
  value_neck_cfg: Optional(typed<ValueNeckConfig | null>({...ValueNeckSchema, type: ['object', 'null'], description: 'null or a ConvNeck object'})),
  x_qk_concat: Optional(bool),
  x_v_concat: Optional(bool),
  mask_loss_mode: Optional(oneOfNames(MASK_LOSS_MODES)),
  mask_loss_margin: Optional(nonNegative),
  frozen: Optional(bool),
  /** OpenMixup options accepted here and refused (not implemented) by the models room unless at their default */
  attention_mode: Optional(text),
  mask_mode: Optional(text),
  double_norm: Optional(bool),
  pre_norm_cfg: Optional(objectOrNull),
  pre_conv_cfg: Optional(objectOrNull),
  pre_attn_cfg: Optional(objectOrNull),
  pre_neck_cfg: Optional(objectOrNull),
  pre_head_cfg: Optional(objectOrNull),
});
export type MixBlockConfig = Static<typeof MixBlockSchema>;

/** `model.head_weights` of an AutoMixup model: weight of each loss term (0 turns a term off). */
const HeadWeightsSchema = strict({head_mix_q: nonNegative, head_one_q: nonNegative, head_mix_k: nonNegative, head_one_k: nonNegative});
export type HeadWeights = Static<typeof HeadWeightsSchema>;

/**
 * `model` of the learned mixers AutoMix / SAMix: OpenMixup's `AutoMixup` classifier (`openmixup/models/classifiers/
 * automix.py`: an online encoder q and a momentum encoder k, each with `head_one` and `head_mix`, and a Mix Block
 * trained on k's features). No `mix_mode`/`mix_prob`/`mix_repeat`/`mix_args`/`head`.
 */
const AutoMixModelSchema = strict({
  type: literal('AutoMixup'),
  pretrained,
  /** λ ~ Beta(α, α) (2 in every reference config) */
  alpha: positive,
  /** base EMA momentum m of k ← m·k + (1−m)·q (scheduled by a CosineScheduleHook) */
  momentum: unitInterval,
  /** 0-based backbone stage whose output feeds the Mix Block (2 = layer3) */
  mask_layer: Type.Integer({minimum: 0, maximum: 3, description: 'a stage index 0..3'}),
  /** weight of the Mix Block's mask loss (annealed by a CustomCosineAnnealingHook on "mask_loss") */
  mask_loss: nonNegative,
  /** probability of OpenMixup's mask adjustment (0 in every reference config) */
  mask_adjust: unitInterval,
  /** the backbone trains on plain mixup when λ or 1−λ <= lam_margin */
  lam_margin: Type.Number({minimum: 0, maximum: 0.5, description: 'a number in [0, 0.5]'}),
  /** pair images without fixed points for the Mix Block */
  mix_shuffle_no_repeat: Optional(bool),
  /** must contain mask_layer and 3 */
  backbone: BackboneSchema,
  mix_block: MixBlockSchema,
  /** classifies the clean images (ClsHead) */
  head_one: HeadSchema,
  /** classifies the mixed images (ClsMixupHead) */
  head_mix: HeadSchema,
  /** SAMix: the Mix Block's loss head (η-balanced soft CE); default head_mix */
  head_mix_k: Optional(HeadSchema),
  head_weights: HeadWeightsSchema,
});
export type AutoMixModelConfig = Static<typeof AutoMixModelSchema>;

/** `model`: one of the two classifier types, chosen by `type`. */
const ModelSchema = taggedUnion([MixUpModelSchema, AutoMixModelSchema], {description: 'an object with a "type"'});
/** `model.type` values: the classifier types. */
export const MODEL_TYPES: readonly string[] = ModelSchema.tags;

/** `custom_hooks[i]` mixup implements (AutoMixup only), with their fields. */
const CUSTOM_HOOK_BRANCHES = [
  /** cosine annealing of `model.<attr_name>` from attr_base to min_attr (or attr_base·min_attr_ratio) */
  strict({
    type: literal('CustomCosineAnnealingHook'),
    attr_name: literal('mask_loss', '"mask_loss" (the only model attribute mixup anneals)'),
    attr_base: nonNegative,
    /** progress by epoch; false: by iteration */
    by_epoch: withDefault(bool, true),
    min_attr: Optional(nonNegative),
    min_attr_ratio: Optional(nonNegative),
  }),
  /** EMA momentum m = end − (end − m₀)·(cos(π·it/K)+1)/2 inside adjust_scope (OpenMixup momentum_hook.py) */
  strict({
    type: literal('CosineScheduleHook'),
    end_momentum: withDefault(unitInterval, 1),
    /** fractions of the run [start, end] where the momentum is adjusted */
    adjust_scope: withDefault(pairOf(unitInterval, 'a pair [start, end] of run fractions in [0, 1]'), [0, 1]),
    /** before adjust_scope[0]: "linear" from end_momentum down to m₀, or "constant" m₀ */
    warming_up: withDefault(oneOfNames(['linear', 'constant']), 'linear'),
    /** momentum reset to 0 every restart_step iterations: not implemented (validate refuses it) */
    restart_step: Optional(integer(1)),
    /** iterations between momentum updates: only every iteration is implemented */
    update_interval: withDefault(literal(1, '1 (the momentum is updated every iteration; other intervals are not implemented)'), 1),
    /** accepted and ignored, as OpenMixup's hook swallows it (several reference configs write `interval=1`) */
    interval: Optional(integer(1)),
  }),
] as const;

const CustomHookSchema = taggedUnion(CUSTOM_HOOK_BRANCHES, {
  description: 'a hook object with a "type"',
  tagDescription: `one of ${CUSTOM_HOOK_BRANCHES.map((b) => JSON.stringify(b.properties.type.const)).join(', ')} (the hooks mixup implements; remove others such as SAVEHook)`,
});
export type CustomHookConfig = Static<typeof CustomHookSchema>;
/** `custom_hooks[i].type` values mixup implements. */
export const CUSTOM_HOOK_TYPES: readonly string[] = CustomHookSchema.tags;

/**
 * `log_config.hooks[i]`: OpenMixup's text logger (what mixup always writes, so a no-op; its fields are accepted) and
 * its TensorBoard logger (`src/engine/tensorboard.ts`); other hooks (W&B...) are refused by name.
 */
const LogHookSchema = taggedUnion(
  [
    Type.Object({type: literal('TextLoggerHook')}),
    /** `by_epoch` changes nothing for TensorBoard (mmcv steps by global iteration either way) */
    strict({type: literal('TensorboardLoggerHook'), by_epoch: Optional(bool)}),
  ] as const,
  {
    description: 'a hook object with a "type"',
    tagDescription: 'one of "TextLoggerHook", "TensorboardLoggerHook" (the log hooks mixup has; W&B and other hooks are not implemented)',
  },
);
/** A `log_config.hooks[i]` mixup implements. */
export type LogHookConfig = Static<typeof LogHookSchema>;

/**
 * OpenMixup's top-level keys that mean nothing for a single-process tfjs run: accepted and ignored (docs/config.md
 * "OpenMixup spellings"). Keys that would change results are accepted only with their neutral value, so that a
 * config asking for them is refused instead of silently trained differently.
 */
const OPENMIXUP_NO_OPS = {
  prefetch: Optional(bool),
  cudnn_benchmark: Optional(bool),
  persistent_workers: Optional(bool),
  find_unused_parameters: Optional(bool),
  opencv_num_threads: Optional(integer(0)),
  mp_start_method: Optional(text),
  dist_params: Optional(Type.Object({}, {description: 'an object (distributed settings; ignored: mixup trains in one process)'})),
  workflow: Optional(Type.Array(Type.Unknown(), {description: 'an array such as [["train", 1]] (ignored: mixup always trains, then evaluates)'})),
  train_cfg: Optional(Type.Object({}, {description: 'an object (ignored)'})),
  test_cfg: Optional(Type.Object({}, {description: 'an object (ignored)'})),
  load_from: Optional(Type.Null({description: 'null (not implemented: set model.pretrained for weights, or use train --resume-from)'})),
  resume_from: Optional(Type.Null({description: 'null (not implemented: use train --resume-from)'})),
  use_fp16: Optional(literal(false, 'false (fp16 training is not implemented)')),
  fp16: Optional(Type.Null({description: 'null (fp16 training is not implemented)'})),
};
/** The top-level OpenMixup keys accepted as no-ops (docs/config.md "OpenMixup spellings"). */
export const OPENMIXUP_NO_OP_KEYS: readonly string[] = Object.keys(OPENMIXUP_NO_OPS);

/** `data`: batch size per device, loader workers, the two splits and the loader's settings (docs/data.md "Loader"). */
export const DataSchema = strict({
  imgs_per_gpu: integer(1),
  /** decode threads (0: the loader's own thread) */
  workers_per_gpu: withDefault(integer(0), 2),
  /** train only: the last incomplete batch is dropped */
  drop_last: withDefault(bool, false),
  train: datasetSplitSchema('train'),
  val: datasetSplitSchema('val'),
  /** any unloadable image is an error (`mixup train --strict`) */
  strict: withDefault(bool, false),
  /** share of a split's images that may be skipped as unloadable before the run stops */
  max_skip_fraction: withDefault(
    strict({train: withDefault(unitInterval, 0.01), val: withDefault(unitInterval, 0)}, {description: 'an object {"train"?: number in [0, 1], "val"?: number in [0, 1]}'}),
    {train: 0.01, val: 0},
  ),
  /** decoded-image cache of file sources ("auto": on while the split fits `cache_budget_mb`) */
  cache: withDefault(oneOfNames(['auto', true, false], '"auto", true or false'), 'auto'),
  /**
   * cache budget per split in MiB. No schema default: it depends on the machine (min(2048, RAM / 8)), so the data
   * room computes it when the file leaves it out (`defaultCacheBudgetMB` in src/data/cache.ts).
   */
  cache_budget_mb: Optional(integer(0)),
});
export type DataConfig = Static<typeof DataSchema>;

/** `optimizer.paramwise_options.mix_block`: the Mix Block's own SGD group (AutoMixup). */
const MixBlockOptimizerSchema = strict({
  lr: positive,
  /** default: optimizer.momentum */
  momentum: Optional(unitInterval),
  /** default: optimizer.weight_decay */
  weight_decay: Optional(nonNegative),
});
export type MixBlockOptimizerOptions = Static<typeof MixBlockOptimizerSchema>;

/** `optimizer`: SGD; `paramwise_options` only with an AutoMixup model. */
const OptimizerSchema = strict({
  type: literal('SGD'),
  lr: positive,
  momentum: unitInterval,
  weight_decay: nonNegative,
  /** AutoMixup: the Mix Block's own SGD group */
  paramwise_options: Optional(strict({mix_block: MixBlockOptimizerSchema})),
});
export type OptimizerConfig = Static<typeof OptimizerSchema>;

/** The schema of a complete config (after `_base_` merging). */
export const CONFIG_SCHEMA = strict({
  model: ModelSchema,
  data: DataSchema,
  optimizer: OptimizerSchema,
  optimizer_config: strict({
    grad_clip: Type.Union([Type.Null(), strict({max_norm: positive})], {description: 'null or {"max_norm": number > 0}'}),
    /** OpenMixup's DistOptimizerHook: one SGD step every N iterations on their summed gradients (src/engine/grad-accumulation.ts) */
    update_interval: withDefault(integer(1), 1),
  }),
  lr_config: LrSchema,
  /** AutoMixup only (OpenMixup's spelling): the Mix Block group's lr schedule; absent = the group follows lr_config from its own lr */
  addtional_scheduler: Optional(AdditionalSchedulerSchema),
  /** AutoMixup only: mask-loss and EMA-momentum schedules; absent = both stay constant */
  custom_hooks: Optional(Type.Array(CustomHookSchema, {description: 'an array of hook objects'})),
  runner: strict({type: literal('EpochBasedRunner'), max_epochs: integer(1)}),
  evaluation: strict({
    initial: bool,
    interval: integer(1),
    imgs_per_gpu: integer(1),
    workers_per_gpu: Optional(integer(0)),
    eval_param: strict({topk: nonEmpty(Type.Integer({minimum: 1}), 'a non-empty array of integers >= 1')}),
  }),
  checkpoint_config: strict({interval: integer(1), max_keep_ckpts: integer(1)}),
  log_config: strict({
    interval: integer(1),
    hooks: Optional(Type.Array(LogHookSchema, {description: 'an array of {"type": "TextLoggerHook"} / {"type": "TensorboardLoggerHook"}'})),
  }),
  ...OPENMIXUP_NO_OPS,
  seed: Optional(integer(0)),
  backend: Optional(oneOfNames(BACKEND_NAMES)),
});

/** A complete config, as `loadConfig` returns it (`isAutoMix` tells the two model types apart). */
export type MixupConfig = Static<typeof CONFIG_SCHEMA>;

/** A config whose model is a MixUpClassification (the mix_mode methods). */
export type MixUpConfig = MixupConfig & {model: ModelConfig};

/** A config whose model is an AutoMixup (the learned mixers AutoMix / SAMix), with the Mix Block's SGD group. */
export type AutoMixConfig = MixupConfig & {
  model: AutoMixModelConfig;
  optimizer: OptimizerConfig & {paramwise_options: {mix_block: MixBlockOptimizerOptions}};
};

/** True when the config's model is an `AutoMixup` (learned mixer) rather than a `MixUpClassification`. */
export function isAutoMix(config: MixupConfig): config is AutoMixConfig {
  return config.model.type === 'AutoMixup';
}

/** True when the config's model is a `MixUpClassification` (mix_mode methods). */
export function isMixUp(config: MixupConfig): config is MixUpConfig {
  return config.model.type === 'MixUpClassification';
}

/**
 * The config model: a fully merged, validated config (`loadConfig`), with OpenMixup's field names so that a
 * researcher's configs read the same here and there. `src/config/schema.ts` is the JSON-schema twin of these types.
 */

/** `model.head.loss`: OpenMixup `CrossEntropyLoss`. */
export interface LossConfig {
  type: 'CrossEntropyLoss';
  /** soft-target CE `-(y·log_softmax(p)).sum()` on the mixed one-hot labels (needs `head.multi_label`) */
  use_soft?: boolean;
  /** binary CE on sigmoid outputs instead of softmax CE; not together with use_soft */
  use_sigmoid?: boolean;
  /** DecoupleMix loss (requires use_soft) */
  use_mix_decouple?: boolean;
  /** label smoothing, applied when >= 0.1 */
  label_smooth_val?: number;
  /**
   * AutoMixup heads only: η of the η-balanced mixed loss (SAMix; DecoupleMix term weight, `src/mixups/loss.ts`), a
   * number for both classes or `[η_A, η_B]`; used with `use_mix_decouple` (default 1)
   */
  eta_weight?: number | [number, number];
  loss_weight: number;
}

/** `model.backbone`: a ResNet / ResNeXt (OpenMixup / mmcls field names). */
export interface BackboneConfig {
  type: 'ResNet' | 'ResNeXt' | 'ResNet_Mix' | 'ResNet_CIFAR';
  depth: number;
  /** ResNeXt cardinality (32 for 32x4d) */
  groups?: number;
  /** ResNeXt width per group (4 for 32x4d) */
  width_per_group?: number;
  /** channels of the stem / first stage (64 ImageNet ResNets; 16 for the demo's small ResNet) */
  base_channels?: number;
  /** stages whose output goes to the head, 0-based (`[3]` = last stage) */
  out_indices: number[];
}

/** `model.head`: global average pooling + linear classifier. */
export interface HeadConfig {
  type: 'ClsHead' | 'ClsMixupHead';
  num_classes: number;
  /** channels of the backbone output (512 for R-18, 2048 for R-50/RX-50/RX-101) */
  in_channels: number;
  with_avg_pool: boolean;
  /** mixed one-hot targets with a single criterion call (soft CE / BCE) instead of lam·CE(y_a) + (1−lam)·CE(y_b) */
  multi_label: boolean;
  /** ClsMixupHead only: two-hot targets y_a + y_b */
  two_hot?: boolean;
  loss: LossConfig;
}

/** `model`: the classifier and its mixing schedule (OpenMixup `MixUpClassification`). */
export interface ModelConfig {
  type: 'MixUpClassification';
  /** weights to start from (`torchvision://resnet18`), null = from scratch */
  pretrained: string | null;
  /** Beta(α, α) parameter, one per mix_mode */
  alpha: number | number[];
  /** method name(s) of `src/config/methods.ts` */
  mix_mode: string | string[];
  /** probability of each mix_mode per iteration; null = uniform */
  mix_prob: number[] | null;
  /** mixed copies of each batch per iteration (losses averaged) */
  mix_repeat: number;
  /** per-method arguments, merged over the catalog defaults */
  mix_args: Record<string, Record<string, unknown>>;
  backbone: BackboneConfig;
  head: HeadConfig;
}

/** `model.mix_block.value_neck_cfg`: SAMix's non-linear value network (OpenMixup `ConvNeck`, 1×1 convs). */
export interface ValueNeckConfig {
  type: 'ConvNeck';
  /** overwritten by the Mix Block with its value input channels, as OpenMixup does */
  in_channels?: number;
  hid_channels: number;
  /** 1: the value is one channel */
  out_channels?: number;
  num_layers?: number;
  kernel_size?: number;
  conv_cfg?: Record<string, unknown> | null;
  /** BN after the last conv (OpenMixup spells it `with_last_bn` or `with_last_norm`) */
  with_last_bn?: boolean;
  with_last_norm?: boolean;
  norm_cfg?: {type: string; [key: string]: unknown};
  act_cfg?: {type: string; [key: string]: unknown};
  with_bias?: boolean;
  /** dropout probability on the output while training (0.1 in SAMix) */
  with_last_dropout?: number;
  with_avg_pool?: boolean;
  with_residual?: boolean;
}

/**
 * `model.mix_block`: OpenMixup `PixelMixBlock` (`openmixup/models/heads/pmix_block.py`). The schema checks types only;
 * `mixBlockFromConfig` (src/models/automix) reads the values and refuses the options it does not implement.
 */
export interface MixBlockConfig {
  type: 'PixelMixBlock';
  /** channels of the backbone stage `model.mask_layer` (256 for R-18 stage 2, 1024 for R-50/RX-50/RX-101) */
  in_channels: number;
  reduction?: number;
  use_scale?: boolean;
  /** one mode or a list (one drawn per call) */
  unsampling_mode?: MaskUpsamplingMode | MaskUpsamplingMode[];
  /** AutoMix: λ concatenated as a channel to q, k, v */
  lam_concat?: boolean;
  lam_concat_v?: boolean;
  /** SAMix: λ multiplied into the features, in [0, 1] (booleans as 1/0, OpenMixup's True/False) */
  lam_mul?: number | boolean;
  lam_residual?: boolean;
  /** λ rescale k (−1 = none) */
  lam_mul_k?: number | number[];
  value_neck_cfg?: ValueNeckConfig | null;
  x_qk_concat?: boolean;
  x_v_concat?: boolean;
  /** "none" only with model.mask_loss 0; "Sparsity" is refused (not implemented) by the models room */
  mask_loss_mode?: 'L1' | 'L2' | 'Variance' | 'L1+Variance' | 'L2+Variance' | 'none' | 'Sparsity';
  mask_loss_margin?: number;
  frozen?: boolean;
  /** OpenMixup options accepted here and refused (not implemented) by the models room unless at their default */
  attention_mode?: string;
  mask_mode?: string;
  double_norm?: boolean;
  pre_norm_cfg?: Record<string, unknown> | null;
  pre_conv_cfg?: Record<string, unknown> | null;
  pre_attn_cfg?: Record<string, unknown> | null;
  pre_neck_cfg?: Record<string, unknown> | null;
  pre_head_cfg?: Record<string, unknown> | null;
}

/** Mask upsampling of the Mix Block. */
export type MaskUpsamplingMode = 'nearest' | 'bilinear' | 'bicubic';

/** `model.head_weights` of an AutoMixup model: weight of each loss term (0 turns a term off). */
export interface HeadWeights {
  head_mix_q: number;
  head_one_q: number;
  head_mix_k: number;
  head_one_k: number;
}

/**
 * `model` of the learned mixers AutoMix / SAMix: OpenMixup's `AutoMixup` classifier (an online encoder q and a
 * momentum encoder k, each with `head_one` and `head_mix`, and a Mix Block trained on k's features). No
 * `mix_mode`/`mix_prob`/`mix_repeat`/`mix_args`/`head`.
 */
export interface AutoMixModelConfig {
  type: 'AutoMixup';
  pretrained: string | null;
  /** λ ~ Beta(α, α) (2 in every reference config) */
  alpha: number;
  /** base EMA momentum m of k ← m·k + (1−m)·q (scheduled by a CosineScheduleHook) */
  momentum: number;
  /** 0-based backbone stage whose output feeds the Mix Block (2 = layer3) */
  mask_layer: number;
  /** weight of the Mix Block's mask loss (annealed by a CustomCosineAnnealingHook on "mask_loss") */
  mask_loss: number;
  /** probability of OpenMixup's mask adjustment (0 in every reference config) */
  mask_adjust: number;
  /** the backbone trains on plain mixup when λ or 1−λ <= lam_margin */
  lam_margin: number;
  /** pair images without fixed points for the Mix Block */
  mix_shuffle_no_repeat?: boolean;
  /** must contain mask_layer and 3 */
  backbone: BackboneConfig;
  mix_block: MixBlockConfig;
  /** classifies the clean images (ClsHead) */
  head_one: HeadConfig;
  /** classifies the mixed images (ClsMixupHead) */
  head_mix: HeadConfig;
  /** SAMix: the Mix Block's loss head (η-balanced soft CE); default head_mix */
  head_mix_k?: HeadConfig;
  head_weights: HeadWeights;
}

/** `optimizer.paramwise_options.mix_block`: the Mix Block's own SGD group (AutoMixup). */
export interface MixBlockOptimizerOptions {
  lr: number;
  /** default: optimizer.momentum */
  momentum?: number;
  /** default: optimizer.weight_decay */
  weight_decay?: number;
}

/** `lr_config` policies. */
export interface LrConfig {
  policy: 'CosineAnnealing' | 'step' | 'fixed';
  min_lr?: number;
  step?: number[];
  gamma?: number;
}

/** `addtional_scheduler` (OpenMixup's spelling): the lr schedule of the Mix Block group. */
export interface AdditionalSchedulerConfig extends LrConfig {
  /** the param groups it drives: ["mix_block"] */
  paramwise_options: Array<'mix_block'>;
}

/** `custom_hooks[i]` that mixup implements (AutoMixup only). */
export type CustomHookConfig =
  | {
      /** cosine annealing of `model.<attr_name>` from attr_base to min_attr (or attr_base·min_attr_ratio) */
      type: 'CustomCosineAnnealingHook';
      attr_name: 'mask_loss';
      attr_base: number;
      /** default true: progress by epoch; false: by iteration */
      by_epoch?: boolean;
      min_attr?: number;
      min_attr_ratio?: number;
    }
  | {
      /** EMA momentum m = end − (end − m₀)·(cos(π·it/K)+1)/2 inside adjust_scope (OpenMixup momentum_hook.py) */
      type: 'CosineScheduleHook';
      /** default 1 */
      end_momentum?: number;
      /** fractions of the run [start, end] where the momentum is adjusted; default [0, 1] */
      adjust_scope?: [number, number];
      /** before adjust_scope[0]: "linear" (default) from end_momentum down to m₀, or "constant" m₀ */
      warming_up?: 'linear' | 'constant';
      /** momentum reset to 0 every restart_step iterations (default never) */
      restart_step?: number;
      /** iterations between updates (default 1) */
      update_interval?: number;
      /** accepted and ignored, as OpenMixup's hook swallows it (several reference configs write `interval=1`) */
      interval?: number;
    };

/** `data.{train,val}.data_source`: owned by the data room, which may read more fields than these. */
export interface DataSourceConfig {
  type: 'ImageList' | 'CUB200' | 'Aircraft' | 'INaturalist' | 'Places205' | 'ImageFolder' | 'MNIST' | 'FashionMNIST' | 'Synthetic';
  root?: string;
  list_file?: string;
  splitor?: ' ' | ',' | ';';
  [key: string]: unknown;
}

/** One transform of `data.<split>.pipeline`, applied in order. */
export type PipelineStep =
  | {type: 'Resize'; size: number; interpolation?: number}
  | {type: 'RandomResizedCrop'; size: number; scale?: [number, number]; interpolation?: number}
  | {type: 'CenterCrop'; size: number}
  | {type: 'RandomHorizontalFlip'}
  | {type: 'RandomCrop'; size: number; padding: number}
  | {type: 'Normalize'; mean: number[]; std: number[]};

/** `data.train` / `data.val`. */
export interface DatasetSplitConfig {
  type: 'ClassificationDataset';
  data_source: DataSourceConfig;
  pipeline: PipelineStep[];
}

/** `data`: batch size per device, loader workers and the two splits. */
export interface DataConfig {
  imgs_per_gpu: number;
  workers_per_gpu: number;
  drop_last: boolean;
  train: DatasetSplitConfig;
  val: DatasetSplitConfig;
  /** any unloadable image is an error (default false; `mixup train --strict`) */
  strict?: boolean;
  /** share of a split's images that may be skipped as unloadable before the run stops (default train 0.01, val 0) */
  max_skip_fraction?: {train?: number; val?: number};
  /** decoded-image cache of file sources (default "auto": on when the split fits `cache_budget_mb`) */
  cache?: 'auto' | boolean;
  /** cache budget per split in MiB (default min(2048, RAM / 8)) */
  cache_budget_mb?: number;
}

/** `optimizer`: SGD; `paramwise_options` only with an AutoMixup model. */
export interface OptimizerConfig {
  type: 'SGD';
  lr: number;
  momentum: number;
  weight_decay: number;
  paramwise_options?: {mix_block: MixBlockOptimizerOptions};
}

/** A complete config, as `loadConfig` returns it (`isAutoMix` tells the two model types apart). */
export interface MixupConfig {
  model: ModelConfig | AutoMixModelConfig;
  data: DataConfig;
  optimizer: OptimizerConfig;
  /** `update_interval`: an optimizer step every N iterations on gradients summed over them (default 1) */
  optimizer_config: {grad_clip: null | {max_norm: number}; update_interval?: number};
  lr_config: LrConfig;
  /** AutoMixup only: the Mix Block group's lr schedule; absent = the group follows lr_config from its own lr */
  addtional_scheduler?: AdditionalSchedulerConfig;
  /** AutoMixup only: mask-loss and EMA-momentum schedules; absent = both stay constant */
  custom_hooks?: CustomHookConfig[];
  runner: {type: 'EpochBasedRunner'; max_epochs: number};
  evaluation: {initial: boolean; interval: number; imgs_per_gpu: number; workers_per_gpu?: number; eval_param: {topk: number[]}};
  checkpoint_config: {interval: number; max_keep_ckpts: number};
  log_config: {interval: number};
  seed?: number;
  backend?: 'auto' | 'tensorflow' | 'webgpu' | 'native' | 'wasm' | 'cpu';
}

/** A config whose model is a MixUpClassification (the mix_mode methods). */
export type MixUpConfig = MixupConfig & {model: ModelConfig};

/** A config whose model is an AutoMixup (the learned mixers AutoMix / SAMix). */
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

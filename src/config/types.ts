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

/** `data.{train,val}.data_source`: owned by the data room, which may read more fields than these. */
export interface DataSourceConfig {
  type: 'ImageList' | 'CUB200' | 'Aircraft' | 'INaturalist' | 'Places205' | 'ImageFolder' | 'MNIST' | 'Synthetic';
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
}

/** A complete config, as `loadConfig` returns it. */
export interface MixupConfig {
  model: ModelConfig;
  data: DataConfig;
  optimizer: {type: 'SGD'; lr: number; momentum: number; weight_decay: number};
  optimizer_config: {grad_clip: null | {max_norm: number}};
  lr_config: {policy: 'CosineAnnealing' | 'step' | 'fixed'; min_lr?: number; step?: number[]; gamma?: number};
  runner: {type: 'EpochBasedRunner'; max_epochs: number};
  evaluation: {initial: boolean; interval: number; imgs_per_gpu: number; workers_per_gpu?: number; eval_param: {topk: number[]}};
  checkpoint_config: {interval: number; max_keep_ckpts: number};
  log_config: {interval: number};
  seed?: number;
  backend?: 'auto' | 'tensorflow' | 'native' | 'wasm' | 'cpu';
}

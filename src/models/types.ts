/**
 * The contract between the models room (`src/models/`) and the training engine (`src/engine/`).
 *
 * A `Classifier` is a ResNet/ResNeXt backbone plus a linear head, written with plain tf ops and `tf.variable`s.
 * Tensors are NHWC float32. Parameter and buffer names are torchvision `state_dict` names (`conv1.weight`,
 * `bn1.running_mean`, `layer1.0.conv1.weight`, `layer1.0.downsample.0.weight`, `fc.bias`), so that torchvision
 * weights load by name and checkpoints can be read back by PyTorch.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type {FeaturePlan} from '../mixups/types';

/** Backbone types of the reference configs (`model.backbone.type`). */
export type BackboneType = 'ResNet' | 'ResNeXt' | 'ResNet_Mix' | 'ResNet_CIFAR';

/** Depths with torchvision layouts: 18/34 BasicBlock, 50/101 Bottleneck. */
export type ResNetDepth = 18 | 34 | 50 | 101;

/**
 * `model.backbone` as in OpenMixup configs, e.g. `{type: "ResNet", depth: 18, num_stages: 4, out_indices: [3],
 * style: "pytorch"}` or `{type: "ResNeXt", depth: 50, groups: 32, width_per_group: 4, ...}`.
 */
export interface BackboneConfig {
  type: BackboneType;
  depth: ResNetDepth;
  /** must be 4 when given (the four residual stages) */
  num_stages?: number;
  /** indices of the stages whose output is used; only the last stage ([3]) is supported. Default [3] */
  out_indices?: number[];
  /** only "pytorch" (stride on the 3×3 conv of a Bottleneck). Default "pytorch" */
  style?: string;
  /** ResNeXt cardinality (grouped 3×3 conv). Default 1 for ResNet, 32 for ResNeXt */
  groups?: number;
  /** channels per group of the grouped 3×3 conv at the first stage. Default 64 for ResNet, 4 for ResNeXt */
  width_per_group?: number;
  /** stem width and first-stage planes (stages use 1, 2, 4, 8 × base_channels). Default 64 */
  base_channels?: number;
  /** input image channels. Default 3 */
  in_channels?: number;
  /** zero-initialise the last BN weight of every residual block (torchvision option). Default false */
  zero_init_residual?: boolean;
}

/** `model.head`: a linear classifier on globally average-pooled last-stage features (ClsHead, ClsMixupHead). */
export interface HeadConfig {
  type: string;
  num_classes: number;
  /** when given, must equal the backbone's output channels (512 for ResNet-18/34, 2048 for 50/101 at base_channels 64) */
  in_channels?: number;
  /** must be true (default true) */
  with_avg_pool?: boolean;
  /** loss settings and other head keys are read by the engine, not here */
  [key: string]: unknown;
}

/** The config's `model` object; only `backbone` and `head` are read by `buildClassifier`. */
export interface ModelConfig {
  backbone: BackboneConfig;
  head: HeadConfig;
  /** e.g. "torchvision://resnet18": loaded by `loadPretrained`, not by `buildClassifier` */
  pretrained?: string | null;
  [key: string]: unknown;
}

export interface BuildOptions {
  /** seeds the `Rng` that draws the initial weights */
  seed: number;
  /** the config file the model comes from, named in error messages */
  source?: string;
}

export interface ForwardOptions {
  /** true: batch statistics, running statistics updated (momentum 0.1); false: running statistics */
  training: boolean;
  /** ManifoldMix / AlignMix plan, applied to the features at `plan.stage` */
  plan?: FeaturePlan;
  /**
   * `features()` only: return the output of residual stage `stopAtStage` (1..4; stage s = torchvision `layer<s>`,
   * OpenMixup `out_indices` index s − 1) without running the later stages (their BN statistics are not touched).
   * Default: the last stage. `forward()` refuses it (the head needs the last stage).
   */
  stopAtStage?: number;
}

/** One tensor of a torch-layout state dict (NCHW conv weights OIHW, linear weights [out, in]). */
export interface StateEntry {
  shape: number[];
  data: Float32Array;
}

export interface LoadStateDictOptions {
  /** where the entries come from (a file path or "torchvision://resnet18"), named in every error */
  source: string;
  /**
   * true (default): every model key must be present and no unknown key may appear (`num_batches_tracked` is
   * always ignored); false: missing keys keep their current values and unknown keys are ignored.
   * A shape mismatch is always an error.
   */
  strict?: boolean;
  /** keys left out on both sides (e.g. `["fc.weight", "fc.bias"]` when transferring to another class count) */
  exclude?: readonly string[];
}

export interface Classifier {
  readonly numClasses: number;
  /** trainable variables by torchvision name, in state_dict order (pass `[...params.values()]` to the optimizer) */
  readonly params: Map<string, tf.Variable>;
  /** BN running_mean / running_var (non-trainable), by torchvision name */
  readonly buffers: Map<string, tf.Variable>;
  /** N×H×W×C images -> N×numClasses logits. Training mode updates the BN running statistics. */
  forward(x: tf.Tensor4D, opts: ForwardOptions): tf.Tensor2D;
  /** N×H×W×C images -> N×h×w×C' last-stage feature map (after the plan, when its stage is the last), or the map of
   * stage `opts.stopAtStage` */
  features(x: tf.Tensor4D, opts: ForwardOptions): tf.Tensor4D;
  /** copies of params and buffers in torch layout (OIHW conv, [out, in] fc); the caller disposes them */
  stateDict(): Map<string, tf.Tensor>;
  /** assigns torch-layout entries by name (transposing conv/fc weights); all keys and shapes are checked before any
   * write, and a mismatch throws a MixupError (data) naming the source, the first bad key and both shapes */
  loadStateDict(entries: Map<string, StateEntry>, opts: LoadStateDictOptions): LoadStateDictResult;
  /** disposes every variable */
  dispose(): void;
}

/** What `loadStateDict` did. */
export interface LoadStateDictResult {
  /** number of model tensors assigned */
  loaded: number;
  /** keys of the entries not used (num_batches_tracked, excluded keys, unknown keys when not strict) */
  skipped: string[];
}

/** What `loadPretrained` did. */
export interface PretrainedReport {
  /** the resolved safetensors file */
  path: string;
  /** number of tensors assigned */
  loaded: number;
  /** keys of the file not used (the fc layer on a class-count change, num_batches_tracked) */
  skipped: string[];
  /** human-readable notes ("fc skipped: file has 1000 classes, model 200") */
  notes: string[];
}

export interface PretrainedOptions {
  /** directory of `<name>.safetensors` files for `torchvision://<name>`; else env MIXUP_WEIGHTS_DIR, else
   * ~/.cache/mixup/weights */
  weightsDir?: string;
}

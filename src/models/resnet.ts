/**
 * ResNet / ResNeXt classifiers (He et al., "Deep Residual Learning for Image Recognition",
 * https://arxiv.org/abs/1512.03385; Xie et al., "Aggregated Residual Transformations for Deep Neural Networks",
 * https://arxiv.org/abs/1611.05431) on plain tf ops, NHWC, with torchvision's layout and parameter names.
 *
 * The layer list comes from `spec.ts`. Batch norm is torch's `BatchNorm2d` (`batch-norm.ts`: batch statistics and
 * momentum-0.1 running statistics in training mode).
 * ManifoldMix (Verma et al., "Manifold Mixup", https://arxiv.org/abs/1806.05236) mixes hidden features: a
 * `FeaturePlan` is applied to the backbone input (stage 0) or to the output of residual stage k (k = 1..4, −1 = 4),
 * as OpenMixup's `ResNet_Mix` does.
 */
import * as tf from '@tensorflow/tfjs-core';
import {dataError, usageError, showValue} from '../errors';
import type {FeaturePlan} from '../mixups/types';
import {Rng} from '../rng';
import {batchNorm2d} from './batch-norm';
import {groupedConv2d} from './grouped-conv';
import {DENSE_TRANSPOSE, HWIO_TO_OIHW, OIHW_TO_HWIO} from './torch/tensor';
import {type ConvBnSpec, type ModelSpec, type ParamKind, type ParamSpec, paramShapes, parseModelConfig} from './spec';
import type {BuildOptions, Classifier, ForwardOptions, LoadStateDictOptions, LoadStateDictResult, StateEntry} from './types';

let nextModelId = 0;

/**
 * Builds a classifier with freshly initialised weights (torchvision's scheme, drawn from `new Rng(opts.seed)`):
 * convs Kaiming-normal (fan_out, ReLU gain): N(0, 2 / (C_out·kh·kw)); BN weight 1, bias 0 (the last BN weight of a
 * block 0 under `zero_init_residual`); fc weight and bias U(−1/√C_in, 1/√C_in) (nn.Linear's default).
 * @param modelCfg the config's `model` object (see `ModelConfig`)
 * @throws MixupError (usage / notImplemented) naming the config file and the dotted key
 */
export function buildClassifier(modelCfg: unknown, opts: BuildOptions): Classifier {
  return new ResNetClassifier(parseModelConfig(modelCfg, opts.source), opts.seed);
}

/** Initial values of one parameter or buffer (tfjs layout). */
function initialValue(p: ParamSpec, spec: ModelSpec, rng: Rng): Float32Array {
  const size = p.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  switch (p.kind) {
    case 'conv': {
      const [kh, kw, , cOut] = p.shape;
      const std = Math.sqrt(2 / (cOut * kh * kw)); // kaiming_normal_(mode="fan_out", nonlinearity="relu")
      for (let i = 0; i < size; i++) out[i] = std * rng.normal();
      break;
    }
    case 'bnWeight':
      out.fill(spec.zeroInitResidual && p.residualGamma ? 0 : 1);
      break;
    case 'runningVar':
      out.fill(1);
      break;
    case 'fcWeight':
    case 'fcBias': {
      const bound = 1 / Math.sqrt(spec.featureChannels); // kaiming_uniform_(a=√5) = U(−1/√fan_in, 1/√fan_in)
      for (let i = 0; i < size; i++) out[i] = rng.uniformRange(-bound, bound);
      break;
    }
    default: // bnBias, runningMean
      break;
  }
  return out;
}

/** Axis permutations torch layout -> tfjs layout (conv OIHW -> HWIO, fc [out, in] -> [in, out]) and back. */
const FROM_TORCH: Partial<Record<ParamKind, readonly number[]>> = {conv: OIHW_TO_HWIO, fcWeight: DENSE_TRANSPOSE};
const TO_TORCH: Partial<Record<ParamKind, readonly number[]>> = {conv: HWIO_TO_OIHW, fcWeight: DENSE_TRANSPOSE};

/** A transposed copy of `t` (a plain copy when `perm` is undefined). */
function permuted(t: tf.Tensor, perm: readonly number[] | undefined): tf.Tensor {
  return perm ? tf.transpose(t, [...perm]) : t.clone();
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** The `Classifier` implementation for every ResNet/ResNeXt spec. */
export class ResNetClassifier implements Classifier {
  readonly numClasses: number;
  readonly params = new Map<string, tf.Variable>();
  readonly buffers = new Map<string, tf.Variable>();
  /** the parsed layer list (stem, stages, feature channels) */
  readonly spec: ModelSpec;
  private readonly specs: ParamSpec[];
  private disposed = false;

  constructor(spec: ModelSpec, seed: number) {
    this.spec = spec;
    this.numClasses = spec.numClasses;
    this.specs = paramShapes(spec);
    const rng = new Rng(seed);
    const id = nextModelId++;
    for (const p of this.specs) {
      const v = tf.variable(tf.tensor(initialValue(p, spec, rng), p.shape, 'float32'), p.trainable, `resnet${id}/${p.name}`);
      (p.trainable ? this.params : this.buffers).set(p.name, v);
    }
  }

  private variable(name: string): tf.Variable {
    const v = this.params.get(name) ?? this.buffers.get(name);
    if (!v) throw new Error(`ResNetClassifier: no variable "${name}" (spec and variables out of sync)`);
    return v;
  }

  features(x: tf.Tensor4D, opts: ForwardOptions): tf.Tensor4D {
    this.checkInput(x, opts.plan);
    const {stem, stages} = this.spec;
    const last = stages.length;
    const stopAt = this.checkStopAt(opts.stopAtStage);
    const planStage = opts.plan ? (opts.plan.stage === -1 ? last : opts.plan.stage) : -2;
    if (planStage > stopAt) {
      throw usageError(`feature plan stage ${opts.plan!.stage} lies after stopAtStage ${stopAt}: the plan would never be applied`);
    }
    const mixAt = (h: tf.Tensor4D, stage: number) => (stage === planStage ? checkedApply(opts.plan!, h) : h);
    return tf.tidy(() => {
      let h = mixAt(x, 0);
      h = tf.relu(this.convBn(stem, h, opts.training));
      if (this.spec.maxPool) h = tf.maxPool(h, 3, 2, 1);
      stages.slice(0, stopAt).forEach((blocks, s) => {
        for (const block of blocks) {
          let y = h;
          block.units.forEach((unit, i) => {
            y = this.convBn(unit, y, opts.training);
            if (i < block.units.length - 1) y = tf.relu(y);
          });
          const shortcut = block.downsample ? this.convBn(block.downsample, h, opts.training) : h;
          h = tf.relu(tf.add(y, shortcut)) as tf.Tensor4D;
        }
        h = mixAt(h, s + 1);
      });
      return h;
    });
  }

  /** Validates `ForwardOptions.stopAtStage` (1..number of stages) and returns it, or the last stage when unset. */
  private checkStopAt(stopAtStage: number | undefined): number {
    const last = this.spec.stages.length;
    if (stopAtStage === undefined) return last;
    if (!Number.isInteger(stopAtStage) || stopAtStage < 1 || stopAtStage > last) {
      throw usageError(`stopAtStage must be an integer in 1..${last} (stage s = layer<s>, OpenMixup out_indices s − 1), got ${showValue(stopAtStage)}`);
    }
    return stopAtStage;
  }

  forward(x: tf.Tensor4D, opts: ForwardOptions): tf.Tensor2D {
    if (opts.stopAtStage !== undefined && opts.stopAtStage !== this.spec.stages.length) {
      throw usageError(`forward: stopAtStage ${JSON.stringify(opts.stopAtStage)} is for features() only (the head needs the output of the last stage)`);
    }
    return tf.tidy(() => {
      const pooled = tf.mean(this.features(x, opts), [1, 2]) as tf.Tensor2D; // global average pool: N×C
      return tf.add(tf.matMul(pooled, this.variable('fc.weight')), this.variable('fc.bias')) as tf.Tensor2D;
    });
  }

  /** conv (grouped when groups > 1, torch padding) followed by batch norm. */
  private convBn(u: ConvBnSpec, x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    const w = this.variable(`${u.conv}.weight`) as tf.Tensor as tf.Tensor4D;
    const y = u.groups > 1 ? groupedConv2d(x, w, u.stride, u.pad, u.groups) : tf.conv2d(x, w, u.stride, u.pad);
    const bn = {weight: this.variable(`${u.bn}.weight`), bias: this.variable(`${u.bn}.bias`), runningMean: this.variable(`${u.bn}.running_mean`), runningVar: this.variable(`${u.bn}.running_var`)};
    return batchNorm2d(y, bn, training, () =>
      dataError(`${u.bn}: batch norm in training mode needs more than 1 value per channel, got input shape ${fmt(y.shape)} (use a batch size > 1 or larger images)`),
    );
  }

  private checkInput(x: tf.Tensor4D, plan: FeaturePlan | undefined): void {
    if (this.disposed) throw new Error('ResNetClassifier: used after dispose()');
    const c = this.spec.stem.inChannels;
    if (x.rank !== 4 || x.shape[3] !== c) {
      throw dataError(`model input must be N×H×W×${c} (NHWC, backbone.in_channels = ${c}), got shape ${fmt(x.shape)}`);
    }
    if (plan && !(Number.isInteger(plan.stage) && plan.stage >= -1 && plan.stage <= this.spec.stages.length)) {
      throw usageError(`feature plan stage must be -1 (last) or 0..${this.spec.stages.length} (0 = input, k = output of residual stage k), got ${plan.stage}`);
    }
  }

  stateDict(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    for (const p of this.specs) out.set(p.name, tf.tidy(() => permuted(this.variable(p.name), TO_TORCH[p.kind])));
    return out;
  }

  loadStateDict(entries: Map<string, StateEntry>, opts: LoadStateDictOptions): LoadStateDictResult {
    const {source, strict = true} = opts;
    const excluded = new Set(opts.exclude ?? []);
    const byName = new Map(this.specs.map((p) => [p.name, p]));
    const skipped: string[] = [];
    const toLoad: Array<[ParamSpec, StateEntry]> = [];
    for (const [key, entry] of entries) {
      const p = byName.get(key);
      if (key.endsWith('num_batches_tracked') || excluded.has(key) || (!p && !strict)) {
        skipped.push(key);
        continue;
      }
      if (!p) throw dataError(`${source}: unexpected key "${key}" (shape ${fmt(entry.shape)}): the model (${this.describe()}) has no such tensor`);
      if (!sameShape(entry.shape, p.torchShape)) {
        throw dataError(`${source}: "${key}" has shape ${fmt(entry.shape)} but the model (${this.describe()}) expects ${fmt(p.torchShape)} (torch layout)`);
      }
      const size = entry.shape.reduce((a, b) => a * b, 1);
      if (entry.data.length !== size) throw dataError(`${source}: "${key}" has shape ${fmt(entry.shape)} (${size} values) but ${entry.data.length} values`);
      toLoad.push([p, entry]);
    }
    if (strict) {
      const missing = this.specs.filter((p) => !excluded.has(p.name) && !entries.has(p.name));
      if (missing.length > 0) {
        throw dataError(`${source}: missing key "${missing[0].name}" (the model expects ${fmt(missing[0].torchShape)}); ${missing.length} of ${this.specs.length} model tensors missing`);
      }
    }
    for (const [p, entry] of toLoad) {
      tf.tidy(() => this.variable(p.name).assign(permuted(tf.tensor(entry.data, entry.shape, 'float32'), FROM_TORCH[p.kind])));
    }
    return {loaded: toLoad.length, skipped};
  }

  private describe(): string {
    const {backbone, depth, numClasses} = this.spec;
    return `${backbone}-${depth}, ${numClasses} classes`;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of [...this.params.values(), ...this.buffers.values()]) v.dispose();
  }
}

/** Applies a feature plan and checks that it kept the shape. */
function checkedApply(plan: FeaturePlan, h: tf.Tensor4D): tf.Tensor4D {
  const out = plan.apply(h);
  if (!sameShape(out.shape, h.shape)) {
    throw new Error(`feature plan at stage ${plan.stage} changed the feature shape ${fmt(h.shape)} to ${fmt(out.shape)}`);
  }
  return out;
}

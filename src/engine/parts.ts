/**
 * Builds what a run trains with from a validated config, through the other rooms' entry points: the classifier
 * (`src/models`), the train/val loaders (`src/data`), the mixing schedule, loss and accuracies (`src/mixups`), and
 * the model hooks model-dependent methods need (PuzzleMix's input gradient, AttentiveMix's frozen extractor).
 */
import * as tf from '@tensorflow/tfjs-core';
import {isAutoMix, type MixUpConfig, type MixupConfig} from '../config/schema';
import {stageChannels} from '../config/validate';
import {createLoader, DatasetLoader} from '../data';
import type {Loader, LoaderOptions} from '../data';
import {dataError, usageError} from '../errors';
import {accuracyMixDevice, accuracyTop1Device, mixLoss, MixSchedule, registry} from '../mixups';
import type {ModelHooks} from '../mixups';
import {buildAutoMix, buildClassifier, loadPretrained, resolvePretrained} from '../models';
import type {Classifier, PretrainedOptions} from '../models';
import {AutoMixLearner, groupLrSchedules, hookSchedules} from './automix-learner';
import {ClassifierLearner, evaluate, evaluateHeads, type Criteria, type EvalOptions, type EvalResult, type Learner, type LoaderLike} from './learner';
import {GradAccumulation} from './grad-accumulation';
import {buildLrSchedule} from './lr';
import type {SgdOptions} from './sgd';

/** The loss and accuracies of `model.head` for `numClasses` classes. */
export function buildCriteria(config: MixUpConfig): Criteria {
  const numClasses = config.model.head.num_classes;
  const lossCfg = config.model.head.loss;
  return {
    loss: (logits, labels) => mixLoss(logits, labels, numClasses, lossCfg),
    acc: (logits, labels) => accuracyTop1Device(logits, labels),
    accMix: (logits, labels) => accuracyMixDevice(logits, labels),
  };
}

/**
 * The split's loader, refusing a dataset whose declared class count differs from `model.head.num_classes`.
 * `data.strict` / `--strict` and the loader's warnings (skipped images, paths outside the root) come in `extra`.
 */
export function buildLoader(config: MixupConfig, split: 'train' | 'val', seed: number, configPath: string, extra: Pick<LoaderOptions, 'strict' | 'warn'> = {}): Loader {
  const numClasses = numClassesOf(config);
  const field = isAutoMix(config) ? 'model.head_one.num_classes' : 'model.head.num_classes';
  const batchSize = split === 'train' ? config.data.imgs_per_gpu : config.evaluation.imgs_per_gpu;
  // val decodes on evaluation.workers_per_gpu threads when the config says so (OpenMixup's field), else data's
  const workers = split === 'val' ? config.evaluation.workers_per_gpu : undefined;
  const loader = createLoader(config.data, split, {seed, numClasses, batchSize, ...(workers === undefined ? {} : {workers}), ...extra});
  const declared = loader instanceof DatasetLoader ? loader.dataset.numClasses : undefined;
  if (declared !== undefined && declared !== numClasses) {
    throw dataError(
      `${configPath}: ${field} is ${numClasses} but data.${split} (${(loader as DatasetLoader).dataset.description}) has ${declared} classes`,
      {suggestions: [`Set ${field} to ${declared}, or point data.${split} at the dataset the config is for.`]},
    );
  }
  return loader;
}

/**
 * The hooks `schedule.needs` asks for, or a clear error when one cannot be provided.
 * - `inputGradient`: d CE(model(x), y) / d x with the current weights (BN in eval mode, so the saliency pass does
 *   not touch the running statistics).
 * - `extractorFeatures`: last-stage features of a frozen `model.backbone_k` loaded from `model.pretrained_k`.
 */
export function buildHooks(config: MixUpConfig, model: Classifier, schedule: MixSchedule, configPath: string, seed: number, weights: PretrainedOptions = {}): {hooks: ModelHooks; dispose(): void} {
  const hooks: ModelHooks = {};
  let extractor: Classifier | undefined;
  const numClasses = config.model.head.num_classes;
  if (schedule.needs.includes('inputGradient')) {
    hooks.inputGradient = (images, labels) =>
      tf.tidy(() => tf.grad((x: tf.Tensor) => mixLoss(model.forward(x as tf.Tensor4D, {training: false}), {yA: labels, yB: labels, lam: 1}, numClasses))(images) as tf.Tensor4D);
  }
  if (schedule.needs.includes('extractorFeatures')) {
    const {backbone_k: extractorBackbone, pretrained_k: extractorWeights} = config.model;
    const users = schedule.entries.filter((e) => e.method.needs?.includes('extractorFeatures')).map((e) => e.name);
    if (!extractorBackbone || extractorWeights === undefined) {
      throw usageError(`${configPath}: model.mix_mode ${users.join(', ')} needs a frozen pretrained feature extractor: set model.backbone_k (e.g. {"type": "ResNet", "depth": 50}) and model.pretrained_k (e.g. "torchvision://resnet50")`);
    }
    extractor = buildClassifier({backbone: extractorBackbone, head: {type: 'ClsHead', num_classes: 1000, in_channels: stageChannels(extractorBackbone, 3)}}, {seed, source: `${configPath} (model.backbone_k)`});
    loadPretrained(extractor, extractorWeights, weights);
    const frozen = extractor;
    hooks.extractorFeatures = (images) => frozen.features(images, {training: false});
  }
  return {hooks, dispose: () => extractor?.dispose()};
}

/**
 * Finds every weights file a fresh run of `config` loads (`model.pretrained`, and `model.pretrained_k` when a
 * scheduled method uses the frozen extractor), without building anything: `train` calls it before any work.
 * @throws MixupError (data) for the first one missing, saying where it looked and how to get it
 */
export function checkPretrained(config: MixupConfig, weights: PretrainedOptions = {}): string[] {
  const specs: string[] = [];
  if (typeof config.model.pretrained === 'string' && config.model.pretrained !== '') specs.push(config.model.pretrained);
  if (!isAutoMix(config)) {
    const extractorWeights = (config as MixUpConfig).model.pretrained_k;
    if (extractorWeights !== undefined && buildSchedule(config as MixUpConfig).needs.includes('extractorFeatures')) specs.push(extractorWeights);
  }
  return specs.map((spec) => resolvePretrained(spec, weights));
}

/** The run's mixing schedule (validates `mix_mode`, `alpha`, `mix_prob`, `mix_repeat`, `mix_args`). */
export function buildSchedule(config: MixUpConfig): MixSchedule {
  return new MixSchedule(config.model, registry);
}

/** The classifier, with `model.pretrained` weights when given (not when resuming: the checkpoint has them). */
export function buildModel(config: MixUpConfig, seed: number, configPath: string, pretrained: boolean, weights: PretrainedOptions = {}): {model: Classifier; notes: string[]} {
  const model = buildClassifier(config.model, {seed, source: configPath});
  if (!pretrained || !config.model.pretrained) return {model, notes: []};
  const report = loadPretrained(model, config.model.pretrained, weights);
  return {model, notes: [`loaded ${report.loaded} tensors from ${report.path}`, ...report.notes]};
}

/** The class count of a config's classifier (`model.head` or, for AutoMixup, `model.head_one`). */
export function numClassesOf(config: MixupConfig): number {
  return isAutoMix(config) ? config.model.head_one.num_classes : (config as MixUpConfig).model.head.num_classes;
}

/** A config's model with what it trains and evaluates with (`buildTrainable`). */
export interface Trainable {
  /** checkpointed variables, by name */
  readonly params: Map<string, tf.Variable>;
  readonly buffers: Map<string, tf.Variable>;
  /** lines for the user (pretrained weights loaded) */
  readonly notes: string[];
  /** the learner of a run of `maxEpochs` epochs of `itersPerEpoch` iterations */
  learner(maxEpochs: number, itersPerEpoch: number): Learner;
  /** validation metrics without an optimizer (`mixup test`) */
  evaluate(loader: LoaderLike, topk: readonly number[], opts?: EvalOptions): Promise<EvalResult>;
  /** frees the model (and the frozen extractor of AttentiveMix) */
  dispose(): void;
}

/** SGD options of `optimizer` (+ `optimizer_config.grad_clip`). */
function sgdOptions(config: MixupConfig): SgdOptions {
  return {momentum: config.optimizer.momentum, weightDecay: config.optimizer.weight_decay, maxGradNorm: config.optimizer_config?.grad_clip?.max_norm};
}

/** `optimizer_config.update_interval` (default 1: a step every iteration) over a run of `maxEpochs × itersPerEpoch` iterations. */
function gradAccumulation(config: MixupConfig, maxEpochs: number, itersPerEpoch: number): GradAccumulation {
  return new GradAccumulation(config.optimizer_config.update_interval, maxEpochs * itersPerEpoch);
}

/** `build()`, disposing `owner` (what was built before it) when it throws. */
function disposingOnError<T>(owner: {dispose(): void}, build: () => T): T {
  try {
    return build();
  } catch (err) {
    owner.dispose();
    throw err;
  }
}

/**
 * The model of a config and its learner: a `MixUpClassification` classifier with its mixing schedule, loss and
 * hooks, or an `AutoMixup` model (online/momentum encoders and Mix Block) with its two parameter groups and
 * schedules. `pretrained` loads `model.pretrained` (not when resuming: the checkpoint has the weights), from
 * `weights.weightsDir` for `torchvision://` names.
 */
export function buildTrainable(config: MixupConfig, seed: number, configPath: string, pretrained: boolean, weights: PretrainedOptions = {}): Trainable {
  if (isAutoMix(config)) {
    const model = buildAutoMix(config.model, {seed, source: configPath});
    const modelConfig = config.model;
    const notes = disposingOnError(model, () => {
      if (!pretrained || !modelConfig.pretrained) return [];
      const report = model.loadPretrained(modelConfig.pretrained, weights);
      return [`loaded ${report.loaded} tensors from ${report.path} into backbone_q (copied to backbone_k)`, ...report.notes];
    });
    return {
      params: model.params,
      buffers: model.buffers,
      notes,
      learner: (maxEpochs, itersPerEpoch) => {
        const mb = config.optimizer.paramwise_options.mix_block;
        const base = sgdOptions(config);
        return new AutoMixLearner({
          model,
          schedules: {...groupLrSchedules(config, maxEpochs, itersPerEpoch), ...hookSchedules(config, maxEpochs, itersPerEpoch)},
          sgd: base,
          mixBlockSgd: {...base, momentum: mb.momentum ?? base.momentum, weightDecay: mb.weight_decay ?? base.weightDecay},
          accumulation: gradAccumulation(config, maxEpochs, itersPerEpoch),
        });
      },
      evaluate: (loader, topk, opts) => evaluateHeads(loader, topk, (x) => model.testLogits(x), opts),
      dispose: () => model.dispose(),
    };
  }
  const mixConfig = config as MixUpConfig;
  const schedule = buildSchedule(mixConfig);
  const {model, notes} = buildModel(mixConfig, seed, configPath, pretrained, weights);
  const extras = disposingOnError(model, () => buildHooks(mixConfig, model, schedule, configPath, seed, weights));
  return {
    params: model.params,
    buffers: model.buffers,
    notes,
    learner: (maxEpochs, itersPerEpoch) =>
      new ClassifierLearner({
        model,
        planner: schedule,
        criteria: buildCriteria(mixConfig),
        hooks: extras.hooks,
        lr: buildLrSchedule(config.lr_config, config.optimizer.lr, maxEpochs, itersPerEpoch),
        sgd: sgdOptions(config),
        accumulation: gradAccumulation(config, maxEpochs, itersPerEpoch),
      }),
    evaluate: (loader, topk, opts) => evaluate(model, loader, topk, opts),
    dispose: () => {
      extras.dispose();
      model.dispose();
    },
  };
}

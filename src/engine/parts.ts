/**
 * Builds what a run trains with from a validated config, through the other rooms' entry points: the classifier
 * (`src/models`), the train/val loaders (`src/data`), the mixing schedule, loss and accuracies (`src/mixups`), and
 * the model hooks model-dependent methods need (PuzzleMix's input gradient, AttentiveMix's frozen extractor).
 */
import * as tf from '@tensorflow/tfjs-core';
import type {MixupConfig} from '../config/types';
import {stageChannels} from '../config/validate';
import {createLoader, DatasetLoader} from '../data';
import type {Loader} from '../data';
import {dataError, usageError} from '../errors';
import {accuracyMix, accuracyTop1, mixLoss, MixSchedule, registry} from '../mixups';
import type {LossConfig, ModelHooks} from '../mixups';
import {buildClassifier, loadPretrained} from '../models';
import type {Classifier} from '../models';
import type {Criteria} from './trainer';

/** The loss and accuracies of `model.head` for `numClasses` classes. */
export function buildCriteria(config: MixupConfig): Criteria {
  const numClasses = config.model.head.num_classes;
  const lossCfg = config.model.head.loss as unknown as LossConfig;
  return {
    loss: (logits, labels) => mixLoss(logits, labels, numClasses, lossCfg),
    acc: (logits, labels) => accuracyTop1(logits, labels),
    accMix: (logits, labels) => accuracyMix(logits, labels),
  };
}

/** The split's loader, refusing a dataset whose declared class count differs from `model.head.num_classes`. */
export function buildLoader(config: MixupConfig, split: 'train' | 'val', seed: number, configPath: string): Loader {
  const numClasses = config.model.head.num_classes;
  const batchSize = split === 'train' ? config.data.imgs_per_gpu : config.evaluation.imgs_per_gpu;
  const loader = createLoader(config.data, split, {seed, numClasses, batchSize});
  const declared = loader instanceof DatasetLoader ? loader.dataset.numClasses : undefined;
  if (declared !== undefined && declared !== numClasses) {
    throw dataError(
      `${configPath}: model.head.num_classes is ${numClasses} but data.${split} (${(loader as DatasetLoader).dataset.description}) has ${declared} classes`,
      {suggestions: [`Set model.head.num_classes to ${declared}, or point data.${split} at the dataset the config is for.`]},
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
export function buildHooks(config: MixupConfig, model: Classifier, schedule: MixSchedule, configPath: string, seed: number): {hooks: ModelHooks; dispose(): void} {
  const hooks: ModelHooks = {};
  let extractor: Classifier | undefined;
  const numClasses = config.model.head.num_classes;
  if (schedule.needs.includes('inputGradient')) {
    hooks.inputGradient = (images, labels) =>
      tf.tidy(() => tf.grad((x: tf.Tensor) => mixLoss(model.forward(x as tf.Tensor4D, {training: false}), {yA: labels, yB: labels, lam: 1}, numClasses))(images) as tf.Tensor4D);
  }
  if (schedule.needs.includes('extractorFeatures')) {
    const raw = config.model as unknown as {backbone_k?: {depth: number; base_channels?: number}; pretrained_k?: string};
    const users = schedule.entries.filter((e) => e.method.needs?.includes('extractorFeatures')).map((e) => e.name);
    if (!raw.backbone_k || typeof raw.pretrained_k !== 'string') {
      throw usageError(`${configPath}: model.mix_mode ${users.join(', ')} needs a frozen pretrained feature extractor: set model.backbone_k (e.g. {"type": "ResNet", "depth": 50}) and model.pretrained_k (e.g. "torchvision://resnet50")`);
    }
    extractor = buildClassifier({backbone: raw.backbone_k, head: {type: 'ClsHead', num_classes: 1000, in_channels: stageChannels(raw.backbone_k, 3)}}, {seed, source: `${configPath} (model.backbone_k)`});
    loadPretrained(extractor, raw.pretrained_k);
    const frozen = extractor;
    hooks.extractorFeatures = (images) => frozen.features(images, {training: false});
  }
  return {hooks, dispose: () => extractor?.dispose()};
}

/** The run's mixing schedule (validates `mix_mode`, `alpha`, `mix_prob`, `mix_repeat`, `mix_args`). */
export function buildSchedule(config: MixupConfig): MixSchedule {
  return new MixSchedule(config.model, registry);
}

/** The classifier, with `model.pretrained` weights when given (not when resuming: the checkpoint has them). */
export function buildModel(config: MixupConfig, seed: number, configPath: string, pretrained: boolean): {model: Classifier; notes: string[]} {
  const model = buildClassifier(config.model, {seed, source: configPath});
  if (!pretrained || !config.model.pretrained) return {model, notes: []};
  const report = loadPretrained(model, config.model.pretrained);
  return {model, notes: [`loaded ${report.loaded} tensors from ${report.path}`, ...report.notes]};
}

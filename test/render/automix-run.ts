/**
 * Test helper: a "trained" AutoMix / SAMix run at demo scale (ResNet_CIFAR-18 with base 8 channels, mask_layer 2 ->
 * a 32-channel map, 32×32 MNIST pipeline, 10 classes): its config file and a checkpoint of a seeded model whose Mix
 * Block weights are scaled up, so that its masks are far from the constant 0.5 of a fresh block.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {loadConfigFile} from '../../src/config/load';
import {configHash, saveCheckpoint} from '../../src/engine/checkpoint';
import {buildAutoMix} from '../../src/models/automix/model';
import {Rng} from '../../src/rng';

const TEMPLATES = path.resolve(__dirname, '..', '..', 'templates');

/** The config of an AutoMix (or SAMix) demo run with `baseChannels` (8 unless set). */
export function automixConfig(variant: 'automix' | 'samix', baseChannels = 8): object {
  const c = baseChannels;
  const head = {in_channels: 8 * c, num_classes: 10};
  return {
    _base_: [
      path.join(TEMPLATES, 'datasets', 'demo_mnist_sz32_bs64.json'),
      path.join(TEMPLATES, 'models', `${variant}.json`),
      path.join(TEMPLATES, 'schedules', 'sgd_lr0.1_wd5e-4_cos_ep4.json'),
      path.join(TEMPLATES, 'runtime', 'default.json'),
    ],
    model: {
      backbone: {type: 'ResNet_CIFAR', depth: 18, base_channels: c, out_indices: [2, 3]},
      mix_block: {in_channels: 4 * c, ...(variant === 'samix' ? {value_neck_cfg: {in_channels: 4 * c, hid_channels: 2 * c}} : {})},
      head_one: head,
      head_mix: head,
      ...(variant === 'samix' ? {head_mix_k: head} : {}),
    },
    optimizer: {paramwise_options: {mix_block: {lr: 0.1, momentum: 0.9}}},
    addtional_scheduler: {policy: 'CosineAnnealing', min_lr: 0.0005, paramwise_options: ['mix_block']},
  };
}

/** Writes `<dir>/<variant>.json` and `<dir>/latest.safetensors` (epoch `epoch`); returns both paths. */
export async function writeAutoMixRun(dir: string, variant: 'automix' | 'samix', epoch: number, opts: {baseChannels?: number; seed?: number} = {}): Promise<{config: string; checkpoint: string}> {
  fs.mkdirSync(dir, {recursive: true});
  const config = path.join(dir, `${variant}.json`);
  fs.writeFileSync(config, JSON.stringify(automixConfig(variant, opts.baseChannels), null, 2));
  const merged = loadConfigFile(config);
  const seed = opts.seed ?? 1;
  const model = buildAutoMix(merged.model, {seed, source: config});
  const rng = new Rng(seed + 100);
  for (const v of model.mixBlockParams.values()) {
    const data = Float32Array.from({length: v.size}, () => rng.normal());
    const t = tf.tensor(data, v.shape, 'float32');
    v.assign(t);
    t.dispose();
  }
  const checkpoint = path.join(dir, 'latest.safetensors');
  await saveCheckpoint(checkpoint, {params: model.params, buffers: model.buffers, momentum: new Map()}, {
    format: 1, epoch, iter: epoch * 10, rng: new Rng(seed).getState(), seed, configHash: configHash(merged, seed), configPath: config, lr: 0.1, mixupVersion: '0.1.0',
  });
  model.dispose();
  return {config, checkpoint};
}

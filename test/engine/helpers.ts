/** Tiny configs for engine and command tests: generated coloured shapes (16×16), a 4-channel ResNet-18, seconds per run. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {loadConfigFile, mergeConfig, type JsonObject} from '../../src/config/load';
import {REPO_ROOT} from '../helpers/cli';

/** A fresh temporary directory. */
export function tmpDir(prefix = 'mixup-engine-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * The demo config merged and shrunk: Synthetic 6-class 16×16 data (`samples` train / 32 val), ResNet-18 CIFAR stem with
 * base_channels 4, batch 16, `epochs` epochs; `override` is merged last. Written to `<dir>/<name>.json`.
 */
export function writeTinyConfig(dir: string, override: JsonObject = {}, name = 'tiny', epochs = 2, samples = 64): string {
  const base = loadConfigFile(path.join(REPO_ROOT, 'configs', 'demo', 'r18_mixups_CE_none.json'));
  const source = (split: string, n: number) => ({type: 'Synthetic', num_classes: 6, size: 16, num_samples: n, seed: 3, split});
  const tiny: JsonObject = {
    model: {mix_mode: 'vanilla', alpha: 1, backbone: {base_channels: 4}, head: {num_classes: 6, in_channels: 32}},
    data: {
      imgs_per_gpu: 16,
      workers_per_gpu: 1,
      train: {data_source: source('train', samples), pipeline: []},
      val: {data_source: source('val', 32), pipeline: []},
    },
    evaluation: {interval: 1, imgs_per_gpu: 32},
    optimizer: {lr: 0.05},
    runner: {max_epochs: epochs},
    log_config: {interval: 2},
    checkpoint_config: {interval: 1, max_keep_ckpts: 1},
    backend: 'auto',
  };
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(mergeConfig(mergeConfig(base, tiny), override), null, 2));
  return file;
}

/** The JSON lines of a .log.json file. */
export function readJsonLog(file: string): Array<Record<string, unknown>> {
  return fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The .log.json files of a work dir, oldest first. */
export function jsonLogs(workDir: string): string[] {
  return fs.readdirSync(workDir).filter((f) => f.endsWith('.log.json')).sort().map((f) => path.join(workDir, f));
}

/**
 * A tiny AutoMixup (AutoMix) config on the same Synthetic data as `writeTinyConfig`: ResNet-18 CIFAR stem with
 * base_channels 4 (stage channels 4, 8, 16, 32), the Mix Block on stage 3 (mask_layer 2: 16 channels, 4×4 at 16 px),
 * the reference hooks and the Mix Block's own SGD group; `override` is merged last.
 */
export function writeTinyAutoMixConfig(dir: string, override: JsonObject = {}, name = 'tiny_automix', epochs = 2, samples = 64): string {
  const file = writeTinyConfig(dir, {}, `${name}.base`, epochs, samples);
  const base = JSON.parse(fs.readFileSync(file, 'utf8')) as JsonObject;
  fs.rmSync(file);
  const head = (type: string) => ({type, loss: {type: 'CrossEntropyLoss', use_soft: false, use_sigmoid: false, loss_weight: 1}, with_avg_pool: true, multi_label: false, in_channels: 32, num_classes: 6});
  const automix: JsonObject = {
    model: {
      type: 'AutoMixup',
      pretrained: null,
      alpha: 2,
      momentum: 0.999,
      mask_layer: 2,
      mask_loss: 0.1,
      mask_adjust: 0,
      lam_margin: 0.08,
      mix_shuffle_no_repeat: true,
      backbone: (base.model as JsonObject).backbone,
      mix_block: {
        type: 'PixelMixBlock', in_channels: 16, reduction: 2, use_scale: true, unsampling_mode: ['nearest'],
        lam_concat: true, lam_concat_v: false, lam_mul: 0, lam_residual: false, lam_mul_k: -1, value_neck_cfg: null,
        x_qk_concat: false, x_v_concat: false, mask_loss_mode: 'L1', mask_loss_margin: 0.1, frozen: false,
      },
      head_one: head('ClsHead'),
      head_mix: head('ClsMixupHead'),
      head_weights: {head_mix_q: 1, head_one_q: 1, head_mix_k: 1, head_one_k: 1},
    },
    optimizer: {...(base.optimizer as JsonObject), paramwise_options: {mix_block: {lr: 0.1, momentum: 0.9}}},
    addtional_scheduler: {policy: 'CosineAnnealing', min_lr: 0.001, paramwise_options: ['mix_block']},
    custom_hooks: [
      {type: 'CustomCosineAnnealingHook', attr_name: 'mask_loss', attr_base: 0.1, by_epoch: false, min_attr: 0},
      {type: 'CosineScheduleHook', end_momentum: 0.99999, adjust_scope: [0.1, 1.0], warming_up: 'constant', update_interval: 1},
    ],
  };
  (automix.model as JsonObject).backbone = {...((base.model as JsonObject).backbone as JsonObject), out_indices: [2, 3]};
  const out = path.join(dir, `${name}.json`);
  fs.writeFileSync(out, JSON.stringify(mergeConfig({...base, ...automix}, override), null, 2));
  return out;
}

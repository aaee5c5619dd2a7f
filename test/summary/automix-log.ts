/** Test helper: synthetic AutoMix / SAMix engine logs (mmcv JSON lines as src/engine/logger.ts writes them). */
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Val values of epochs 189..200 (the window of find_automix_val_median.py for 200 epochs, last 10, bias 1); earlier
 * epochs have 10 + e/10. The last record is low, so the tool truncates the window to its first 11 records.
 * Expected numbers: OpenMixup tools/summary/find_automix_val_median.py (numpy 2.4) on the same log:
 * `200 10` -> k=80.65, q=80.35 (11 records); `200 5` -> k=80.65, q=80.40 (5 records).
 */
export const WINDOW: Record<string, number[]> = {
  acc_one_q_top1: [80.1, 80.5, 79.9, 80.3, 80.7, 80.2, 80.4, 80.6, 80.0, 80.8, 80.35, 70.0],
  acc_mix_q_top1: [79.5, 79.8, 80.0, 79.7, 79.9, 80.1, 79.6, 80.2, 79.4, 79.95, 80.05, 69.0],
  acc_one_k_top1: [80.6, 80.9, 80.4, 81.0, 80.75, 80.5, 80.85, 80.65, 80.95, 80.45, 80.55, 71.0],
  acc_mix_k_top1: [80.0, 80.2, 79.8, 80.3, 80.1, 80.25, 79.9, 80.15, 80.05, 80.35, 79.95, 70.5],
};

export const MIX_BLOCK = {type: 'PixelMixBlock', in_channels: 32, reduction: 2, use_scale: true, unsampling_mode: ['nearest'], lam_concat: true, mask_loss_mode: 'L1', mask_loss_margin: 0.1};
export const SAMIX_BLOCK = {
  ...MIX_BLOCK, unsampling_mode: ['bilinear'], lam_concat: false, lam_mul: 1, lam_residual: true, lam_mul_k: 1, x_qk_concat: true, mask_loss_mode: 'L1+Variance',
  value_neck_cfg: {type: 'ConvNeck', in_channels: 32, hid_channels: 16, out_channels: 1, num_layers: 2, kernel_size: 1, with_last_bn: false, norm_cfg: {type: 'BN'}, with_last_dropout: 0.1, with_avg_pool: false, with_residual: false},
};

/** An engine-style log (src/engine/logger.ts): meta line, then train and val lines of every epoch. */
export function writeLog(dir: string, mixBlock: object, offset = 0): string {
  fs.mkdirSync(dir, {recursive: true});
  const config = {
    model: {type: 'AutoMixup', pretrained: null, alpha: 2, momentum: 0.999, mask_layer: 2, backbone: {type: 'ResNet_CIFAR', depth: 18, base_channels: 8, out_indices: [2, 3]}, mix_block: mixBlock},
    data: {train: {data_source: {type: 'MNIST'}}, val: {data_source: {type: 'MNIST'}}},
    runner: {type: 'EpochBasedRunner', max_epochs: 200},
  };
  const lines = [JSON.stringify({env_info: 'sys.platform: linux', config, config_path: 'configs/demo/automix.json', seed: 0, exp_name: 'automix.json', backend: {name: 'cpu', reason: 'test'}, mixup_version: '0.1.0'})];
  for (let e = 1; e <= 200; e++) {
    lines.push(JSON.stringify({mode: 'train', epoch: e, iter: 10, lr: 0.1, data_time: 0.001, time: 0.1, loss: 1.5, acc_mix_q: 40, acc_one_q: 50, acc_mix_k: 45}));
    const val: Record<string, number | string> = {mode: 'val', epoch: e, iter: 10, lr: 0.1};
    for (const [key, values] of Object.entries(WINDOW)) {
      const v = e >= 189 ? values[e - 189] + offset : Math.round((10 + e / 10) * 1e5) / 1e5;
      val[key] = v;
      val[key.replace('top1', 'top5')] = Math.min(100, v + 10);
    }
    lines.push(JSON.stringify(val));
  }
  const file = path.join(dir, '20260101_000000.log.json');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

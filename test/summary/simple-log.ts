/** Test helper: small mmcv-style logs with hand-chosen val values (one train line and one val line an epoch). */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What a log holds: its meta line's extra fields, and head0_top1 per epoch (in file order). */
export interface SimpleLog {
  meta?: Record<string, unknown>;
  top1: Array<[epoch: number, value: number]>;
  /** max_epochs of the config object in the meta line; default 4 */
  epochs?: number;
  /** write no config object (an OpenMixup log without config: run info from the path) */
  noConfig?: boolean;
}

/** The config object of our engine's meta line: mixup α 1, ResNet-18, CUB-200. */
export function config(epochs: number, model: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: {type: 'MixUpClassification', mix_mode: 'mixup', alpha: 1, backbone: {type: 'ResNet', depth: 18}, head: {num_classes: 200}, ...model},
    data: {train: {data_source: {type: 'CUB', list_file: 'data/meta/CUB200/train_labeled.txt'}}},
    runner: {type: 'EpochBasedRunner', max_epochs: epochs},
  };
}

/** Writes `<dir>/<name>.log.json` and returns its path. */
export function writeSimpleLog(dir: string, name: string, log: SimpleLog): string {
  fs.mkdirSync(dir, {recursive: true});
  const meta = {env_info: 'test', seed: 0, ...(log.noConfig ? {} : {config: config(log.epochs ?? 4)}), ...log.meta};
  const lines = [JSON.stringify(meta)];
  for (const [epoch, value] of log.top1) {
    lines.push(JSON.stringify({mode: 'train', epoch, iter: 2, lr: 0.1, data_time: 0, time: 0.1, loss: 1, acc: 50, acc_mix: 40}));
    lines.push(JSON.stringify({mode: 'val', epoch, iter: 1, lr: 0.1, head0_top1: value, head0_top5: 99}));
  }
  const file = path.join(dir, `${name}.log.json`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

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

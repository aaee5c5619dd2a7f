/**
 * `mixup train --backend webgpu` on real PNG files, on SwiftShader (jest.config.js sets VK_ICD_FILENAMES): the
 * per-iteration losses of the log match a run of the same config and seed on native (cpu when the addon is not
 * built) within 1e-3 relative; and an AutoMix run (the Mix Block) trains on webgpu too. Tiny: 8×8 images, batch 4.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import {nativeStatus} from '../../src/backend';
import {oneLine, runCli} from '../helpers/cli';
import {jsonLogs, readJsonLog, tmpDir, writeTinyAutoMixConfig, writeTinyConfig} from '../engine/helpers';

const reference = nativeStatus().ok ? 'native' : 'cpu';
let dir: string;
let config: string;

beforeAll(async () => {
  dir = tmpDir('mixup-webgpu-train-');
  const images = path.join(dir, 'images');
  fs.mkdirSync(images);
  const lines: string[] = [];
  for (let i = 0; i < 8; i++) {
    const c = i % 6;
    const raw = Buffer.alloc(8 * 8 * 3);
    for (let p = 0; p < 64; p++) for (let k = 0; k < 3; k++) raw[p * 3 + k] = (40 * c + 13 * p * (k + 1) + 7 * i) % 256;
    await sharp(raw, {raw: {width: 8, height: 8, channels: 3}}).png().toFile(path.join(images, `${i}.png`));
    lines.push(`${i}.png ${c}`);
  }
  const list = path.join(dir, 'list.txt');
  fs.writeFileSync(list, lines.join('\n') + '\n');
  const source = {_delete_: true, type: 'ImageList', root: images, list_file: list};
  config = writeTinyConfig(dir, {
    model: {mix_mode: 'mixup', alpha: 1},
    data: {imgs_per_gpu: 4, workers_per_gpu: 0, train: {data_source: source, pipeline: [{type: 'CenterCrop', size: 8}]}, val: {data_source: source, pipeline: [{type: 'CenterCrop', size: 8}]}},
    evaluation: {imgs_per_gpu: 4},
    log_config: {interval: 1},
  }, 'pngs', 1, 8);
});

function trainLosses(backend: string): number[] {
  const workDir = path.join(dir, `wd-${backend}`);
  const result = runCli(['train', config, '--work-dir', workDir, '--seed', '5', '--backend', backend]);
  if (result.status !== 0) throw new Error(`train --backend ${backend} exited ${result.status}: ${oneLine(result.stderr)}`);
  expect(result.stdout).toMatch(new RegExp(`^backend: ${backend} \\(requested: `, 'm'));
  const lines = readJsonLog(jsonLogs(workDir)[0]);
  expect(lines.some((l) => l.mode === 'val')).toBe(true);
  expect(fs.existsSync(path.join(workDir, 'latest.safetensors'))).toBe(true);
  return lines.filter((l) => l.mode === 'train').map((l) => l.loss as number);
}

describe('mixup train --backend webgpu', () => {
  it(`gives the per-iteration losses of ${reference} within 1e-3 relative (8 PNG files, mixup, 2 iterations)`, () => {
    const webgpu = trainLosses('webgpu');
    const ref = trainLosses(reference);
    expect(webgpu).toHaveLength(2);
    expect(ref).toHaveLength(2);
    webgpu.forEach((loss, i) => expect(Math.abs(loss - ref[i]) / Math.abs(ref[i])).toBeLessThanOrEqual(1e-3));
  });

  it('trains AutoMix (online/momentum encoders and the Mix Block) with finite losses', () => {
    const automix = writeTinyAutoMixConfig(dir, {data: {imgs_per_gpu: 4, train: {data_source: {size: 8}}, val: {data_source: {size: 8, num_samples: 4}}}, evaluation: {imgs_per_gpu: 4}, log_config: {interval: 1}}, 'automix', 1, 8);
    const workDir = path.join(dir, 'wd-automix');
    const result = runCli(['train', automix, '--work-dir', workDir, '--seed', '2', '--backend', 'webgpu']);
    if (result.status !== 0) throw new Error(`automix train exited ${result.status}: ${oneLine(result.stderr)}`);
    const lines = readJsonLog(jsonLogs(workDir)[0]);
    const train = lines.filter((l) => l.mode === 'train');
    expect(train.length).toBe(2);
    for (const l of train) expect(Number.isFinite(l.loss)).toBe(true);
    expect(lines.some((l) => l.mode === 'val')).toBe(true);
  });
});

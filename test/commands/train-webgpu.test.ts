/**
 * `mixup train --backend webgpu` on real PNG files, on SwiftShader (jest.config.js sets VK_ICD_FILENAMES): the
 * per-iteration losses of the log match a run of the same config and seed on native (cpu when the addon is not
 * built) within 1e-3 relative; `mixup test --backend webgpu` on its checkpoint gives the reference backend's metrics;
 * a run resumed on webgpu from its epoch-1 checkpoint repeats epoch 2 of the uninterrupted run; an AutoMix run (the
 * Mix Block) trains on webgpu too. Tiny: 8×8 images, batch 4.
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
let source: Record<string, unknown>;

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
  source = {_delete_: true, type: 'ImageList', root: images, list_file: list};
  config = writeTinyConfig(dir, {
    model: {mix_mode: 'mixup', alpha: 1},
    data: {imgs_per_gpu: 4, workers_per_gpu: 0, train: {data_source: source, pipeline: [{type: 'CenterCrop', size: 8}]}, val: {data_source: source, pipeline: [{type: 'CenterCrop', size: 8}]}},
    evaluation: {imgs_per_gpu: 4},
    log_config: {interval: 1},
  }, 'pngs', 1, 8);
});

function trainLosses(backend: string, file = config, tag = ''): number[] {
  const workDir = path.join(dir, `wd-${backend}${tag}`);
  const result = runCli(['train', file, '--work-dir', workDir, '--seed', '5', '--backend', backend]);
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

  it(`trains alignmix (its Sinkhorn plan solved on the device, 2×2 last stage) with the losses of ${reference} within 1e-3 relative`, () => {
    // Synthetic 16×16 images: the last stage is 2×2, so each plan aligns n = 4 positions (8×8 PNGs would give 1×1)
    const alignmix = writeTinyConfig(dir, {
      model: {mix_mode: 'alignmix', alpha: 1},
      data: {imgs_per_gpu: 4, workers_per_gpu: 0, train: {data_source: {size: 16}}, val: {data_source: {size: 16, num_samples: 4}}},
      evaluation: {imgs_per_gpu: 4},
      log_config: {interval: 1},
    }, 'synthetic-alignmix', 1, 8);
    const webgpu = trainLosses('webgpu', alignmix, '-alignmix');
    const ref = trainLosses(reference, alignmix, '-alignmix');
    expect(webgpu).toHaveLength(2);
    webgpu.forEach((loss, i) => expect(Math.abs(loss - ref[i]) / Math.abs(ref[i])).toBeLessThanOrEqual(1e-3));
    if (process.env.WEBGPU_PARITY_PRINT) console.log(`alignmix losses webgpu ${webgpu.join(', ')} vs ${reference} ${ref.join(', ')}`);
  });

  it('mixup test --backend webgpu on the webgpu checkpoint gives the metrics of the reference backend', () => {
    const checkpoint = path.join(dir, 'wd-webgpu', 'latest.safetensors');
    expect(fs.existsSync(checkpoint)).toBe(true); // written by the first test
    const metrics = (backend: string) => {
      const result = runCli(['test', config, checkpoint, '--backend', backend, '--json']);
      if (result.status !== 0) throw new Error(`test --backend ${backend} exited ${result.status}: ${oneLine(result.stderr)}`);
      return JSON.parse(result.stdout) as Record<string, unknown>;
    };
    const webgpu = metrics('webgpu');
    const ref = metrics(reference);
    expect((webgpu.backend as {name: string}).name).toBe('webgpu');
    expect(webgpu.samples).toBe(8);
    expect(webgpu.metrics).toEqual(ref.metrics); // e.g. {head0_top1: 25, head0_top5: 62.5}
    expect(webgpu.perClass).toEqual(ref.perClass);
  });

  it('a run resumed on webgpu from its epoch-1 checkpoint repeats epoch 2 of the uninterrupted run', () => {
    const twoEpochs = writeTinyConfig(dir, {
      model: {mix_mode: 'mixup', alpha: 1},
      data: {imgs_per_gpu: 4, workers_per_gpu: 0, train: {data_source: source, pipeline: [{type: 'CenterCrop', size: 8}]}, val: {data_source: source, pipeline: [{type: 'CenterCrop', size: 8}]}},
      evaluation: {imgs_per_gpu: 4},
      log_config: {interval: 1},
      checkpoint_config: {interval: 1, max_keep_ckpts: 2},
    }, 'pngs-2ep', 2, 8);
    const run = (workDir: string, extra: string[]) => {
      const result = runCli(['train', twoEpochs, '--work-dir', workDir, '--seed', '5', '--backend', 'webgpu', ...extra]);
      if (result.status !== 0) throw new Error(`train (${extra.join(' ') || 'full'}) exited ${result.status}: ${oneLine(result.stderr)}`);
      return jsonLogs(workDir).flatMap((f) => readJsonLog(f)).filter((l) => l.mode === 'train' && l.epoch === 2).map((l) => l.loss as number);
    };
    const full = path.join(dir, 'wd-full');
    const epoch2 = run(full, []);
    const resumed = run(path.join(dir, 'wd-resumed'), ['--resume-from', path.join(full, 'epoch_1.safetensors')]);
    expect(epoch2).toHaveLength(2);
    expect(resumed).toHaveLength(2);
    resumed.forEach((loss, i) => expect(Math.abs(loss - epoch2[i]) / Math.abs(epoch2[i])).toBeLessThanOrEqual(1e-5));
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

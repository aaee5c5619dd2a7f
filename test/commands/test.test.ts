/** `mixup test` through the compiled CLI. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {parse} from 'csv-parse/sync';
import sharp from 'sharp';
import {openDataset} from '../../src/data';
import {loadConfigFile} from '../../src/config/load';
import {oneLine as flat, runCli} from '../helpers/cli';
import {jsonLogs, readJsonLog, tmpDir, writeTinyConfig} from '../engine/helpers';

describe('mixup test', () => {
  it('reproduces the final val line of train, and --json emits the metrics', () => {
    const dir = tmpDir('mixup-cli-test-');
    const config = writeTinyConfig(dir, {model: {mix_mode: 'cutmix'}}, 'tiny', 1);
    const workDir = path.join(dir, 'wd');
    expect(runCli(['train', config, '--work-dir', workDir]).status).toBe(0);
    const val = readJsonLog(jsonLogs(workDir)[0]).filter((r) => r.mode === 'val').pop()!;
    const result = runCli(['test', config, path.join(workDir, 'epoch_1.safetensors'), '--json']);
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.epoch).toBe(1);
    expect(json.samples).toBe(32);
    expect(json.metrics.head0_top1).toBeCloseTo(val.head0_top1 as number, 4);
    expect(json.metrics.head0_top5).toBeCloseTo(val.head0_top5 as number, 4);
    expect(result.stderr).not.toContain('Hi, looks like you are running TensorFlow.js'); // checkpoint read after the backend is chosen
    const text = runCli(['test', config, path.join(workDir, 'latest.safetensors')]);
    expect(text.stdout).toMatch(/head0_top1: \d+\.\d\d, head0_top5: \d+\.\d\d/);
  });

  it('reports per class: --json has every class and the matrix, CSV and PNG written, never over a file without --force', async () => {
    const dir = tmpDir('mixup-cli-test-');
    const config = writeTinyConfig(dir, {}, 'tiny', 1);
    const workDir = path.join(dir, 'wd');
    expect(runCli(['train', config, '--work-dir', workDir]).status).toBe(0);
    const ckpt = path.join(workDir, 'latest.safetensors');
    const csv = path.join(dir, 'per_class.csv');
    const png = path.join(dir, 'confusion.png');
    const result = runCli(['test', config, ckpt, '--json', '--per-class-csv', csv, '--confusion-png', png]);
    expect([result.status, result.stderr]).toEqual([0, expect.any(String)]);
    const json = JSON.parse(result.stdout);
    const [report] = json.perClass;
    expect(report.head).toBe('head0');
    // the val split's own labels: 6 Synthetic classes, the matrix rows sum to each class's images
    const {dataset} = openDataset(loadConfigFile(config).data, 'val');
    const perLabel = new Array(6).fill(0);
    for (const s of dataset.samples) perLabel[s.label]++;
    expect(report.classes.map((c: {images: number}) => c.images)).toEqual(perLabel);
    expect(report.confusion.map((row: number[]) => row.reduce((a, b) => a + b, 0))).toEqual(perLabel);
    expect(report.classes.map((c: {name: string}) => c.name)).toEqual(dataset.classNames);
    // the per-class hits add up to head0_top1 / top5
    const hits = report.confusion.reduce((sum: number, row: number[], i: number) => sum + row[i], 0);
    expect(json.metrics.head0_top1).toBeCloseTo((hits * 100) / 32, 6);
    const top5 = report.classes.reduce((sum: number, c: {images: number; accuracy: {top5: number | null}}) => sum + ((c.accuracy.top5 ?? 0) * c.images) / 100, 0);
    expect(json.metrics.head0_top5).toBeCloseTo((top5 * 100) / 32, 6);
    const rows = parse(fs.readFileSync(csv, 'utf8')) as string[][];
    expect(rows).toHaveLength(7);
    expect(rows.slice(1).map((r) => Number(r[2]))).toEqual(perLabel);
    expect((await sharp(fs.readFileSync(png)).metadata()).format).toBe('png');

    const text = runCli(['test', config, ckpt, '--worst', '2']);
    expect(text.stdout).toMatch(/head0: mean per-class top-1 \d+\.\d\d over 6 classes\nworst 2 classes \(top-1\):\n {2}\d \S+ +\d+\.\d\d% of \d+ images/);
    const again = runCli(['test', config, ckpt, '--per-class-csv', csv]);
    expect(again.status).toBe(5);
    expect(flat(again.stderr)).toContain('per_class.csv already exists; use --force to overwrite it');
    expect(runCli(['test', config, ckpt, '--per-class-csv', csv, '--confusion-png', png, '--force']).status).toBe(0);
    const badHead = runCli(['test', config, ckpt, '--head', 'acc_mix_k']);
    expect([badHead.status, flat(badHead.stderr)]).toEqual([2, expect.stringContaining('--head: no head "acc_mix_k"; this model\'s heads are head0')]);
  });

  it('names a missing checkpoint and a file that is not a checkpoint', () => {
    const dir = tmpDir('mixup-cli-test-');
    const config = writeTinyConfig(dir, {}, 'tiny', 1);
    const missing = runCli(['test', config, path.join(dir, 'nope.safetensors')]);
    expect(missing.status).toBe(3);
    expect(flat(missing.stderr)).toMatch(/nope\.safetensors: checkpoint not found/);
    const notCkpt = runCli(['test', config, config]);
    expect(notCkpt.status).toBe(3);
    expect(flat(notCkpt.stderr)).toMatch(/tiny\.json: not a mixup checkpoint/);
  });
});

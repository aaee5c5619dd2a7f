/** End-to-end engine runs on tiny generated data (cpu backend, seconds each). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {trainRun, testRun} from '../../src/engine/run';
import {jsonLogs, readJsonLog, tmpDir, writeTinyConfig} from './helpers';

const quiet = {print: () => undefined, progress: 'none' as const};

describe('trainRun', () => {
  it('trains a mixed schedule, logs mmcv lines, checkpoints, and test reproduces the final val accuracy', async () => {
    const dir = tmpDir();
    const config = writeTinyConfig(dir, {model: {mix_mode: ['mixup', 'cutmix', 'manifoldmix'], alpha: [0.2, 1, 0.5]}});
    const workDir = path.join(dir, 'wd');
    const lines: string[] = [];
    const result = await trainRun({configPath: config, workDir, ...quiet, print: (l) => lines.push(l)});
    expect(result.status).toBe('trained');
    expect(lines[0]).toMatch(/^backend: cpu \(requested: /);
    const [log] = jsonLogs(workDir);
    const records = readJsonLog(log);
    const meta = records[0];
    expect(Object.keys(meta)).toEqual(expect.arrayContaining(['env_info', 'config', 'config_path', 'seed', 'exp_name', 'backend', 'mixup_version']));
    expect(meta.mode).toBeUndefined();
    expect(meta.backend).toEqual({name: 'cpu', reason: expect.stringContaining('requested')});
    expect(meta.exp_name).toBe('tiny.json');
    const train = records.filter((r) => r.mode === 'train');
    const val = records.filter((r) => r.mode === 'val');
    // 64 samples / batch 16 = 4 iters per epoch, log every 2: iters 2 and 4 of epochs 1 and 2
    expect(train.map((r) => [r.epoch, r.iter])).toEqual([[1, 2], [1, 4], [2, 2], [2, 4]]);
    for (const r of train) {
      expect(Object.keys(r)).toEqual(['mode', 'epoch', 'iter', 'lr', 'data_time', 'time', 'loss', 'acc', 'acc_mix']);
      for (const k of ['lr', 'data_time', 'time', 'loss', 'acc', 'acc_mix']) {
        expect(typeof r[k]).toBe('number');
        expect(Math.abs((r[k] as number) * 1e5 - Math.round((r[k] as number) * 1e5))).toBeLessThan(1e-6);
      }
    }
    // cosine by epoch: epoch 1 at base lr, epoch 2 at (1 + cos(pi/2)) / 2 of it
    expect(train[0].lr).toBeCloseTo(0.05, 6);
    expect(train[2].lr).toBeCloseTo(0.025, 6);
    expect(val.map((r) => Object.keys(r))).toEqual([0, 1].map(() => ['mode', 'epoch', 'iter', 'lr', 'head0_top1', 'head0_top5']));
    expect(val.map((r) => [r.epoch, r.iter])).toEqual([[1, 1], [2, 1]]);
    expect(fs.existsSync(path.join(workDir, 'latest.safetensors'))).toBe(true);
    expect(fs.readdirSync(workDir).filter((f) => f.startsWith('epoch_'))).toEqual(['epoch_2.safetensors']); // max_keep_ckpts 1
    const finished = JSON.parse(fs.readFileSync(path.join(workDir, 'finished.json'), 'utf8'));
    expect(finished.epochs).toBe(2);
    expect(fs.readFileSync(log.replace(/\.json$/, ''), 'utf8')).toMatch(/Epoch\(val\) \[2\]\[1\]\thead0_top1: /);

    const tested = await testRun({configPath: config, checkpoint: path.join(workDir, 'latest.safetensors'), print: () => undefined});
    expect(tested.metrics.head0_top1).toBeCloseTo(val[1].head0_top1 as number, 4);
    expect(tested.metrics.head0_top5).toBeCloseTo(val[1].head0_top5 as number, 4);
    expect(tested.epoch).toBe(2);

    const again = await trainRun({configPath: config, workDir, ...quiet});
    expect(again.status).toBe('already-finished');
    expect(jsonLogs(workDir)).toHaveLength(1);
  });
});

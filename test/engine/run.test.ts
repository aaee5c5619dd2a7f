/** End-to-end engine runs on tiny generated data (auto backend unless a test needs bit-exact runs; seconds each). */
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
    expect(lines[0]).toMatch(/^backend: \w+ \(auto: /);
    const [log] = jsonLogs(workDir);
    const records = readJsonLog(log);
    const meta = records[0];
    expect(Object.keys(meta)).toEqual(expect.arrayContaining(['env_info', 'config', 'config_path', 'seed', 'exp_name', 'backend', 'mixup_version']));
    expect(meta.mode).toBeUndefined();
    expect(meta.backend).toEqual({name: expect.any(String), reason: expect.stringContaining('auto')});
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
    const finished = JSON.parse(fs.readFileSync(path.join(workDir, 'finished'), 'utf8'));
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

  it('resumes a run killed mid-epoch from latest: same result as an uninterrupted run, no duplicate epochs', async () => {
    const dir = tmpDir();
    const config = writeTinyConfig(dir, {model: {mix_mode: ['mixup', 'cutmix'], alpha: [0.2, 1]}}, 'tiny', 3);
    // wasm: single-threaded, so two runs with the same seed are bit-identical (native's threaded oneDNN sums are not)
    const exact = {...quiet, backend: 'wasm'};
    await trainRun({configPath: config, workDir: path.join(dir, 'straight'), ...exact});
    const workDir = path.join(dir, 'killed');
    const kill = (epoch: number, iter: number) => {
      if (epoch === 1 && iter === 2) throw new Error('simulated SIGKILL');
    };
    await expect(trainRun({configPath: config, workDir, ...exact, beforeIteration: kill})).rejects.toThrow('simulated SIGKILL');
    expect(fs.existsSync(path.join(workDir, 'finished'))).toBe(false);
    const lines: string[] = [];
    const resumed = await trainRun({configPath: config, workDir, ...exact, print: (l) => lines.push(l)});
    expect(resumed.resumedFromEpoch).toBe(1);
    expect(resumed.epochsRun).toBe(2);
    expect(lines.join('\n')).toMatch(/resuming from .*latest\.safetensors \(epoch 1 of 3 done\)/);
    const logs = jsonLogs(workDir);
    expect(logs).toHaveLength(2);
    expect(readJsonLog(logs[1])[0].resumed_from).toEqual({checkpoint: expect.stringContaining('latest.safetensors'), epoch: 1});
    const valEpochs = logs.flatMap((f) => readJsonLog(f).filter((r) => r.mode === 'val').map((r) => r.epoch));
    expect(valEpochs).toEqual([1, 2, 3]);
    // params, BN buffers, momentum, Rng and the data order restored: every line after the resume equals the
    // uninterrupted run's (losing any of that state changes the losses)
    const trainLines = (f: string) => readJsonLog(f).filter((r) => r.mode === 'train');
    const straightLines = trainLines(jsonLogs(path.join(dir, 'straight'))[0]).filter((r) => r.epoch === 2);
    const resumedLines = trainLines(logs[1]).filter((r) => r.epoch === 2);
    const comparable = (r: Record<string, unknown>) => [r.epoch, r.iter, r.lr, r.loss, r.acc, r.acc_mix];
    expect(resumedLines.length).toBeGreaterThan(0);
    expect(resumedLines.map(comparable)).toEqual(straightLines.map(comparable));
    const val = (f: string) => readJsonLog(f).filter((r) => r.mode === 'val' && r.epoch === 3).map((r) => [r.head0_top1, r.head0_top5]);
    expect(val(logs[1])).toEqual(val(jsonLogs(path.join(dir, 'straight'))[0]));
  });

  it('stops on a NaN/Inf loss with a clear message', async () => {
    const dir = tmpDir();
    const config = writeTinyConfig(dir, {optimizer: {lr: 1e30}}, 'diverge', 1);
    await expect(trainRun({configPath: config, workDir: path.join(dir, 'wd'), ...quiet})).rejects.toThrow(
      /loss became (NaN|Infinity|-Infinity) in epoch 1 .*training stopped and no checkpoint was written yet/,
    );
  });

  it('refuses a config whose class count differs from the data, naming the field and both counts', async () => {
    const dir = tmpDir();
    const source = (split: string) => ({type: 'Synthetic', num_classes: 4, size: 16, num_samples: 32, split});
    const config = writeTinyConfig(dir, {data: {train: {data_source: source('train')}, val: {data_source: source('val')}}}, 'mismatch', 1);
    await expect(trainRun({configPath: config, workDir: path.join(dir, 'wd'), ...quiet})).rejects.toThrow(/mismatch\.json: model\.head\.num_classes is 6 but data\.train .* has 4 classes/);
  });

  it('names a bad backend and a missing checkpoint', async () => {
    const dir = tmpDir();
    const config = writeTinyConfig(dir);
    await expect(trainRun({configPath: config, workDir: path.join(dir, 'wd'), backend: 'gpu', ...quiet})).rejects.toThrow(
      '--backend: unknown backend "gpu"; expected one of auto, tensorflow, webgpu, native, wasm, cpu',
    );
    await expect(testRun({configPath: config, checkpoint: path.join(dir, 'nope.safetensors'), print: () => undefined})).rejects.toThrow(/nope\.safetensors: checkpoint not found/);
  });
});

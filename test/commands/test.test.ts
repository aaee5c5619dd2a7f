/** `mixup test` through the compiled CLI. */
import * as path from 'node:path';
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

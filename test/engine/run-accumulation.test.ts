/** `mixup train` with `optimizer_config.update_interval`: the run prints it, and a resume mid-group equals an uninterrupted run. */
import * as path from 'node:path';
import {readCheckpointMeta} from '../../src/engine/checkpoint';
import {trainRun} from '../../src/engine/run';
import {jsonLogs, readJsonLog, tmpDir, writeTinyConfig} from './helpers';

describe('trainRun with optimizer_config.update_interval', () => {
  it('resumes from a checkpoint whose epoch ended inside a group: the same lines and result as an uninterrupted run', async () => {
    const dir = tmpDir();
    // 64 samples / batch 16 = 4 iterations an epoch, a step every 3: epoch 1 ends with 1 iteration summed
    const config = writeTinyConfig(dir, {model: {mix_mode: 'mixup', alpha: 1}, optimizer_config: {update_interval: 3}}, 'tiny_ui3', 3);
    // wasm: single-threaded, so two runs with the same seed are bit-identical
    const exact = {print: () => undefined, progress: 'none' as const, backend: 'wasm'};
    const lines: string[] = [];
    await trainRun({configPath: config, workDir: path.join(dir, 'straight'), ...exact, print: (l) => lines.push(l)});
    expect(lines).toContain('optimizer_config.update_interval 3: an SGD step every 3 iterations on their summed gradients (batch 16 x 3 = 48); iterations, lr and logs count batches');
    const workDir = path.join(dir, 'killed');
    const kill = (epoch: number, iter: number) => {
      if (epoch === 1 && iter === 1) throw new Error('simulated SIGKILL');
    };
    await expect(trainRun({configPath: config, workDir, ...exact, beforeIteration: kill})).rejects.toThrow('simulated SIGKILL');
    expect(readCheckpointMeta(path.join(workDir, 'latest.safetensors')).accumulation).toEqual({iters: 1, factor: 3});
    const resumed = await trainRun({configPath: config, workDir, ...exact});
    expect(resumed.resumedFromEpoch).toBe(1);
    const after = (f: string) => readJsonLog(f).filter((r) => r.mode !== undefined && (r.epoch as number) >= 2).map((r) => [r.mode, r.epoch, r.iter, r.lr, r.loss, r.acc, r.head0_top1]);
    const straight = after(jsonLogs(path.join(dir, 'straight'))[0]);
    expect(straight.length).toBeGreaterThan(0);
    expect(after(jsonLogs(workDir)[1])).toEqual(straight);
  });
});

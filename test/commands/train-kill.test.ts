/** `mixup train` killed with SIGKILL mid-epoch, then rerun: it resumes from `latest` without duplicating epochs. */
import {spawn} from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {BIN, REPO_ROOT} from '../helpers/cli';
import {jsonLogs, tmpDir, writeTinyConfig} from '../engine/helpers';

/** The records of a .log.json; a line cut short by the kill (possible, if rare) is left out, as `summarize` does. */
function readJsonLog(file: string): Array<Record<string, unknown>> {
  return fs.readFileSync(file, 'utf8').split('\n').flatMap((line) => {
    try {
      return line.trim() ? [JSON.parse(line) as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Train lines of epoch `epoch` already in the work dir's newest log. */
function trainLinesOf(workDir: string, epoch: number): number {
  const logs = fs.existsSync(workDir) ? jsonLogs(workDir) : [];
  if (logs.length === 0) return 0;
  const text = fs.readFileSync(logs[logs.length - 1], 'utf8');
  return text.split('\n').filter((line) => line.includes('"mode":"train"') && line.includes(`"epoch":${epoch},`)).length;
}

describe('mixup train under SIGKILL', () => {
  it('loses at most the interrupted epoch and resumes on the next run', async () => {
    const dir = tmpDir('mixup-cli-kill-');
    // 1,024 samples / batch 16 = 64 iterations an epoch, a train line every iteration: long enough to kill mid-epoch
    const config = writeTinyConfig(dir, {log_config: {interval: 1}}, 'kill', 3, 1024);
    const workDir = path.join(dir, 'wd');
    const child = spawn(process.execPath, [BIN, 'train', config, '--work-dir', workDir, '--backend', 'wasm'], {
      cwd: REPO_ROOT,
      stdio: 'ignore',
    });
    const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) => child.on('exit', (code, signal) => resolve({code, signal})));
    let finishedFirst = false;
    void exited.then(() => (finishedFirst = true));
    // wait until epoch 1 is checkpointed and epoch 2 is under way (a few of its train lines are logged)
    const deadline = Date.now() + 240_000;
    while (!finishedFirst && Date.now() < deadline && !(fs.existsSync(path.join(workDir, 'latest.safetensors')) && trainLinesOf(workDir, 2) >= 3)) {
      await sleep(20);
    }
    child.kill('SIGKILL');
    const first = await exited;
    expect(first.signal).toBe('SIGKILL'); // it was really killed mid-run, not finished
    expect(fs.existsSync(path.join(workDir, 'finished'))).toBe(false);
    expect(trainLinesOf(workDir, 3)).toBe(0);

    const rerun = spawn(process.execPath, [BIN, 'train', config, '--work-dir', workDir, '--backend', 'wasm'], {cwd: REPO_ROOT, stdio: 'ignore'});
    const second = await new Promise<number | null>((resolve) => rerun.on('exit', (code) => resolve(code)));
    expect(second).toBe(0);
    expect(fs.existsSync(path.join(workDir, 'finished'))).toBe(true);
    const logs = jsonLogs(workDir);
    expect(logs).toHaveLength(2);
    expect(readJsonLog(logs[1])[0].resumed_from).toMatchObject({epoch: 1});
    const valEpochs = logs.flatMap((f) => readJsonLog(f).filter((r) => r.mode === 'val').map((r) => r.epoch));
    expect(valEpochs).toEqual([1, 2, 3]);
    const resumedTrainEpochs = new Set(readJsonLog(logs[1]).filter((r) => r.mode === 'train').map((r) => r.epoch));
    expect([...resumedTrainEpochs]).toEqual([2, 3]);
  });
});

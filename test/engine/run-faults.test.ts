/**
 * `trainRun` under faults: a full disk while writing a checkpoint or the log, corrupt checkpoints (fallback to the
 * newest intact one), checkpoints of others in the work dir (never pruned, never overwritten without --force).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {readCheckpointMeta} from '../../src/engine/checkpoint';
import {trainRun, type TrainOptions} from '../../src/engine/run';
import {LOCK_FILE} from '../../src/engine/workdir';
import {readSafetensors, writeSafetensors} from '../../src/models/safetensors';
import {errnoError, RAW_ERROR, realFs} from '../io/helpers';
import {jsonLogs, tmpDir, writeTinyConfig} from './helpers';

const quiet = {print: () => undefined, progress: 'none' as const};
let dir: string;
beforeEach(() => (dir = tmpDir('mixup-faults-')));
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, {recursive: true, force: true});
});

/** The error `promise` rejects with (fails the test when it resolves). */
async function failure(promise: Promise<unknown>): Promise<Error & {exitCode?: number; suggestions?: string[]}> {
  return promise.then(
    () => {
      throw new Error('expected the run to fail');
    },
    (error: Error & {exitCode?: number; suggestions?: string[]}) => error,
  );
}

/** Rewrites a checkpoint's `__metadata__.mixup` through `edit`. */
function editMeta(file: string, edit: (meta: Record<string, unknown>) => Record<string, unknown>): void {
  const header = realFs.readFileSync(file);
  const json = JSON.parse(header.toString('utf8', 8, 8 + Number(header.readBigUInt64LE(0)))) as {__metadata__: Record<string, string>};
  const meta = edit(JSON.parse(json.__metadata__.mixup) as Record<string, unknown>);
  writeSafetensors(file, readSafetensors(file), {...json.__metadata__, mixup: JSON.stringify(meta)});
}

/** Every line of every log of the work dir parses (no torn line). */
function logsAreWhole(workDir: string): boolean {
  return jsonLogs(workDir).every((f) => fs.readFileSync(f, 'utf8').split('\n').slice(0, -1).every((l) => typeof JSON.parse(l) === 'object'));
}

/** Runs `opts` with a simulated kill at the start of 0-based epoch `epoch` (its iteration `iter`). */
async function killedAt(opts: TrainOptions, epoch: number, iter = 0): Promise<void> {
  const kill = (e: number, i: number) => {
    if (e === epoch && i === iter) throw new Error('simulated SIGKILL');
  };
  await expect(trainRun({...opts, beforeIteration: kill})).rejects.toThrow('simulated SIGKILL');
}

describe('a full disk (ENOSPC)', () => {
  it('while writing a checkpoint: io error naming it, the previous checkpoint and log intact, a rerun resumes', async () => {
    const opts = {configPath: writeTinyConfig(dir, {}, 'tiny', 2, 32), workDir: path.join(dir, 'wd'), ...quiet};
    const latest = path.join(opts.workDir, 'latest.safetensors');
    const files = new Map<number, string>();
    let armed = false;
    const open = realFs.openSync;
    jest.spyOn(realFs, 'openSync').mockImplementation(((file: fs.PathLike, ...rest: unknown[]) => {
      const fd = (open as (...a: unknown[]) => number)(file, ...rest);
      files.set(fd, String(file));
      return fd;
    }) as typeof fs.openSync);
    const write = realFs.writeSync;
    jest.spyOn(realFs, 'writeSync').mockImplementation(((fd: number, ...rest: unknown[]) => {
      if (armed && /latest\.safetensors\.tmp-\d+$/.test(files.get(fd) ?? '')) throw errnoError('ENOSPC');
      return (write as (...a: unknown[]) => number)(fd, ...rest);
    }) as typeof fs.writeSync);
    const arm = (epoch: number) => {
      if (epoch === 1) armed = true;
    };
    const error = await failure(trainRun({...opts, beforeIteration: arm}));
    expect([error.exitCode, error.message]).toEqual([5, `${latest}: cannot write: no space left on the device (ENOSPC)`]);
    expect(error.message).not.toMatch(RAW_ERROR);
    jest.restoreAllMocks();
    expect(readCheckpointMeta(latest).epoch).toBe(1);
    expect(fs.readdirSync(opts.workDir).filter((f) => /\.tmp-|\.lock$/.test(f))).toEqual([]);
    expect(logsAreWhole(opts.workDir)).toBe(true);
    const resumed = await trainRun(opts);
    expect([resumed.status, resumed.resumedFromEpoch]).toEqual(['trained', 1]);
  });

  it('while appending to the log: io error naming it, the log cut back to whole lines, the checkpoint intact', async () => {
    const opts = {configPath: writeTinyConfig(dir, {}, 'tiny', 2, 32), workDir: path.join(dir, 'wd'), ...quiet};
    let armed = false;
    const append = realFs.appendFileSync;
    jest.spyOn(realFs, 'appendFileSync').mockImplementation(((file: fs.PathOrFileDescriptor, data: string | Uint8Array, ...rest: unknown[]) => {
      if (armed && String(file).endsWith('.log.json')) {
        append(file, String(data).slice(0, 10)); // part of the line reaches the disk, then it is full
        throw errnoError('ENOSPC');
      }
      return (append as (...a: unknown[]) => void)(file, data, ...rest);
    }) as typeof fs.appendFileSync);
    const error = await failure(trainRun({...opts, beforeIteration: (epoch) => void (armed = epoch === 1)}));
    const [log] = jsonLogs(opts.workDir);
    expect([error.exitCode, error.message]).toEqual([5, `${log}: cannot append to the file: no space left on the device (ENOSPC)`]);
    jest.restoreAllMocks();
    expect(logsAreWhole(opts.workDir)).toBe(true);
    expect(readCheckpointMeta(path.join(opts.workDir, 'latest.safetensors')).epoch).toBe(1);
    expect(fs.existsSync(path.join(opts.workDir, LOCK_FILE))).toBe(false);
  });
});

describe('corrupt checkpoints', () => {
  it('a truncated latest falls back to the newest intact epoch_<N> with a warning; pruning removes the earlier run\'s', async () => {
    const opts = {configPath: writeTinyConfig(dir, {}, 'tiny', 3, 32), workDir: path.join(dir, 'wd'), ...quiet};
    await killedAt(opts, 2);
    const latest = path.join(opts.workDir, 'latest.safetensors');
    fs.truncateSync(latest, 100);
    const lines: string[] = [];
    const resumed = await trainRun({...opts, print: (l) => lines.push(l)});
    expect(resumed.resumedFromEpoch).toBe(2);
    const warning = lines.find((l) => l.startsWith('warning:'));
    expect(warning).toMatch(/^warning: .*latest\.safetensors: not a mixup checkpoint \(header length \d+ does not fit the file size 100 \(truncated\?\)\); resuming from the newest intact checkpoint .*epoch_2\.safetensors \(epoch 2\) instead, .*use --resume-from FILE to choose another checkpoint$/);
    // max_keep_ckpts 1: epoch_2 (written by the killed run of this work dir) is pruned once epoch_3 exists
    expect(fs.readdirSync(opts.workDir).filter((f) => f.startsWith('epoch_'))).toEqual(['epoch_3.safetensors']);
  });

  it('"epoch":"x" in the only checkpoint is exit 3 naming the file and field, with or without --resume-from', async () => {
    const opts = {configPath: writeTinyConfig(dir, {}, 'tiny', 2, 32), workDir: path.join(dir, 'wd'), ...quiet};
    await killedAt(opts, 1);
    const latest = path.join(opts.workDir, 'latest.safetensors');
    for (const f of fs.readdirSync(opts.workDir).filter((n) => n.startsWith('epoch_'))) fs.rmSync(path.join(opts.workDir, f));
    editMeta(latest, (m) => ({...m, epoch: 'x'}));
    const field = `${latest}: __metadata__.mixup.epoch must be an integer >= 0, got "x"`;
    const error = await failure(trainRun(opts));
    expect([error.exitCode, error.message]).toEqual([3, `cannot resume ${opts.workDir}: ${field}; no intact checkpoint of this config to fall back to`]);
    expect(error.suggestions).toEqual(['Use --resume-from FILE to resume from a checkpoint of your choice, or --force to start over.']);
    await expect(trainRun({...opts, resumeFrom: latest})).rejects.toThrow(field);
    expect(fs.existsSync(path.join(opts.workDir, 'finished'))).toBe(false);
  });
});

describe('checkpoints of others in the work dir', () => {
  it('are never pruned, and one this run would overwrite is refused (exit 5) unless --force', async () => {
    const elsewhere = {configPath: writeTinyConfig(dir, {}, 'tiny', 1, 32), workDir: path.join(dir, 'other'), ...quiet};
    await trainRun(elsewhere);
    const workDir = path.join(dir, 'wd');
    fs.mkdirSync(workDir);
    fs.copyFileSync(path.join(elsewhere.workDir, 'epoch_1.safetensors'), path.join(workDir, 'epoch_7.safetensors'));
    fs.writeFileSync(path.join(workDir, 'epoch_5.safetensors'), 'someone\'s notes');
    const opts = {configPath: writeTinyConfig(dir, {}, 'two', 2, 32), workDir, ...quiet};
    await trainRun(opts);
    expect(fs.readdirSync(workDir).filter((f) => f.startsWith('epoch_')).sort()).toEqual(['epoch_2.safetensors', 'epoch_5.safetensors', 'epoch_7.safetensors']);

    const third = path.join(dir, 'third');
    fs.mkdirSync(third);
    fs.copyFileSync(path.join(elsewhere.workDir, 'epoch_1.safetensors'), path.join(third, 'epoch_2.safetensors'));
    const refused = await failure(trainRun({...opts, workDir: third}));
    expect([refused.exitCode, refused.message]).toEqual([5, `${path.join(third, 'epoch_2.safetensors')} already exists; use --force to overwrite it`]);
    expect((await trainRun({...opts, workDir: third, force: true})).status).toBe('trained');
  });

  it('a work dir that is a file is exit 2', async () => {
    const file = path.join(dir, 'file');
    fs.writeFileSync(file, '');
    await expect(trainRun({configPath: writeTinyConfig(dir, {}, 'tiny', 1, 32), workDir: file, ...quiet})).rejects.toMatchObject({exitCode: 2});
  });
});

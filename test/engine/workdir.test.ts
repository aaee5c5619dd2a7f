import {spawnSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {saveCheckpoint, type CheckpointMeta} from '../../src/engine/checkpoint';
import {checkWorkDir, foreignCheckpoints, LOCK_FILE, lockWorkDir, pruneCheckpoints, removeStaleTemps, workDirIdentity} from '../../src/engine/workdir';
import {caught} from '../config/caught';
import {tmpDir} from './helpers';

let dir: string;
beforeEach(() => (dir = tmpDir()));
afterEach(() => fs.rmSync(dir, {recursive: true, force: true}));

/** The pid of a process that has exited (so it no longer runs). */
function deadPid(): number {
  return Number(spawnSync('sh', ['-c', 'echo $$'], {encoding: 'utf8'}).stdout.trim());
}

describe('work-dir lock', () => {
  it('is exclusive: a second taker gets exit 5 naming the holder; release frees it', () => {
    const warnings: string[] = [];
    const lock = lockWorkDir(path.join(dir, 'wd'), 'c.json', (l) => warnings.push(l));
    const holder = JSON.parse(fs.readFileSync(path.join(dir, 'wd', LOCK_FILE), 'utf8'));
    expect(holder).toEqual({pid: process.pid, host: os.hostname(), started: expect.any(String), config: 'c.json'});
    const error = caught(() => lockWorkDir(path.join(dir, 'wd'), 'd.json', () => undefined));
    expect(error.exitCode).toBe(5);
    expect(error.message).toBe(`${path.join(dir, 'wd')} is in use by another \`mixup train\` (pid ${process.pid} on ${os.hostname()}, started ${holder.started}, training c.json); wait for it to finish or use another --work-dir`);
    lock.release();
    lock.release();
    expect(fs.existsSync(path.join(dir, 'wd', LOCK_FILE))).toBe(false);
    lockWorkDir(path.join(dir, 'wd'), 'd.json', () => undefined).release();
    expect(warnings).toEqual([]);
  });

  it('replaces a stale lock (its pid no longer runs on this host) with a warning', () => {
    const pid = deadPid();
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({pid, host: os.hostname(), started: '2026-01-01T00:00:00.000Z', config: 'old.json'}));
    const warnings: string[] = [];
    const lock = lockWorkDir(dir, 'c.json', (l) => warnings.push(l));
    expect(warnings).toEqual([`warning: removed the stale lock ${path.join(dir, LOCK_FILE)} (pid ${pid} on ${os.hostname()}, started 2026-01-01T00:00:00.000Z, training old.json: that process no longer runs)`]);
    expect(JSON.parse(fs.readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('refuses a lock of another host (cannot tell if it runs) and an unreadable lock, saying which file to delete', () => {
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({pid: 1, host: 'elsewhere', started: 't', config: 'c'}));
    const other = caught(() => lockWorkDir(dir, 'c.json', () => undefined)) as Error & {exitCode?: number; suggestions?: string[]};
    expect([other.exitCode, other.message]).toEqual([5, expect.stringContaining('(pid 1 on elsewhere, started t, training c)')]);
    expect(other.suggestions).toEqual([`If no \`mixup train\` runs in ${dir} any more, delete ${path.join(dir, LOCK_FILE)}.`]);
    fs.writeFileSync(path.join(dir, LOCK_FILE), 'garbage');
    expect(caught(() => lockWorkDir(dir, 'c.json', () => undefined)).message).toMatch(/is locked by .*train\.lock, which is unreadable \("garbage"\)/);
  });

  it('refuses a work dir that is a file (exit 2)', () => {
    const file = path.join(dir, 'file');
    fs.writeFileSync(file, '');
    const error = caught(() => checkWorkDir(file));
    expect([error.exitCode, error.message]).toEqual([2, `${file}: the work dir exists and is a file, not a directory; pass another --work-dir`]);
    expect(caught(() => lockWorkDir(file, 'c', () => undefined)).exitCode).toBe(2);
  });
});

describe('stale temp files', () => {
  it('removes every *.tmp-<pid> of another process, keeps the rest', () => {
    for (const f of ['latest.safetensors.tmp-123', 'x.log.json.tmp-99999', 'epoch_1.safetensors', 'notes.tmp-abc', `mine.tmp-${process.pid}`]) fs.writeFileSync(path.join(dir, f), '');
    expect(removeStaleTemps(dir)).toEqual(['latest.safetensors.tmp-123', 'x.log.json.tmp-99999']);
    expect(fs.readdirSync(dir).sort()).toEqual(['epoch_1.safetensors', `mine.tmp-${process.pid}`, 'notes.tmp-abc']);
  });
});

describe('pruning', () => {
  const meta = (epoch: number, workDir?: string): CheckpointMeta => ({format: 1, epoch, iter: epoch, rng: [1, 2, 3, 4], seed: 0, configHash: 'h', configPath: 'c', lr: 0.1, mixupVersion: '0.1.0', workDir});
  const write = (name: string, m: CheckpointMeta) => saveCheckpoint(path.join(dir, name), {params: new Map(), buffers: new Map(), momentum: new Map()}, m);

  it('deletes only this work dir\'s oldest epoch checkpoints; someone\'s epoch_7 and unreadable files stay', () => {
    const me = workDirIdentity(dir);
    for (const e of [1, 2, 3]) write(`epoch_${e}.safetensors`, meta(e, me));
    write('epoch_7.safetensors', meta(7, '/somewhere/else'));
    write('epoch_0.safetensors', meta(0)); // an older mixup's: no workDir
    fs.writeFileSync(path.join(dir, 'epoch_5.safetensors'), 'not a checkpoint');
    expect(pruneCheckpoints(dir, 1, me).map((f) => path.basename(f))).toEqual(['epoch_1.safetensors', 'epoch_2.safetensors']);
    expect(fs.readdirSync(dir).sort()).toEqual(['epoch_0.safetensors', 'epoch_3.safetensors', 'epoch_5.safetensors', 'epoch_7.safetensors']);
    expect(pruneCheckpoints(dir, -1, me)).toEqual([]);
  });

  it('lists the existing foreign checkpoints a run would overwrite', () => {
    const me = workDirIdentity(dir);
    write('epoch_2.safetensors', meta(2, me));
    write('epoch_4.safetensors', meta(4, '/else'));
    write('epoch_3.safetensors', meta(3, '/else')); // not on the interval: never written
    write('epoch_9.safetensors', meta(9, '/else')); // beyond max_epochs
    expect(foreignCheckpoints(dir, 0, 6, 2, me).map((f) => path.basename(f))).toEqual(['epoch_4.safetensors']);
    expect(foreignCheckpoints(dir, 4, 6, 2, me)).toEqual([]);
  });
});

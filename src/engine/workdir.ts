/**
 * The work directory of a run: where it is by default, its finished marker (which the generated scripts check to
 * skip finished runs; an older version's `finished.json` is still recognised), what earlier logs in it already
 * hold, and the rules that keep concurrent or crashed runs from losing anything:
 *
 * - **Lock**: `train` holds `<work_dir>/train.lock` (pid, host, start time, config) for the whole run, created
 *   exclusively; a second `train` into the same dir exits 5 naming the holder. A lock whose pid no longer runs on
 *   this host is stale and is replaced (with a warning).
 * - **Temp files**: `*.tmp-<pid>` files left by a killed writer are removed when the next run takes the lock.
 * - **Pruning** (`checkpoint_config.max_keep_ckpts`) deletes only `epoch_<N>.safetensors` files whose metadata says
 *   this work dir's runs wrote them; files copied in from elsewhere (or by an older mixup) are never deleted.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {displayPath, FINISHED_MARKER, LEGACY_FINISHED_MARKERS} from '../config/files';
import {MixupError, usageError} from '../errors';
import {errorCode} from '../io/fs-error';
import {INPUT_LIMITS, readInputText} from '../io/read';
import {ensureDir, TEMP_FILE, writeFileAtomic} from '../io/write';
import {tryReadCheckpointMeta} from './checkpoint';

/** Marker file of a finished run (`FINISHED_MARKER`, the one spelling shared with the generated scripts). */
export const FINISHED = FINISHED_MARKER;

/** The lock file `train` holds in its work dir. */
export const LOCK_FILE = 'train.lock';

/** The content of the finished marker. */
export interface FinishedMarker {
  config_path: string;
  epochs: number;
  /** final val metrics, `head0_top<k>` in percent */
  metrics: Record<string, number>;
  log: string;
  checkpoint: string;
  backend: string;
  seconds: number;
  finished_at: string;
}

/**
 * Refuses a work dir that exists but is not a directory.
 * @throws MixupError (usage) naming it
 */
export function checkWorkDir(workDir: string): void {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(workDir, {throwIfNoEntry: false});
  } catch {
    return; // ENAMETOOLONG, ENOTDIR...: creating it reports the reason
  }
  if (stat !== undefined && !stat.isDirectory()) throw usageError(`${displayPath(workDir)}: the work dir exists and is a file, not a directory; pass another --work-dir`);
}

/** The finished marker of a work dir (or its legacy `finished.json`), if there is a readable, well-formed one. */
export function readFinished(workDir: string): FinishedMarker | undefined {
  const file = [FINISHED, ...LEGACY_FINISHED_MARKERS].map((name) => path.join(workDir, name)).find((f) => fs.existsSync(f));
  if (file === undefined) return undefined;
  try {
    const marker = JSON.parse(readInputText(file, {what: 'finished marker', maxBytes: INPUT_LIMITS.small})) as Partial<FinishedMarker> | null;
    const metrics = marker?.metrics;
    const ok = Number.isInteger(marker?.epochs) && metrics !== null && typeof metrics === 'object' && !Array.isArray(metrics) && Object.values(metrics).every((v) => typeof v === 'number');
    return ok ? (marker as FinishedMarker) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the finished marker atomically. */
export function writeFinished(workDir: string, marker: FinishedMarker): void {
  writeFileAtomic(path.join(workDir, FINISHED), `${JSON.stringify(marker, null, 2)}\n`, {overwrite: true});
}

/** Removes the finished marker and its legacy names (a `--force` rerun). */
export function removeFinished(workDir: string): void {
  for (const name of [FINISHED, ...LEGACY_FINISHED_MARKERS]) fs.rmSync(path.join(workDir, name), {force: true});
}

/** Epochs that have a val line in any `.log.json` of the work dir (unreadable logs count as none). */
export function loggedValEpochs(workDir: string): Set<number> {
  const epochs = new Set<number>();
  if (!fs.existsSync(workDir)) return epochs;
  for (const entry of fs.readdirSync(workDir, {withFileTypes: true})) {
    if (!entry.isFile() || !entry.name.endsWith('.log.json')) continue;
    let text: string;
    try {
      text = readInputText(path.join(workDir, entry.name), {what: 'log', maxBytes: INPUT_LIMITS.log});
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (!line.includes('"mode":"val"')) continue;
      try {
        epochs.add((JSON.parse(line) as {epoch: number}).epoch);
      } catch {
        // a torn last line of a killed run: ignored
      }
    }
  }
  return epochs;
}

/** Who holds a work dir's lock. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the run started */
  started: string;
  config: string;
}

/** A held work-dir lock. */
export interface WorkDirLock {
  file: string;
  holder: LockHolder;
  /** Removes the lock file if it is still this one (idempotent). */
  release(): void;
}

/** True when `pid` runs on this host (a process of another user counts as running). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const h = JSON.parse(text) as Partial<LockHolder> | null;
    if (h && Number.isInteger(h.pid) && (h.pid as number) > 0 && typeof h.host === 'string' && typeof h.started === 'string') return {config: '?', ...h} as LockHolder;
  } catch {
    // not JSON: reported below as an unreadable lock
  }
  return undefined;
}

/**
 * Takes the work dir's lock for a `train` run (creating the directory): an exclusive create of `train.lock`
 * holding pid, host, start time and config. A lock left by a process that no longer runs on this host is removed
 * (`warn` says so) and taken.
 * @throws MixupError (io, exit 5) naming the holder when another live run holds it, or when the lock file is
 *   unreadable or from another host (then it says which file to delete if that run is gone)
 */
export function lockWorkDir(workDir: string, config: string, warn: (line: string) => void): WorkDirLock {
  checkWorkDir(workDir);
  ensureDir(workDir);
  const file = path.join(workDir, LOCK_FILE);
  const holder: LockHolder = {pid: process.pid, host: os.hostname(), started: new Date().toISOString(), config};
  const text = `${JSON.stringify(holder)}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileAtomic(file, text, {overwrite: false});
      return {
        file,
        holder,
        release: () => {
          try {
            if (fs.readFileSync(file, 'utf8') === text) fs.rmSync(file, {force: true});
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      if (!(error instanceof MixupError) || fs.statSync(file, {throwIfNoEntry: false}) === undefined) throw error;
    }
    let existing: string;
    try {
      existing = fs.readFileSync(file, 'utf8');
    } catch {
      continue; // removed meanwhile: try again
    }
    const other = parseHolder(existing);
    const remove = [`If no \`mixup train\` runs in ${displayPath(workDir)} any more, delete ${displayPath(file)}.`];
    if (other === undefined) {
      throw new MixupError('io', `${displayPath(workDir)} is locked by ${displayPath(file)}, which is unreadable (${JSON.stringify(existing.slice(0, 80))}); refusing to train into it`, {suggestions: remove});
    }
    const who = `pid ${other.pid} on ${other.host}, started ${other.started}, training ${other.config}`;
    if (other.host !== holder.host || pidAlive(other.pid)) {
      throw new MixupError('io', `${displayPath(workDir)} is in use by another \`mixup train\` (${who}); wait for it to finish or use another --work-dir`, {suggestions: remove});
    }
    // stale: its process is gone. Remove it only if it is still the file we read (another run may have replaced it).
    try {
      if (fs.readFileSync(file, 'utf8') === existing) fs.rmSync(file);
      warn(`warning: removed the stale lock ${displayPath(file)} (${who}: that process no longer runs)`);
    } catch {
      // removed by another run meanwhile: try again
    }
  }
  throw new MixupError('io', `${displayPath(workDir)}: could not take the lock ${displayPath(file)} (other runs keep taking it)`);
}

/**
 * Removes the `*.tmp-<pid>` files a killed writer left in the work dir (call with the lock held: no live run
 * writes there then). Returns the removed names.
 */
export function removeStaleTemps(workDir: string): string[] {
  if (!fs.existsSync(workDir)) return [];
  const removed: string[] = [];
  for (const entry of fs.readdirSync(workDir, {withFileTypes: true})) {
    const match = TEMP_FILE.exec(entry.name);
    if (!match || !entry.isFile() || Number(match[1]) === process.pid) continue;
    fs.rmSync(path.join(workDir, entry.name), {force: true});
    removed.push(entry.name);
  }
  return removed.sort();
}

/** Epoch checkpoints `epoch_<N>.safetensors` in a work dir, oldest first. */
export function epochCheckpoints(workDir: string): string[] {
  if (!fs.existsSync(workDir)) return [];
  return fs
    .readdirSync(workDir)
    .map((f) => /^epoch_(\d+)\.safetensors$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map((m) => path.join(workDir, m[0]));
}

/** The real path of a work dir, as checkpoints record it (`CheckpointMeta.workDir`). */
export function workDirIdentity(workDir: string): string {
  try {
    return fs.realpathSync(workDir);
  } catch {
    return path.resolve(workDir);
  }
}

/** True when the checkpoint's metadata says a run of this work dir (`identity`) wrote it. */
export function ownCheckpoint(file: string, identity: string): boolean {
  const meta = tryReadCheckpointMeta(file);
  return !(meta instanceof Error) && meta.workDir === identity;
}

/**
 * Deletes this work dir's oldest epoch checkpoints beyond `maxKeep` (`max_keep_ckpts`; <= 0 keeps all). Only files
 * whose metadata names this work dir count and are deleted; any other `epoch_<N>.safetensors` is left alone.
 * @returns the deleted files
 */
export function pruneCheckpoints(workDir: string, maxKeep: number, identity: string): string[] {
  if (maxKeep <= 0) return [];
  const own = epochCheckpoints(workDir).filter((f) => ownCheckpoint(f, identity));
  const doomed = own.slice(0, Math.max(0, own.length - maxKeep));
  for (const file of doomed) fs.rmSync(file, {force: true});
  return doomed;
}

/**
 * The epoch checkpoints a run from `startEpoch` to `maxEpochs` would write (every `interval` epochs and the last)
 * that already exist and were not written by this work dir's runs: they must not be replaced without `--force`.
 */
export function foreignCheckpoints(workDir: string, startEpoch: number, maxEpochs: number, interval: number, identity: string): string[] {
  return epochCheckpoints(workDir).filter((file) => {
    const epoch = Number(/epoch_(\d+)\.safetensors$/.exec(file)![1]);
    const written = epoch > startEpoch && epoch <= maxEpochs && (epoch % interval === 0 || epoch === maxEpochs);
    return written && !ownCheckpoint(file, identity);
  });
}

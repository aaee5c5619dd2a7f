/**
 * The one way mixup writes files (configs and scripts of `gen-configs`, checkpoints, logs, the finished marker,
 * plots, `visualize` images, prepare-data lists): the bytes go to `<file>.tmp-<pid>` in the same directory, are
 * fsynced, and the temp file is renamed over `<file>` (or hard-linked to it when an existing file must not be
 * replaced). A reader never sees a half-written file, a failure (ENOSPC, EACCES...) leaves the previous file as it
 * was and no temp file behind, and every failure is a `MixupError` (io) naming the file. Nothing the user has is
 * replaced unless the caller says so (`--force`): `alreadyExists` is the one wording of that refusal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {MixupError} from '../errors';
import {describeFsError, errorCode} from './fs-error';
import {displayPath} from './paths';

/** The suffix of a temp file this process writes: `<file>.tmp-<pid>`. */
export const tempSuffix = (): string => `.tmp-${process.pid}`;

/** Matches the name of a temp file left by a writer: `<name>.tmp-<pid>`, capturing the pid. */
export const TEMP_FILE = /\.tmp-(\d+)$/;

/**
 * The refusal to replace existing files, in the one wording every command uses:
 * `x.png already exists; use --force to overwrite it`.
 */
export function alreadyExists(files: readonly string[], suggestions: string[] = []): MixupError {
  const shown = files.slice(0, 10).map(displayPath);
  if (files.length > 10) shown.push(`... and ${files.length - 10} more`);
  const message = files.length === 1 ? `${shown[0]} already exists; use --force to overwrite it` : `${files.length} files already exist: ${shown.join(', ')}; use --force to overwrite them`;
  return new MixupError('io', message, {suggestions});
}

function ioError(file: string, verb: string, error: unknown): MixupError {
  return new MixupError('io', `${displayPath(file)}: cannot ${verb}: ${describeFsError(error)}`, {cause: error});
}

/** The first existing ancestor of `p` (or `p` itself) that is not a directory. */
function fileAncestor(p: string): string | undefined {
  for (let at = path.resolve(p); at !== path.dirname(at); at = path.dirname(at)) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(at, {throwIfNoEntry: false});
    } catch {
      continue;
    }
    if (stat && !stat.isDirectory()) return at;
  }
  return undefined;
}

/**
 * Creates `dir` and its parents; an ancestor that is a file is named in the error.
 * @param target the file about to be written in `dir`, named in the error instead of `dir`
 * @throws MixupError (io) naming the directory (or target) and the reason
 */
export function ensureDir(dir: string, target?: string): void {
  const [shown, verb] = target === undefined ? [dir, 'create the directory'] : [target, 'write'];
  try {
    fs.mkdirSync(dir, {recursive: true});
  } catch (error) {
    const code = errorCode(error);
    const file = code === 'EEXIST' || code === 'ENOTDIR' ? fileAncestor(dir) : undefined;
    if (file !== undefined) throw new MixupError('io', `${displayPath(shown)}: cannot ${verb}: ${displayPath(file)} is a file, not a directory`, {cause: error});
    throw ioError(shown, verb, error);
  }
}

/** Refuses a target that is a directory, a FIFO, a device...: renaming over those would be wrong or harmful. */
function checkTarget(file: string): boolean {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file, {throwIfNoEntry: false});
  } catch (error) {
    const parent = errorCode(error) === 'ENOTDIR' ? fileAncestor(path.dirname(file)) : undefined;
    if (parent !== undefined) throw new MixupError('io', `${displayPath(file)}: cannot write: ${displayPath(parent)} is a file, not a directory`, {cause: error});
    throw ioError(file, 'write', error);
  }
  if (stat === undefined) return false;
  if (stat.isDirectory()) throw new MixupError('io', `${displayPath(file)}: cannot write: it is a directory`);
  if (!stat.isFile()) throw new MixupError('io', `${displayPath(file)}: cannot write: it exists and is not a regular file (a FIFO, device or socket)`);
  return true;
}

/**
 * Checks an output path before the (possibly slow) work that produces it: it must not be a directory or a special
 * file, and an existing file needs `overwrite` (`--force`). `writeFileAtomic` checks the same again when writing.
 * @throws MixupError (io) naming the file
 */
export function checkOutput(file: string, overwrite: boolean): void {
  if (checkTarget(file) && !overwrite) throw alreadyExists([file]);
}

/** Best effort: makes the rename itself durable (not supported everywhere). */
function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // fsync of a directory is not possible on every file system; the data itself is synced
  }
}

/** Hard links that some file systems refuse: then the existence check + rename is used instead. */
const NO_LINK = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/** Moves the finished temp file into place: rename (replace) or link + unlink (never replace). */
function publish(tmp: string, file: string, overwrite: boolean): void {
  if (overwrite) {
    fs.renameSync(tmp, file);
    return;
  }
  try {
    fs.linkSync(tmp, file);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') throw alreadyExists([file]);
    if (!NO_LINK.has(errorCode(error) ?? '')) throw error;
    if (fs.existsSync(file)) throw alreadyExists([file]);
    fs.renameSync(tmp, file);
    return;
  }
  fs.rmSync(tmp, {force: true});
}

/** How `writeFileAtomic` treats an existing file. */
export interface AtomicWriteOptions {
  /** true: replace an existing regular file; false: refuse (`alreadyExists`, i.e. "use --force") */
  overwrite: boolean;
  /** permissions of the new file (default 0o644; 0o755 for scripts) */
  mode?: number;
}

/** Writes `data` through the temp file `tmp` and publishes it; the temp file never survives a failure. */
function writeVia(file: string, opts: AtomicWriteOptions, fill: (tmp: string) => void): void {
  const existed = checkTarget(file);
  if (existed && !opts.overwrite) throw alreadyExists([file]);
  ensureDir(path.dirname(path.resolve(file)), file);
  const tmp = `${file}${tempSuffix()}`;
  try {
    fill(tmp);
    publish(tmp, file, opts.overwrite);
  } catch (error) {
    try {
      fs.rmSync(tmp, {force: true});
    } catch {
      // left for the next run's stale temp-file cleanup
    }
    if (error instanceof MixupError) throw error;
    throw ioError(file, 'write', error);
  }
  syncDir(path.dirname(path.resolve(file)));
}

/**
 * Writes `data` to `file` atomically (see the module comment), creating parent directories.
 * @throws MixupError (io) naming the file: it exists and `overwrite` is false, it is a directory or not a regular
 *   file, a parent is a file, or the write fails (ENOSPC, EACCES, ENAMETOOLONG...); the previous file is kept
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, opts: AtomicWriteOptions): void {
  const mode = opts.mode ?? 0o644;
  writeVia(file, opts, (tmp) => {
    const fd = fs.openSync(tmp, 'w', mode);
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done);
      fs.fchmodSync(fd, mode);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  });
}

/**
 * Copies `source` to `file` atomically (temp copy, fsync, rename), e.g. `latest` -> `epoch_<N>`.
 * @throws MixupError (io) naming `file` as `writeFileAtomic` does
 */
export function copyFileAtomic(source: string, file: string, opts: AtomicWriteOptions): void {
  writeVia(file, opts, (tmp) => {
    fs.copyFileSync(source, tmp);
    const fd = fs.openSync(tmp, 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  });
}

/**
 * Appends `text` (or bytes: a TensorBoard record) to an existing or new file (one call per log line). When the append
 * fails part-way (ENOSPC), the file is cut back to its previous length, so it keeps whole lines (records) only.
 * @throws MixupError (io) naming the file
 */
export function appendText(file: string, text: string | Uint8Array): void {
  let size: number | undefined;
  try {
    size = fs.statSync(file, {throwIfNoEntry: false})?.size;
    fs.appendFileSync(file, text);
  } catch (error) {
    if (size !== undefined) {
      try {
        fs.truncateSync(file, size);
      } catch {
        // the file could not be cut back either; the error below still names it
      }
    }
    throw ioError(file, 'append to the file', error);
  }
}

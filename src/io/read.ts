/**
 * Reading user input files safely: every input (config, `_base_`, list file, log, checkpoint, finished marker) is
 * first checked to be a regular file of bounded size, so a FIFO, `/dev/zero` or a directory gives a clear error
 * naming the file instead of a hang or a raw `EISDIR`.
 */
import * as fs from 'node:fs';
import {MixupError, type ErrorCategory} from '../errors';
import {describeFsError} from './fs-error';
import {displayPath} from './paths';

/** Size limits of the inputs mixup reads whole (bytes). */
export const INPUT_LIMITS = {
  /** a JSON config or `_base_` file */
  config: 16 * 1024 * 1024,
  /** a list file, annotation file or classes file */
  list: 1024 * 1024 * 1024,
  /** an mmcv `.log.json` */
  log: 1024 * 1024 * 1024,
  /** a checkpoint: Node reads at most 2 GiB into one buffer */
  checkpoint: 2 * 1024 * 1024 * 1024 - 1,
  /** small JSON files mixup writes itself (finished marker, lock) */
  small: 1024 * 1024,
} as const;

/** What an input is, for errors (`config`, `image list`...), and how failing to read it is classed. */
export interface InputOptions {
  /** shown in errors: `cannot read <what>` */
  what: string;
  /** exit category of the errors (default `data`) */
  category?: ErrorCategory;
  /** size limit in bytes (default: none) */
  maxBytes?: number;
  /** how the file is named in errors (default `displayPath(file)`) */
  shown?: string;
}

/** `a FIFO`, `a character device`... for a file that is not regular. */
function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Why `stat` is not a file mixup can read whole (`it is a FIFO (named pipe), not a regular file`), or undefined
 * for a regular file.
 */
export function notRegularFile(stat: fs.Stats): string | undefined {
  return stat.isFile() ? undefined : `it is ${kindOf(stat)}, not a regular file`;
}

function inputError(file: string, opts: InputOptions, reason: string, cause?: unknown): MixupError {
  return new MixupError(opts.category ?? 'data', `${opts.shown ?? displayPath(file)}: cannot read ${opts.what}: ${reason}`, cause === undefined ? {} : {cause});
}

/**
 * Checks that `file` is a regular file (symbolic links followed) within the size limit, without opening it.
 * @throws MixupError (opts.category, default data) naming the file: missing, a directory/FIFO/device, too large
 */
export function checkInputFile(file: string, opts: InputOptions): fs.Stats {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw inputError(file, opts, describeFsError(error), error);
  }
  const irregular = notRegularFile(stat);
  if (irregular !== undefined) throw inputError(file, opts, irregular);
  if (opts.maxBytes !== undefined && stat.size > opts.maxBytes) {
    throw inputError(file, opts, `it has ${stat.size} bytes, more than the ${opts.maxBytes}-byte limit for a ${opts.what}`);
  }
  return stat;
}

/**
 * Reads a whole regular file after `checkInputFile`.
 * @throws MixupError (opts.category) naming the file
 */
export function readInputBytes(file: string, opts: InputOptions): Buffer {
  checkInputFile(file, opts);
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw inputError(file, opts, describeFsError(error), error);
  }
}

/** `readInputBytes` decoded as UTF-8. */
export function readInputText(file: string, opts: InputOptions): string {
  return readInputBytes(file, opts).toString('utf8');
}

/**
 * Up to `length` bytes of a regular file starting at `position` (fewer at its end), e.g. a safetensors header.
 * @throws MixupError (opts.category) naming the file
 */
export function readInputRange(file: string, position: number, length: number, opts: InputOptions): Buffer {
  checkInputFile(file, opts);
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const out = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const n = fs.readSync(fd, out, done, length - done, position + done);
      if (n === 0) break;
      done += n;
    }
    return out.subarray(0, done);
  } catch (error) {
    throw inputError(file, opts, describeFsError(error), error);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

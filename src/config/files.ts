/**
 * File helpers of the config room: where the package's own `configs/` and `templates/` live, how paths are shown to
 * the user, and the atomic write every generated file goes through (`x.tmp-<pid>` then `rename`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {MixupError} from '../errors';

let cachedRoot: string | undefined;

/**
 * The directory holding mixup's `package.json` (and its `configs/`, `templates/`), found by walking up from this
 * file, so it works from `src/` (ts-jest) and from `dist/src/` (the compiled CLI) alike.
 */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && fs.existsSync(path.join(dir, 'templates'))) return (cachedRoot = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the mixup package root (package.json + templates/) above ${__dirname}`);
    dir = parent;
  }
}

/** A path as the user should read it: relative to the current directory when inside it, absolute otherwise. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), path.resolve(file));
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? path.resolve(file) : rel;
}

/**
 * Writes `content` to `file` atomically: the parent directories are created, the text goes to `file.tmp-<pid>`,
 * which is then renamed over `file`, so a reader never sees a half-written file.
 * @param mode file permissions, e.g. 0o755 for scripts
 * @throws MixupError (io) naming the file when the write fails
 */
export function writeFileAtomic(file: string, content: string, mode = 0o644): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.mkdirSync(path.dirname(file), {recursive: true});
    fs.writeFileSync(tmp, content, {mode});
    fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, {force: true});
    throw new MixupError('io', `${displayPath(file)}: cannot write (${(error as Error).message})`, {cause: error});
  }
}

/**
 * Finding logs: PATH is one log file or a directory tree; every directory holding `*.log.json` files is one work
 * dir, its logs sorted by name, i.e. by their `YYYYmmdd_HHMMSS` timestamp, oldest first, as the reference tools
 * sort them. Other `.json` files (generated configs, an old `finished.json` marker) are not logs.
 *
 * Nothing is skipped without a word: a symbolic link is followed (to a directory once: a link back to a directory
 * already visited, i.e. a loop, is reported and not followed again), a broken link, a `.log.json` that is not a
 * regular file (a FIFO, a device) and a directory that cannot be listed are warnings naming the path. A PATH that
 * is neither a directory nor a regular file (`/dev/null`, a FIFO) is a data `MixupError`.
 *
 * Seeds: `gen-configs --seeds N` gives each seed its own `seed<S>` sub-directory of the config's work dir;
 * `groupSeeds` pools these into one config.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {dataError} from '../errors';
import {describeError} from './log';

/** The logs of one work dir, oldest first. */
export interface WorkDirLogs {
  workDir: string;
  logs: string[];
}

/** The work dirs found under a PATH, and what was not read (broken links, loops, unlistable directories). */
export interface Collected {
  workDirs: WorkDirLogs[];
  warnings: string[];
}

/** One configuration: a work dir, or the `seed<S>` work dirs of one config pooled (`members`, sorted by path). */
export interface ConfigDirs {
  /** the config's work dir (for seed dirs: their parent) */
  dir: string;
  members: WorkDirLogs[];
}

/** True for a file name that is an mmcv JSON log. */
export function isLogFile(name: string): boolean {
  return name.endsWith('.log.json');
}

/** A work dir of one seed as `gen-configs --seeds N` names it: `seed<S>`. */
export const SEED_DIR = /^seed(\d+)$/;

/**
 * The work dirs under `target` (or the single file `target`), sorted by path, and warnings about what was not read.
 * Throws a data `MixupError` if `target` does not exist, is not a directory or a regular file, or holds no log.
 */
export function collectWorkDirs(target: string): Collected {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw dataError(`${target}: no such file or directory`);
    throw dataError(`${target}: cannot read (${describeError(error)})`, {cause: error});
  }
  if (stat.isFile()) return {workDirs: [{workDir: path.dirname(target), logs: [target]}], warnings: []};
  if (!stat.isDirectory()) {
    throw dataError(`${target}: not a directory or a regular file (${fileKind(stat)}); expected a .log.json log or a directory of work dirs`);
  }
  const walk: Walk = {workDirs: [], warnings: [], dirs: new Map(), logs: new Map()};
  visit(target, walk);
  if (walk.workDirs.length === 0) {
    const note = walk.warnings.length > 0 ? `; also: ${walk.warnings.join('; ')}` : '';
    throw dataError(`${target}: no *.log.json logs found in this directory or below it (is it empty, or the wrong work_dirs path?)${note}`);
  }
  return {workDirs: walk.workDirs.sort((a, b) => byPath(a.workDir, b.workDir)), warnings: walk.warnings};
}

/** Pools work dirs named `seed<S>` under one parent into one config; other work dirs are configs by themselves. */
export function groupSeeds(workDirs: readonly WorkDirLogs[]): ConfigDirs[] {
  const configs = new Map<string, ConfigDirs>();
  for (const w of workDirs) {
    const dir = SEED_DIR.test(path.basename(w.workDir)) ? path.dirname(w.workDir) : w.workDir;
    const config = configs.get(dir) ?? {dir, members: []};
    config.members.push(w);
    configs.set(dir, config);
  }
  return [...configs.values()].sort((a, b) => byPath(a.dir, b.dir));
}

interface Walk extends Collected {
  /** real path of each directory visited -> the path it was first reached by */
  dirs: Map<string, string>;
  /** real path of each log taken -> the path it was taken by */
  logs: Map<string, string>;
}

function visit(dir: string, walk: Walk): void {
  const real = realPath(dir);
  const seen = walk.dirs.get(real);
  if (seen !== undefined) {
    walk.warnings.push(`${dir}: the same directory as ${seen} (reached again through a symbolic link: a loop?); read once`);
    return;
  }
  walk.dirs.set(real, dir);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, {withFileTypes: true});
  } catch (error) {
    walk.warnings.push(`${dir}: cannot list this directory (${describeError(error)}); skipped`);
    return;
  }
  const logs: string[] = [];
  const subdirs: string[] = [];
  for (const entry of entries.sort((a, b) => byPath(a.name, b.name))) {
    const full = path.join(dir, entry.name);
    const kind = entry.isSymbolicLink() ? linkTarget(full, walk.warnings) : entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other';
    if (kind === 'dir') subdirs.push(full);
    else if (!isLogFile(entry.name) || kind === undefined) continue;
    else if (kind === 'file') takeLog(full, logs, walk);
    else walk.warnings.push(`${full}: not a regular file (${fileKind(fs.statSync(full))}); skipped`);
  }
  if (logs.length > 0) walk.workDirs.push({workDir: dir, logs});
  for (const sub of subdirs) visit(sub, walk);
}

/** What a symbolic link points to: `dir`, `file`, `other`, or undefined (broken; a warning says so). */
function linkTarget(link: string, warnings: string[]): 'dir' | 'file' | 'other' | undefined {
  try {
    const stat = fs.statSync(link);
    return stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'other';
  } catch (error) {
    let to = '?';
    try {
      to = fs.readlinkSync(link);
    } catch {
      // unreadable link: its target stays unknown
    }
    warnings.push(`${link}: broken symbolic link (to ${to}: ${describeError(error)}); skipped`);
    return undefined;
  }
}

function takeLog(file: string, logs: string[], walk: Walk): void {
  const real = realPath(file);
  const seen = walk.logs.get(real);
  if (seen !== undefined) {
    walk.warnings.push(`${file}: the same file as ${seen} (a symbolic link); read once`);
    return;
  }
  walk.logs.set(real, file);
  logs.push(file);
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

function fileKind(stat: fs.Stats): string {
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

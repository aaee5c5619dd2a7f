/**
 * Finding logs: PATH is one `.log.json` file or a directory tree; every directory holding `*.log.json` files is
 * one work dir (one config), its logs sorted by name, i.e. by their `YYYYmmdd_HHMMSS` timestamp, oldest first, as
 * the reference tools sort them. Other `.json` files (our `finished.json`, generated configs) are not logs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {dataError} from '../errors';

/** The logs of one work dir, oldest first. */
export interface WorkDirLogs {
  workDir: string;
  logs: string[];
}

/** True for a file name that is an mmcv JSON log. */
export function isLogFile(name: string): boolean {
  return name.endsWith('.log.json');
}

/**
 * The work dirs under `target` (or the single file `target`), sorted by path.
 * Throws a data `MixupError` if `target` does not exist or holds no log.
 */
export function collectWorkDirs(target: string): WorkDirLogs[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw dataError(`${target}: no such file or directory`);
  }
  if (stat.isFile()) return [{workDir: path.dirname(target), logs: [target]}];
  const found: WorkDirLogs[] = [];
  walk(target, found);
  if (found.length === 0) {
    throw dataError(`${target}: no *.log.json logs found in this directory or below it (is it empty, or the wrong work_dirs path?)`);
  }
  return found.sort((a, b) => (a.workDir < b.workDir ? -1 : a.workDir > b.workDir ? 1 : 0));
}

function walk(dir: string, found: WorkDirLogs[]): void {
  const entries = fs.readdirSync(dir, {withFileTypes: true});
  const logs = entries
    .filter((e) => e.isFile() && isLogFile(e.name))
    .map((e) => e.name)
    .sort();
  if (logs.length > 0) found.push({workDir: dir, logs: logs.map((name) => path.join(dir, name))});
  for (const entry of entries) {
    if (entry.isDirectory()) walk(path.join(dir, entry.name), found);
  }
}

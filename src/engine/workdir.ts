/**
 * The work directory of a run: where it is by default, its `finished.json` marker (which the generated scripts
 * check to skip finished runs), and what earlier logs in it already hold.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {writeFileAtomic} from '../config/files';

/** Marker file of a finished run. */
export const FINISHED = 'finished.json';

/** The content of `finished.json`. */
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
 * `work_dirs/<config path without a leading configs/ and without .json>` (as OpenMixup's `dist_train.sh` derives
 * it), relative to the current directory; a config outside it uses its file name.
 */
export function defaultWorkDir(configPath: string): string {
  let rel = path.relative(process.cwd(), path.resolve(configPath));
  if (rel.startsWith('..') || path.isAbsolute(rel)) rel = path.basename(rel);
  rel = rel.replace(/\.json$/i, '');
  const parts = rel.split(path.sep);
  if (parts[0] === 'configs' && parts.length > 1) parts.shift();
  return path.join('work_dirs', ...parts);
}

/** The finished marker of a work dir, if any. */
export function readFinished(workDir: string): FinishedMarker | undefined {
  const file = path.join(workDir, FINISHED);
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as FinishedMarker;
  } catch {
    return undefined;
  }
}

/** Writes `finished.json` atomically. */
export function writeFinished(workDir: string, marker: FinishedMarker): void {
  writeFileAtomic(path.join(workDir, FINISHED), `${JSON.stringify(marker, null, 2)}\n`);
}

/** Epochs that have a val line in any `.log.json` of the work dir. */
export function loggedValEpochs(workDir: string): Set<number> {
  const epochs = new Set<number>();
  if (!fs.existsSync(workDir)) return epochs;
  for (const file of fs.readdirSync(workDir).filter((f) => f.endsWith('.log.json'))) {
    for (const line of fs.readFileSync(path.join(workDir, file), 'utf8').split('\n')) {
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

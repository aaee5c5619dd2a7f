/**
 * The work directory of a run: where it is by default, its `finished` marker (which the generated scripts check to
 * skip finished runs; an older version's `finished.json` is still recognised), and what earlier logs in it hold.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {writeFileAtomic} from '../config/files';
import {FINISHED_MARKER, LEGACY_FINISHED_MARKERS} from '../config/markers';

/** Marker file of a finished run. */
export const FINISHED = FINISHED_MARKER;

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

/** The finished marker of a work dir (or its legacy `finished.json`), if any. */
export function readFinished(workDir: string): FinishedMarker | undefined {
  const file = [FINISHED, ...LEGACY_FINISHED_MARKERS].map((name) => path.join(workDir, name)).find((f) => fs.existsSync(f));
  if (file === undefined) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as FinishedMarker;
  } catch {
    return undefined;
  }
}

/** Writes the finished marker atomically. */
export function writeFinished(workDir: string, marker: FinishedMarker): void {
  writeFileAtomic(path.join(workDir, FINISHED), `${JSON.stringify(marker, null, 2)}\n`);
}

/** Removes the finished marker and its legacy names (a `--force` run starts over). */
export function removeFinished(workDir: string): void {
  for (const name of [FINISHED, ...LEGACY_FINISHED_MARKERS]) fs.rmSync(path.join(workDir, name), {force: true});
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

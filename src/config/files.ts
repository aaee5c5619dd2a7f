/**
 * File helpers of the config room: where the package's own `configs/` and `templates/` live, and the name of the
 * finished marker. How paths are shown (`displayPath`) lives in `src/io/paths.ts` and is re-exported here; every
 * file is written through `src/io/write.ts`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export {displayPath} from '../io/paths';

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

/**
 * Name of the marker file a finished run leaves in its work dir (written by the engine, checked by the generated
 * scripts to skip finished runs): the one place that name is spelled. It has no `.json` in it: OpenMixup's
 * `tools/summary/*.py` read every file of a work dir whose name contains `.json` as a log (the latest one by name), so
 * a `finished.json` made them print `nan`. Its content is JSON (`FinishedMarker` in `src/engine/workdir.ts`).
 */
export const FINISHED_MARKER = 'finished';

/** Names the finished marker had before (work dirs of older versions); still recognised when reading. */
export const LEGACY_FINISHED_MARKERS: readonly string[] = ['finished.json'];

/**
 * Runs an OpenMixup Python config through Python, as mmcv's `Config.fromfile` does: the package's
 * `scripts/mmcv_fromfile.py` (standard library only) executes the file, resolves `_base_` with mmcv's merge rules and
 * prints the merged dict as JSON. Running a config runs its code, as OpenMixup does: import only files you would train.
 */
import {spawnSync} from 'node:child_process';
import * as path from 'node:path';
import {usageError} from '../../errors';
import {displayPath, packageRoot} from '../files';
import {isObject, type JsonObject} from '../load';

/** The Python interpreter used when none is given: `MIXUP_PYTHON`, else `python3` on PATH. */
export const defaultPython = (): string => process.env.MIXUP_PYTHON || 'python3';

/** A config as Python evaluated it. */
export interface EvaluatedConfig {
  /** the merged dict (`_base_` resolved; tuples as lists; other non-JSON values as `{"__python__": type, "repr"}`) */
  config: JsonObject;
  /** every file read, in order (the config first), absolute */
  files: string[];
}

/** Longest a config may take to evaluate (it is code: a loop in it must not hang the command). */
const TIMEOUT_MS = 60_000;

function evaluatorScript(): string {
  return path.join(packageRoot(), 'scripts', 'mmcv_fromfile.py');
}

/** The error for an interpreter that is not there. */
function missingPython(python: string): Error {
  return usageError(
    `${python} was not found: import-config runs OpenMixup's Python configs with Python 3, as mmcv's Config.fromfile does (standard library only; mmcv itself is not needed)`,
    {suggestions: ['Install Python 3 (Debian/Ubuntu: apt-get install python3), or name an interpreter with --python PATH or MIXUP_PYTHON.']},
  );
}

/**
 * Checks that `python` runs and is Python 3.6 or newer (once, before a tree of configs is evaluated).
 * @throws MixupError (usage) saying that Python is missing or too old, and how to get or name one
 */
export function checkPython(python = defaultPython()): void {
  const result = spawnSync(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {encoding: 'utf8', timeout: TIMEOUT_MS, env: process.env, stdio: ['ignore', 'pipe', 'pipe']});
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw missingPython(python);
  const version = /^(\d+)\.(\d+)$/.exec(result.stdout.trim());
  if (result.error || result.status !== 0 || !version) throw usageError(`${python} did not run as Python 3 (exit ${result.status}): ${(result.error?.message ?? result.stderr).trim().slice(0, 300)}`);
  const [major, minor] = [Number(version[1]), Number(version[2])];
  if (major < 3 || (major === 3 && minor < 6)) throw usageError(`${python} is Python ${major}.${minor}; import-config needs Python 3.6 or newer`);
}

/**
 * Evaluates `file` with Python.
 * @param python interpreter to run (default `defaultPython()`)
 * @throws MixupError (usage) when Python is missing or too old, or the config fails (naming the file and line:
 *   a syntax error, an exception, a missing or cyclic `_base_`, keys shared by two bases, a dict over a non-dict)
 */
export function evaluatePythonConfig(file: string, python = defaultPython()): EvaluatedConfig {
  const result = spawnSync(python, [evaluatorScript(), path.resolve(file)], {
    cwd: path.dirname(path.resolve(file)),
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw missingPython(python);
    if (code === 'ETIMEDOUT') throw usageError(`${displayPath(file)}: Python did not finish evaluating the config within ${TIMEOUT_MS / 1000} s`);
    throw usageError(`${displayPath(file)}: cannot run ${python}: ${result.error.message}`);
  }
  let output: unknown;
  try {
    output = JSON.parse(result.stdout);
  } catch {
    const stderr = result.stderr.trim().split('\n').slice(-3).join(' ');
    throw usageError(`${displayPath(file)}: ${python} did not evaluate the config (exit ${result.status}${stderr ? `: ${stderr}` : ''}); Python 3.6 or newer is needed`);
  }
  if (isObject(output) && isObject(output.error)) {
    const {message, file: at, line} = output.error as {message?: unknown; file?: unknown; line?: unknown};
    const where = typeof at === 'string' ? `${displayPath(at)}${typeof line === 'number' ? `:${line}` : ''}` : displayPath(file);
    throw usageError(`${where}: ${String(message)}${typeof at === 'string' && path.resolve(at) !== path.resolve(file) ? ` (while evaluating ${displayPath(file)})` : ''}`);
  }
  if (!isObject(output) || !isObject(output.config) || !Array.isArray(output.files)) {
    throw usageError(`${displayPath(file)}: unexpected output from ${evaluatorScript()}`);
  }
  return {config: output.config, files: output.files.map(String)};
}

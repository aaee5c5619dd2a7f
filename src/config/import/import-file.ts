/**
 * One OpenMixup Python config -> a mixup config: evaluate it with Python (mmcv's `Config.fromfile`), then map it,
 * each step listing what it changed:
 *
 *     values JSON cannot hold -> `_`-prefixed names -> OpenMixup spellings -> helper variables -> defaults
 *       -> `--gpus` accumulation -> fields mixup has no place for (validator-driven) -> validation
 */
import {validateConfig} from '../validate';
import {fillDefaults} from './defaults';
import {evaluatePythonConfig} from './evaluate';
import {accumulateForGpus} from './gpus';
import {dropHelperVariables} from './helpers';
import {dropPrivateNames} from './private-names';
import {pruneUnmapped} from './prune';
import {dropPythonValues} from './python-values';
import {rewriteSpellings} from './spellings';
import type {ImportedConfig} from './types';

/** Options of `importPythonConfig`. */
export interface ImportOptions {
  /** Python interpreter (default: `MIXUP_PYTHON`, else `python3`) */
  python?: string;
  /** GPUs OpenMixup trained the config on: `optimizer_config.update_interval` × N (`gpus.ts`); default 1 */
  gpus?: number;
}

/**
 * Imports `file` (see the module comment). Problems left after mapping are returned, not thrown.
 * @throws MixupError (usage) when Python is missing or the file cannot be evaluated (file and line named)
 */
export function importPythonConfig(file: string, options: ImportOptions = {}): ImportedConfig {
  const {config, files} = evaluatePythonConfig(file, options.python);
  const notes = [...dropPythonValues(config), ...dropPrivateNames(config)];
  const evaluated = structuredClone(config);
  notes.push(
    ...rewriteSpellings(config),
    ...dropHelperVariables(config, evaluated),
    ...fillDefaults(config),
    ...accumulateForGpus(config, options.gpus ?? 1),
    ...pruneUnmapped(config),
  );
  const problems = validateConfig(config).map((issue) => issue.message);
  return {config, notes, problems, sources: files};
}

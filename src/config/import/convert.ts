/**
 * `mixup import-config`: which files to import and where each JSON goes (a file, or a directory tree mirrored under
 * `--out`), the no-overwrite check for all targets before any work, and the atomic writes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {isMixupError, usageError} from '../../errors';
import {alreadyExists, writeFileAtomic} from '../../io/write';
import {displayPath} from '../files';
import {checkPython} from './evaluate';
import {importPythonConfig, type ImportOptions} from './import-file';
import type {ImportNote} from './types';

/** One file to import and where its JSON goes. */
export interface ImportTarget {
  source: string;
  target: string;
}

/** Directories skipped in a tree: `_base_` files are partial configs, merged into the configs that name them. */
const SKIPPED_DIRS = new Set(['_base_', '__pycache__']);

/** Inputs mmcv's `Config.fromfile` reads that the importer takes: Python configs, and the JSON OpenMixup's `ConfigGenerator` writes. */
const isConfigName = (name: string): boolean => (name.endsWith('.py') && name !== '__init__.py') || name.endsWith('.json');

function configFilesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, {withFileTypes: true}).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) found.push(...configFilesUnder(full));
    else if (entry.isFile() && isConfigName(entry.name)) found.push(full);
  }
  return found;
}

const toJsonName = (file: string): string => file.replace(/\.py$/, '.json');

/** Two inputs mapped to one target (`a.py` and `a.json` side by side), or a target that is an input: refused. */
function checkTargets(targets: ImportTarget[]): ImportTarget[] {
  const sources = new Set(targets.map((t) => path.resolve(t.source)));
  const seen = new Map<string, string>();
  for (const {source, target} of targets) {
    const at = path.resolve(target);
    if (sources.has(at)) throw usageError(`${displayPath(target)} would replace an input config (from ${displayPath(source)}); choose another --out`);
    const other = seen.get(at);
    if (other !== undefined) throw usageError(`${displayPath(other)} and ${displayPath(source)} would both be written to ${displayPath(target)}; convert them separately`);
    seen.set(at, source);
  }
  return targets;
}

/**
 * The files to import: `input` itself (a `.py` config, or a `.json` one such as OpenMixup's `ConfigGenerator`
 * writes; its JSON goes to `out`, into `out/` when that is a directory, else beside it: `x.py` -> `x.json`,
 * `x.json` -> `x.mixup.json`), or every `.py` and `.json` file below the directory `input` except in `_base_/`
 * (mirrored under `out`, which a directory needs). No target may be an input, nor two inputs share a target.
 * @throws MixupError (usage) for a missing input, another file type, a directory without `--out` or without configs
 */
export function planImport(input: string, out: string | undefined): ImportTarget[] {
  const stat = fs.statSync(input, {throwIfNoEntry: false});
  if (stat === undefined) throw usageError(`${displayPath(input)} does not exist`);
  if (stat.isDirectory()) {
    if (out === undefined) throw usageError(`${displayPath(input)} is a directory: name the directory its tree is written to with --out DIR`);
    if (fs.statSync(out, {throwIfNoEntry: false})?.isFile()) throw usageError(`--out ${displayPath(out)} is a file; a directory input needs a directory`);
    const files = configFilesUnder(input);
    if (files.length === 0) throw usageError(`${displayPath(input)}: no .py or .json config files in this directory or below it (outside _base_/)`);
    return checkTargets(files.map((source) => ({source, target: path.join(out, toJsonName(path.relative(input, source)))})));
  }
  if (!isConfigName(path.basename(input))) throw usageError(`${displayPath(input)}: expected an OpenMixup config (.py, or .json as its ConfigGenerator writes) or a directory of them`);
  if (out === undefined) return checkTargets([{source: input, target: input.endsWith('.py') ? toJsonName(input) : input.replace(/\.json$/, '.mixup.json')}]);
  const into = fs.statSync(out, {throwIfNoEntry: false})?.isDirectory() === true;
  return checkTargets([{source: input, target: into ? path.join(out, toJsonName(path.basename(input))) : out}]);
}

/** What happened to one file. */
export interface ImportOutcome extends ImportTarget {
  /** whether the JSON was written */
  written: boolean;
  notes: ImportNote[];
  /** validation problems left after mapping, or the evaluation error, or the `--strict` refusal */
  problems: string[];
  /** files Python read (the config and its `_base_` chain) */
  sources: string[];
}

/** Options of `runImport`. */
export interface RunImportOptions extends ImportOptions {
  /** replace existing JSON files */
  force: boolean;
  /** write nothing for a config with an unmapped field */
  strict: boolean;
}

/**
 * Imports every target; each valid one is written atomically. A file that fails (evaluation error, problems left,
 * or an unmapped field under `strict`) is reported and not written; the others still are.
 * @throws MixupError (io) before any work when a target exists and `force` is false, naming every such file; (usage)
 *   when Python is missing
 */
export function runImport(targets: ImportTarget[], options: RunImportOptions): ImportOutcome[] {
  if (!options.force) {
    const existing = targets.map((t) => t.target).filter((target) => fs.existsSync(target));
    if (existing.length > 0) throw alreadyExists(existing);
  }
  checkPython(options.python);
  return targets.map((entry) => {
    let imported;
    try {
      imported = importPythonConfig(entry.source, options);
    } catch (error) {
      if (!isMixupError(error)) throw error;
      return {...entry, written: false, notes: [], problems: [error.message], sources: []};
    }
    const {config, notes, sources} = imported;
    const problems = [...imported.problems];
    const unmapped = notes.filter((n) => n.kind === 'unmapped');
    if (options.strict && unmapped.length > 0) problems.push(`--strict: ${unmapped.length} field(s) not mapped (${unmapped.map((n) => n.path).join(', ')})`);
    if (problems.length > 0) return {...entry, written: false, notes, problems, sources};
    writeFileAtomic(entry.target, `${JSON.stringify(config, null, 2)}\n`, {overwrite: options.force});
    return {...entry, written: true, notes, problems, sources};
  });
}

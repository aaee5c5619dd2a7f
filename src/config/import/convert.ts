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

function pythonFilesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, {withFileTypes: true}).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) found.push(...pythonFilesUnder(full));
    else if (entry.isFile() && entry.name.endsWith('.py') && entry.name !== '__init__.py') found.push(full);
  }
  return found;
}

const toJsonName = (file: string): string => file.replace(/\.py$/, '.json');

/**
 * The files to import: `input` itself (a `.py` file; its JSON goes to `out`, into `out/` when that is a directory,
 * else beside it), or every `.py` file below the directory `input` except in `_base_/` (mirrored under `out`, which
 * a directory needs).
 * @throws MixupError (usage) for a missing input, a non-`.py` file, a directory without `--out` or without `.py` files
 */
export function planImport(input: string, out: string | undefined): ImportTarget[] {
  const stat = fs.statSync(input, {throwIfNoEntry: false});
  if (stat === undefined) throw usageError(`${displayPath(input)} does not exist`);
  if (stat.isDirectory()) {
    if (out === undefined) throw usageError(`${displayPath(input)} is a directory: name the directory its tree is written to with --out DIR`);
    if (fs.statSync(out, {throwIfNoEntry: false})?.isFile()) throw usageError(`--out ${displayPath(out)} is a file; a directory input needs a directory`);
    const files = pythonFilesUnder(input);
    if (files.length === 0) throw usageError(`${displayPath(input)}: no .py config files in this directory or below it (outside _base_/)`);
    return files.map((source) => ({source, target: path.join(out, toJsonName(path.relative(input, source)))}));
  }
  if (!input.endsWith('.py')) throw usageError(`${displayPath(input)}: expected an OpenMixup Python config (.py) or a directory of them`);
  if (out === undefined) return [{source: input, target: toJsonName(input)}];
  const into = fs.statSync(out, {throwIfNoEntry: false})?.isDirectory() === true;
  return [{source: input, target: into ? path.join(out, toJsonName(path.basename(input))) : out}];
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

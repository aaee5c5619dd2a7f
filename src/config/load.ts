/**
 * Reading JSON configs with `_base_` inheritance, the idea of OpenMixup's (mmcv's) config files:
 *
 *     {"_base_": ["../../templates/datasets/cub200_sz224_bs16.json", "../../templates/runtime/default.json"],
 *      "model": {"alpha": 0.2}}
 *
 * `_base_` is one path or a list of paths relative to the file that names them. Bases are loaded the same way
 * (recursively, depth-first), merged over each other in list order, then the file's own keys are merged over them:
 * later keys win, objects merge key by key, arrays and scalars are replaced. An object with `"_delete_": true`
 * replaces the inherited value instead of merging into it. A file that (indirectly) includes itself is an error
 * naming the chain. Every error names the file (and the `_base_` entry) at fault.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import JSON5 from 'json5';
import {usageError, showValue} from '../errors';
import {checkJsonStructure} from '../io/json';
import {INPUT_LIMITS, readInputText} from '../io/read';
import {displayPath} from './files';

/** Longest `_base_` chain (a file, its base, that base's base...). */
export const MAX_BASE_DEPTH = 32;

/** A parsed JSON object. */
export type JsonObject = {[key: string]: unknown};

/** True for a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Merges `override` into a copy of `base` (neither argument is modified).
 * Objects merge recursively, everything else (arrays, scalars, null) is replaced; an object carrying
 * `_delete_: true` replaces the base value whole (the marker itself is dropped).
 *
 *     mergeConfig({a: {x: 1, y: 2}}, {a: {y: 3}})                  -> {a: {x: 1, y: 3}}
 *     mergeConfig({a: {x: 1, y: 2}}, {a: {_delete_: true, y: 3}})  -> {a: {y: 3}}
 */
export function mergeConfig(base: JsonObject, override: JsonObject): JsonObject {
  const out: JsonObject = {...base};
  for (const [key, value] of Object.entries(override)) {
    const previous = out[key];
    if (isObject(value) && value._delete_ === true) {
      out[key] = stripDelete(value);
    } else if (isObject(value) && isObject(previous)) {
      out[key] = mergeConfig(previous, value);
    } else {
      out[key] = isObject(value) ? stripDelete(value) : value;
    }
  }
  return out;
}

function stripDelete(value: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key !== '_delete_') out[key] = isObject(inner) ? stripDelete(inner) : inner;
  }
  return out;
}

/**
 * Where strict JSON parsing failed: V8's messages carry no position, so the text is re-parsed with JSON5 (a
 * superset of JSON) whose errors have line and column. Text JSON5 accepts uses a JSON5-only feature.
 */
function syntaxErrorLocation(text: string): string {
  try {
    JSON5.parse(text);
  } catch (error) {
    const {lineNumber, columnNumber} = error as {lineNumber?: number; columnNumber?: number};
    if (lineNumber !== undefined && columnNumber !== undefined) return ` at line ${lineNumber}, column ${columnNumber}`;
    return '';
  }
  return ' (comments, trailing commas, single quotes and unquoted keys are not JSON)';
}

/**
 * Reads one JSON file as an object, without resolving `_base_`.
 * @throws MixupError (usage) naming the file for a missing file, invalid JSON (with line and column), a non-object,
 *   or a `.py` file (pointing to `mixup import-config`)
 */
export function readJsonObject(file: string): JsonObject {
  if (file.endsWith('.py')) {
    throw usageError(`${displayPath(file)}: an OpenMixup (mmcv) Python config, not JSON; convert it first: mixup import-config ${displayPath(file)}`, {
      suggestions: ['`mixup import-config` evaluates it with Python 3 as mmcv does and writes a JSON config that validate accepts (docs/config.md).'],
    });
  }
  // a regular file of bounded size (a FIFO, /dev/zero or a directory is an error, not a hang)
  const text = readInputText(file, {what: 'config', category: 'usage', maxBytes: INPUT_LIMITS.config});
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw usageError(`${displayPath(file)}: invalid JSON${syntaxErrorLocation(text)}: ${(error as Error).message}`);
  }
  if (!isObject(value)) throw usageError(`${displayPath(file)}: a config must be a JSON object, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`);
  checkJsonStructure(value, file); // bounded nesting, no __proto__ key
  return value;
}

/** The `_base_` entries of a parsed file as absolute paths. */
function basePaths(file: string, raw: JsonObject): string[] {
  const spec = raw._base_;
  if (spec === undefined) return [];
  const list = typeof spec === 'string' ? [spec] : spec;
  if (!Array.isArray(list) || list.length === 0 || list.some((p) => typeof p !== 'string' || p === '')) {
    throw usageError(`${displayPath(file)}: _base_ must be a path or a non-empty list of paths (relative to the file), got ${showValue(spec)}`);
  }
  return (list as string[]).map((p) => path.resolve(path.dirname(file), p));
}

function loadRecursive(file: string, chain: string[]): JsonObject {
  if (chain.length >= MAX_BASE_DEPTH) throw usageError(`${displayPath(file)}: _base_ chain deeper than ${MAX_BASE_DEPTH} files (${displayPath(chain[0])} -> ...)`);
  const raw = readJsonObject(file);
  let merged: JsonObject = {};
  for (const base of basePaths(file, raw)) {
    if (chain.includes(base) || base === file) {
      const cycle = [...chain, file, base].slice(chain.indexOf(base) === -1 ? chain.length : chain.indexOf(base));
      throw usageError(`${displayPath(file)}: _base_ cycle: ${cycle.map(displayPath).join(' -> ')}`);
    }
    if (!fs.existsSync(base)) {
      throw usageError(`${displayPath(file)}: _base_ entry ${JSON.stringify(path.relative(path.dirname(file), base))} does not exist (looked for ${displayPath(base)})`);
    }
    merged = mergeConfig(merged, loadRecursive(base, [...chain, file]));
  }
  const own = {...raw};
  delete own._base_;
  return mergeConfig(merged, own);
}

/**
 * Loads a config file with its `_base_` chain fully merged (the result has no `_base_` key).
 * @throws MixupError (usage) naming the file for unreadable/invalid JSON, a bad or missing `_base_` entry, or a cycle
 */
export function loadConfigFile(file: string): JsonObject {
  return loadRecursive(path.resolve(file), []);
}

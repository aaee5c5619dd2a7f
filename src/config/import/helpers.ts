/**
 * Top-level variables a Python config defines only to build other fields: OpenMixup's dataset bases define
 * `data_source_cfg`, `data_train_list`, `dataset_type`, `img_norm_cfg`, `train_pipeline`, ... and use them inside
 * `data`. mmcv keeps every top-level name in the config; mixup's schema has none of these, so a name that is not a
 * mixup field and whose value is found inside a mixup field (equal to a value there, or, for a dict spread with
 * `**`, every one of its keys present with the same value in a dict there) is dropped as a helper. Numbers,
 * booleans, null and empty values are never taken for helpers: a top-level `foo = 1` is listed as unmapped.
 */
import {isDeepStrictEqual} from 'node:util';
import {isObject, type JsonObject} from '../load';
import {CONFIG_SCHEMA} from '../schema';
import {note, type ImportNote} from './types';

/** The top-level fields of mixup's config schema. */
export const CONFIG_FIELDS: readonly string[] = Object.keys((CONFIG_SCHEMA as {properties: Record<string, unknown>}).properties);

/** Whether `dict`'s entries all appear, equal, in `inside`. */
function spreadInto(dict: JsonObject, inside: JsonObject): boolean {
  return Object.entries(dict).every(([key, value]) => Object.hasOwn(inside, key) && isDeepStrictEqual(inside[key], value));
}

/** Whether `value` is used somewhere within `tree` (see the module comment). */
export function usedWithin(value: unknown, tree: unknown): boolean {
  if (isDeepStrictEqual(value, tree)) return true;
  if (isObject(value) && isObject(tree) && spreadInto(value, tree)) return true;
  if (Array.isArray(tree)) return tree.some((item) => usedWithin(value, item));
  if (isObject(tree)) return Object.values(tree).some((item) => usedWithin(value, item));
  return false;
}

const substantial = (value: unknown): boolean =>
  (typeof value === 'string' && value !== '') || (Array.isArray(value) && value.length > 0) || (isObject(value) && Object.keys(value).length > 0);

/**
 * Removes (in place) the top-level names of `config` that are not mixup fields and whose value is used inside one.
 * @param evaluated the config as Python left it: uses are looked for there, since a rule may since have changed
 *   the field that used the helper (`prefetch` appends a step to `data.train.pipeline`, once `train_pipeline`)
 */
export function dropHelperVariables(config: JsonObject, evaluated: JsonObject = config): ImportNote[] {
  const notes: ImportNote[] = [];
  const fields = Object.keys(evaluated).filter((key) => CONFIG_FIELDS.includes(key));
  for (const key of Object.keys(config)) {
    if (CONFIG_FIELDS.includes(key) || !Object.hasOwn(evaluated, key)) continue;
    const value = evaluated[key];
    const user = substantial(value) ? fields.find((field) => usedWithin(value, evaluated[field])) : undefined;
    if (user !== undefined) {
      notes.push(note('helper', key, `helper variable used inside ${user}; dropped`));
      delete config[key];
    }
  }
  return notes;
}

/**
 * Drops `_`-prefixed names, at any depth. mmcv acts on `_base_` and `_delete_` (the evaluator did); what is left is
 * private to the Python file: a `_delete_` mmcv keeps where there was no base value to replace, `_deprecation_`, or a
 * helper such as `_lr = 0.1`. mmcv itself drops only `__dunder__` names; mixup's schema has no `_` field.
 */
import {isObject, type JsonObject} from '../load';
import {note, type ImportNote} from './types';
import {joinPath} from './paths';

function walk(value: unknown, at: Array<string | number>, notes: ImportNote[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, [...at, i], notes));
  } else if (isObject(value)) {
    for (const key of Object.keys(value)) {
      if (key.startsWith('_')) {
        notes.push(note('private', joinPath([...at, key]), `private name ${key} dropped`));
        delete value[key];
      } else {
        walk(value[key], [...at, key], notes);
      }
    }
  }
}

/** Removes every `_`-prefixed key of `config` (in place) and returns a note for each. */
export function dropPrivateNames(config: JsonObject): ImportNote[] {
  const notes: ImportNote[] = [];
  walk(config, [], notes);
  return notes;
}

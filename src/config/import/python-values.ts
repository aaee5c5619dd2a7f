/**
 * Values JSON cannot hold (a set, a class, an object, NaN): the evaluator writes them as
 * `{"__python__": TYPE, "repr": REPR}`. Each is left out of the config and listed by its dotted path.
 */
import {isObject, type JsonObject} from '../load';
import {joinPath} from './paths';
import {note, type ImportNote} from './types';

/** The evaluator's marker key (scripts/mmcv_fromfile.py `PYTHON_VALUE`). */
export const PYTHON_VALUE = '__python__';

const isPythonValue = (value: unknown): value is {__python__: string; repr: string} => isObject(value) && typeof value[PYTHON_VALUE] === 'string';

function walk(value: unknown, at: Array<string | number>, notes: ImportNote[]): void {
  if (Array.isArray(value)) {
    for (let i = value.length - 1; i >= 0; i--) {
      if (isPythonValue(value[i])) {
        notes.push(describe(value[i], [...at, i]));
        value.splice(i, 1);
      } else walk(value[i], [...at, i], notes);
    }
  } else if (isObject(value)) {
    for (const [key, inner] of Object.entries(value)) {
      if (isPythonValue(inner)) {
        notes.push(describe(inner, [...at, key]));
        delete value[key];
      } else walk(inner, [...at, key], notes);
    }
  }
}

function describe(value: {__python__: string; repr: string}, at: Array<string | number>): ImportNote {
  return note('unmapped', joinPath(at), `a Python ${value.__python__} (${value.repr}) has no JSON form; left out`);
}

/** Removes the non-JSON Python values of `config` (in place) and returns a note for each. */
export function dropPythonValues(config: JsonObject): ImportNote[] {
  const notes: ImportNote[] = [];
  walk(config, [], notes);
  return notes.reverse();
}

/**
 * Filling in a validated config's defaults: the schema's `default`s (`withDefault` in `schema-kit.ts`, the arg
 * catalog's for `model.head.loss`) written into a copy, so that each room receives every field it reads and none
 * keeps a fallback of its own.
 */
import type {Static, TSchema} from '@sinclair/typebox';
import Ajv, {type ValidateFunction} from 'ajv';

const fillers = new WeakMap<TSchema, ValidateFunction>();

/**
 * A copy of `value` with the defaults of `schema` filled in (the input is not modified).
 * @param value a value `schema` accepts (validate it first: an invalid value is returned unchecked)
 */
export function fillDefaults<T extends TSchema>(schema: T, value: unknown): Static<T> {
  let fill = fillers.get(schema);
  if (!fill) {
    fill = new Ajv({useDefaults: true, strict: false, strictNumbers: true}).compile(schema);
    fillers.set(schema, fill);
  }
  // a JSON copy, not structuredClone: an object given twice in code (`{train: split, val: split}`) becomes two, so
  // that each place gets its own defaults (data.val's source reads another split than data.train's)
  const copy: unknown = value === undefined ? value : JSON.parse(JSON.stringify(value));
  fill(copy);
  return copy as Static<T>;
}

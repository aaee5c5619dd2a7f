/**
 * Validation of the data section's fields (the config room lets `data_source` and `pipeline` through unchecked).
 * Every error names the dotted field, what was expected and the value that came in.
 */
import {showValue as show, usageError} from '../errors';

/** A JSON object read from a config, with the dotted path it came from (`data.train.data_source`). */
export interface Fields {
  obj: Record<string, unknown>;
  at: string;
}

/** Wraps `value` as an object field, or throws naming `at`. */
export function asFields(value: unknown, at: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw usageError(`${at} must be an object, got ${show(value)}`);
  }
  return {obj: value as Record<string, unknown>, at};
}

/** Throws if `f` has a key not in `known` (catches typos such as `list_flie`). */
export function checkKnownKeys(f: Fields, known: readonly string[]): void {
  for (const key of Object.keys(f.obj)) {
    if (!known.includes(key)) throw usageError(`${f.at}.${key} is not a known field; expected one of: ${known.join(', ')}`);
  }
}

export function optString(f: Fields, key: string): string | undefined {
  const v = f.obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length === 0) throw usageError(`${f.at}.${key} must be a non-empty string, got ${show(v)}`);
  return v;
}

export function reqString(f: Fields, key: string): string {
  const v = optString(f, key);
  if (v === undefined) throw usageError(`${f.at}.${key} is required (a string)`);
  return v;
}

export function optEnum<T extends string>(f: Fields, key: string, allowed: readonly T[], fallback: T): T {
  const v = f.obj[key] ?? fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw usageError(`${f.at}.${key} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${show(f.obj[key])}`);
  }
  return v as T;
}

export function optBool(f: Fields, key: string, fallback: boolean): boolean {
  const v = f.obj[key] ?? fallback;
  if (typeof v !== 'boolean') throw usageError(`${f.at}.${key} must be true or false, got ${show(v)}`);
  return v;
}

/** Integer in [min, max]; `fallback` when absent (undefined fallback = required). */
export function optInt(f: Fields, key: string, min: number, fallback?: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = f.obj[key] ?? fallback;
  if (v === undefined) throw usageError(`${f.at}.${key} is required (an integer >= ${min})`);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw usageError(`${f.at}.${key} must be an integer ${range}, got ${show(f.obj[key])}`);
  }
  return v;
}

/** Number in [min, max]; `fallback` when absent. */
export function optNumber(f: Fields, key: string, min: number, max: number, fallback: number): number {
  const v = f.obj[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw usageError(`${f.at}.${key} must be a number in [${min}, ${max}], got ${show(f.obj[key])}`);
  }
  return v;
}

/** Array of `length` finite numbers (each checked by `ok`); `fallback` when absent. */
export function optNumbers(f: Fields, key: string, length: number, fallback: number[], ok: (x: number) => boolean, what: string): number[] {
  const v = f.obj[key] ?? fallback;
  if (!Array.isArray(v) || v.length !== length || v.some((x) => typeof x !== 'number' || !Number.isFinite(x) || !ok(x))) {
    throw usageError(`${f.at}.${key} must be ${length} numbers (${what}), got ${show(f.obj[key])}`);
  }
  return v as number[];
}

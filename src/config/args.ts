/**
 * Options objects read field by field (`model.mix_args.<method>`, `model.head.loss`): `ArgReader` checks each field
 * once and throws a usage `MixupError` naming the dotted field, what was expected and the value; `readArgs` does the
 * same from a declarative `ArgSpecs` (the method catalog's `args`), so that `validate` and the mixers that train with
 * the arguments read them with one code path and one wording.
 */
import {showValue as show, usageError} from '../errors';

/** Numeric constraints of one field. */
export interface NumberRule {
  /** smallest allowed value (inclusive unless `exclusiveMin`) */
  min?: number;
  exclusiveMin?: boolean;
  /** largest allowed value (inclusive) */
  max?: number;
  integer?: boolean;
}

function describe(rule: NumberRule): string {
  const kind = rule.integer ? 'an integer' : 'a number';
  if (rule.min !== undefined && rule.max !== undefined) return `${kind} in ${rule.exclusiveMin ? '(' : '['}${rule.min}, ${rule.max}]`;
  const parts = [kind];
  if (rule.min !== undefined) parts.push(`${rule.exclusiveMin ? '>' : '>='} ${rule.min}`);
  if (rule.max !== undefined) parts.push(`<= ${rule.max}`);
  return parts.join(' ');
}

/** Checks one number against a rule; `field` is the full dotted name used in the error. */
export function checkNumber(value: unknown, field: string, rule: NumberRule = {}): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || (rule.exclusiveMin ? value > rule.min : value >= rule.min)) &&
    (rule.max === undefined || value <= rule.max);
  if (!ok) throw usageError(`${field} must be ${describe(rule)}, got ${show(value)}`);
  return value as number;
}

/**
 * Reads the fields of one options object (`where` = its dotted path, e.g. `model.mix_args.fmix`), applying defaults;
 * `done()` rejects fields nobody read, so a typo in a config is an error rather than a silently ignored option.
 */
export class ArgReader {
  private readonly seen = new Set<string>();

  constructor(
    private readonly raw: Record<string, unknown>,
    private readonly where: string,
  ) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw usageError(`${where} must be an object of options, got ${show(raw)}`);
    }
  }

  private get(field: string): unknown {
    this.seen.add(field);
    return this.raw[field];
  }

  /** Full dotted name of a field, for messages. */
  name(field: string): string {
    return `${this.where}.${field}`;
  }

  number(field: string, def: number, rule: NumberRule = {}): number {
    const v = this.get(field);
    return v === undefined ? def : checkNumber(v, this.name(field), rule);
  }

  /** A number or null (`top_k: null` = derive it). */
  nullableNumber(field: string, def: number | null, rule: NumberRule = {}): number | null {
    const v = this.get(field);
    if (v === undefined) return def;
    return v === null ? null : checkNumber(v, this.name(field), rule);
  }

  /** A `[low, high]` pair (a single number v means `[v, v]`), both within `rule`, low <= high. */
  range(field: string, def: [number, number], rule: NumberRule = {}): [number, number] {
    const v = this.get(field);
    if (v === undefined) return [...def];
    if (typeof v === 'number') {
      const x = checkNumber(v, this.name(field), rule);
      return [x, x];
    }
    if (!Array.isArray(v) || v.length !== 2) {
      throw usageError(`${this.name(field)} must be a number or a [low, high] pair, got ${show(v)}`);
    }
    const lo = checkNumber(v[0], `${this.name(field)}[0]`, rule);
    const hi = checkNumber(v[1], `${this.name(field)}[1]`, rule);
    if (lo > hi) throw usageError(`${this.name(field)} must be [low, high] with low <= high, got ${show(v)}`);
    return [lo, hi];
  }

  bool(field: string, def: boolean): boolean {
    const v = this.get(field);
    if (v === undefined) return def;
    if (typeof v !== 'boolean') throw usageError(`${this.name(field)} must be true or false, got ${show(v)}`);
    return v;
  }

  /** One of the allowed strings. */
  choice<T extends string>(field: string, def: T, allowed: readonly T[]): T {
    const v = this.get(field);
    if (v === undefined) return def;
    if (typeof v !== 'string' || !allowed.includes(v as T)) {
      throw usageError(`${this.name(field)} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${show(v)}`);
    }
    return v as T;
  }

  /** Throws when the object holds a field no `number/range/bool` call read. */
  done(): void {
    const unknown = Object.keys(this.raw).filter((k) => !this.seen.has(k));
    if (unknown.length > 0) {
      throw usageError(
        `${this.where} has unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; known: ${[...this.seen].join(', ') || '(none)'}`,
      );
    }
  }
}

/** One field of an options object: its kind, default and bounds. */
export type ArgSpec =
  | {type: 'number'; default: number; rule?: NumberRule}
  /** a number or null (`top_k: null` = derive it) */
  | {type: 'nullableNumber'; default: number | null; rule?: NumberRule}
  /** a `[low, high]` pair or one number v (= `[v, v]`); `halfOpen`: `[low, high)`, low < high */
  | {type: 'range'; default: number | readonly [number, number]; rule?: NumberRule; halfOpen?: boolean}
  | {type: 'bool'; default: boolean}
  | {type: 'choice'; default: string; allowed: readonly string[]};

/** The fields of one options object, by name. */
export type ArgSpecs = Readonly<Record<string, ArgSpec>>;

/** The value a config may give for a field of kind `S` (a range: one number or a pair). */
export type ArgGiven<S extends ArgSpec> = S extends {type: 'number'}
  ? number
  : S extends {type: 'nullableNumber'}
    ? number | null
    : S extends {type: 'range'}
      ? number | [number, number]
      : S extends {type: 'bool'}
        ? boolean
        : S extends {type: 'choice'; allowed: readonly (infer A)[]}
          ? A
          : never;

/** The value `readArgs` returns for a field of kind `S` (a range as a `[low, high]` pair). */
export type ArgRead<S extends ArgSpec> = S extends {type: 'range'} ? [number, number] : ArgGiven<S>;

/** An options object as a config gives it: the fields of `R` present, the others optional. */
export type ArgInput<S extends ArgSpecs, R extends keyof S = never> = {[K in Exclude<keyof S, R>]?: ArgGiven<S[K]>} & {[K in R]: ArgGiven<S[K]>};

/** An options object as `readArgs` returns it: every field, defaults filled in. */
export type ArgValues<S extends ArgSpecs> = {[K in keyof S]: ArgRead<S[K]>};

/** The defaults of `specs`, as a config would spell them (`mixup methods` shows them). */
export function defaultsOf(specs: ArgSpecs): Record<string, unknown> {
  return Object.fromEntries(Object.entries(specs).map(([field, spec]) => [field, spec.default]));
}

const asPair = (v: number | readonly [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : [...v]);

/**
 * Reads `raw` (`where` = its dotted path) field by field as `specs` say, defaults filled in; a field `specs` does not
 * name is an error.
 * @throws MixupError (usage) naming the first bad field, what was expected and the value
 */
export function readArgs(specs: ArgSpecs, raw: Record<string, unknown>, where: string): Record<string, unknown> {
  const r = new ArgReader(raw, where);
  const out: Record<string, unknown> = {};
  for (const [field, spec] of Object.entries(specs)) {
    switch (spec.type) {
      case 'number':
        out[field] = r.number(field, spec.default, spec.rule);
        break;
      case 'nullableNumber':
        out[field] = r.nullableNumber(field, spec.default, spec.rule);
        break;
      case 'range': {
        const pair = r.range(field, asPair(spec.default), spec.rule);
        if (spec.halfOpen && pair[1] <= pair[0]) throw usageError(`${r.name(field)} must be [low, high) with low < high, got ${show(raw[field])}`);
        out[field] = pair;
        break;
      }
      case 'bool':
        out[field] = r.bool(field, spec.default);
        break;
      case 'choice':
        out[field] = r.choice(field, spec.default, spec.allowed);
        break;
    }
  }
  r.done();
  return out;
}

/** The JSON schema of one `ArgSpec` (for the config schema), described in the words `ArgReader` uses. */
export function argSchema(spec: ArgSpec): Record<string, unknown> {
  const num = (rule: NumberRule = {}): Record<string, unknown> => ({
    type: rule.integer ? 'integer' : 'number',
    ...(rule.min === undefined ? {} : rule.exclusiveMin ? {exclusiveMinimum: rule.min} : {minimum: rule.min}),
    ...(rule.max === undefined ? {} : {maximum: rule.max}),
    description: describe(rule),
  });
  switch (spec.type) {
    case 'number':
      return num(spec.rule);
    case 'nullableNumber':
      return {anyOf: [num(spec.rule), {type: 'null'}], description: `${describe(spec.rule ?? {})} or null`};
    case 'range':
      return {anyOf: [num(spec.rule), {type: 'array', items: num(spec.rule), minItems: 2, maxItems: 2}], description: `${describe(spec.rule ?? {})} or a [low, high] pair of them`};
    case 'bool':
      return {type: 'boolean', description: 'true or false'};
    case 'choice':
      return {enum: [...spec.allowed], description: `one of ${spec.allowed.map((a) => JSON.stringify(a)).join(', ')}`};
  }
}

/** The schema properties of `specs`, one per field. */
export function argSchemas(specs: ArgSpecs): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(specs).map(([field, spec]) => [field, argSchema(spec)]));
}

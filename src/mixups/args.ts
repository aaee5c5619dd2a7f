/**
 * Validation of `model.mix_args.<method>` (and of the loss options): one reader per method that checks each field
 * once, when a run is built, and throws a usage `MixupError` naming the dotted field, what was expected and the value.
 */
import {usageError} from '../errors';

/** Numeric constraints of one field. */
export interface NumberRule {
  /** smallest allowed value (inclusive unless `exclusiveMin`) */
  min?: number;
  exclusiveMin?: boolean;
  /** largest allowed value (inclusive) */
  max?: number;
  integer?: boolean;
}

function show(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

function describe(rule: NumberRule): string {
  const parts = [rule.integer ? 'an integer' : 'a number'];
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

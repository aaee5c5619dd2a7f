/**
 * Reading an OpenMixup `model` config dict (the ResNet spec, the AutoMix model and its Mix Block): every error names
 * the config file, the dotted field (`model.mix_block.lam_mul`) and the value, and says what was expected.
 */
import {MixupError, notImplemented, usageError, showValue} from '../errors';

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Field reader for one dict at `path` (e.g. "model.mix_block") of the config `source`. */
export class Fields {
  constructor(readonly source: string, readonly path: string, readonly obj: Obj) {}

  /** The reader of the sub-dict `key`. */
  static of(source: string, path: string, v: unknown): Fields {
    if (!isObj(v)) throw usageError(`${source}: ${path} must be an object, got ${showValue(v)}`);
    return new Fields(source, path, v);
  }

  /** `<source>: <path>.<key> <expected>, got <value>`, a usage error (or `category` notImplemented). */
  error(key: string, expected: string, got: unknown = this.obj[key], category: 'usage' | 'notImplemented' = 'usage'): MixupError {
    const message = `${this.source}: ${this.path}.${key} ${expected}, got ${showValue(got)}`;
    return category === 'usage' ? usageError(message) : notImplemented(message);
  }

  unsupported(key: string, expected: string, got: unknown = this.obj[key]): MixupError {
    return notImplemented(`${this.source}: ${this.path}.${key} ${expected}, got ${showValue(got)} (not implemented)`);
  }

  /** Refuses keys outside `known`, listing them. */
  known(known: readonly string[]): void {
    const bad = Object.keys(this.obj).find((k) => !known.includes(k));
    if (bad !== undefined) throw this.error(bad, `is not a known option (known: ${known.join(', ')})`);
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined && this.obj[key] !== null;
  }

  number(key: string, dflt: number | undefined, min = -Infinity, max = Infinity): number {
    const v = this.obj[key] ?? dflt;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      const range = min > -Infinity && max < Infinity ? `in [${min}, ${max}]` : min > -Infinity ? `>= ${min}` : `<= ${max}`;
      throw this.error(key, `must be a number ${range}`, v);
    }
    return v;
  }

  int(key: string, dflt: number | undefined, min: number): number {
    const v = this.obj[key] ?? dflt;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw this.error(key, `must be an integer >= ${min}`, v);
    return v;
  }

  bool(key: string, dflt: boolean): boolean {
    const v = this.obj[key] ?? dflt;
    if (typeof v !== 'boolean') throw this.error(key, 'must be true or false', v);
    return v;
  }

  /** A setting only its default value of is implemented (null / false / 0 / a given value). */
  onlyDefault(key: string, allowed: readonly unknown[], what: string): void {
    const v = this.obj[key];
    if (v === undefined || allowed.some((a) => a === v)) return;
    throw this.unsupported(key, `must be ${what}`, v);
  }
}

/**
 * One error type for every failure a user can cause or fix, and one exit-code table.
 *
 * Modules throw `MixupError` with a category; commands let it propagate (or call `this.error(msg, {exit})`),
 * and `bin/run.js` / oclif turn it into the exit code below. Messages name the file, the dotted field and the
 * value that was wrong, and say what was expected, e.g.
 * `configs/x.json: model.alpha must be a number or an array of numbers, got "abc"`.
 */
export const EXIT_CODES = {
  /** Bad flags or arguments, unknown names, a config that does not validate. */
  usage: 2,
  /** Missing, unreadable or corrupt input data (images, list files, logs). */
  data: 3,
  /** A tfjs backend that cannot be loaded, or the native addon failing. */
  backend: 4,
  /** Refusing to overwrite or lose something the user has (use --force), or an I/O failure writing results. */
  io: 5,
  /** Training failed at run time (NaN/Inf loss, diverged, interrupted beyond resume). */
  train: 6,
  /** A feature that is declared but not implemented yet: never a silent fallback. */
  notImplemented: 7,
} as const;

export type ErrorCategory = keyof typeof EXIT_CODES;

export interface MixupErrorOptions {
  /** Hints printed after the message ("Run `mixup methods` to list them"). */
  suggestions?: string[];
  /** The underlying error, if any. */
  cause?: unknown;
}

/** Longest line of a `MixupError` message; longer lines (a 1 MB unknown key...) are elided in the middle. */
export const MAX_MESSAGE_LINE = 2000;

/**
 * `text` with every line longer than `max` characters cut in the middle:
 * `configs/x.json: unknown key "aaaa…[1048000 characters elided]…aaaa"`.
 */
export function elideLines(text: string, max = MAX_MESSAGE_LINE): string {
  if (text.length <= max) return text;
  const keep = Math.floor((max - 40) / 2);
  return text
    .split('\n')
    .map((line) => (line.length <= max ? line : `${line.slice(0, keep)}…[${line.length - 2 * keep} characters elided]…${line.slice(-keep)}`))
    .join('\n');
}

/**
 * An error meant for the user: its message is printed as is (lines longer than `MAX_MESSAGE_LINE` elided) and the
 * process exits with `EXIT_CODES[category]`.
 */
export class MixupError extends Error {
  readonly category: ErrorCategory;
  readonly exitCode: number;
  readonly suggestions: string[];

  constructor(category: ErrorCategory, message: string, options: MixupErrorOptions = {}) {
    super(elideLines(message), options.cause === undefined ? undefined : {cause: options.cause});
    this.name = 'MixupError';
    this.category = category;
    this.exitCode = EXIT_CODES[category];
    this.suggestions = options.suggestions ?? [];
  }
}

/** Shorthand: `usageError('unknown dataset "foo"; known: cub200, aircraft')`. */
export function usageError(message: string, options?: MixupErrorOptions): MixupError {
  return new MixupError('usage', message, options);
}

export function dataError(message: string, options?: MixupErrorOptions): MixupError {
  return new MixupError('data', message, options);
}

export function notImplemented(message: string, options?: MixupErrorOptions): MixupError {
  return new MixupError('notImplemented', message, options);
}

export function isMixupError(error: unknown): error is MixupError {
  return error instanceof MixupError;
}

/** How a message says a value is not there (`data.val must be an object, got nothing`): one word, in every room. */
export const MISSING_VALUE = 'nothing';

/** Longest value `showValue` prints whole. */
const MAX_SHOWN_VALUE = 80;

/**
 * A value as every error message shows it: its JSON, cut to 80 characters; `Infinity`/`NaN` as JavaScript spells
 * them (JSON would write `null`); a missing value (`undefined`) as {@link MISSING_VALUE}.
 */
export function showValue(value: unknown): string {
  if (value === undefined) return MISSING_VALUE;
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `\u0000${v}\u0000` : v)).replace(/"\\u0000(-?Infinity|NaN)\\u0000"/g, '$1');
  if (text === undefined) return String(value); // a function or symbol: not from JSON, shown as JavaScript would
  return text.length > MAX_SHOWN_VALUE ? `${text.slice(0, MAX_SHOWN_VALUE - 3)}...` : text;
}

/** `<field> must be <expected>, got <value>`: the one sentence for a field holding a wrong value. */
export function fieldMessage(field: string, expected: string, value: unknown): string {
  return `${field} must be ${expected}, got ${showValue(value)}`;
}

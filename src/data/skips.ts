/**
 * Accounting of the samples a loader could not load: why each one failed (`SkipKind`), counts by reason, the first
 * few paths, and the limits that turn skipping into an error (`data.strict`, `data.max_skip_fraction`).
 */
import {dataError, MixupError} from '../errors';
import type {Dataset, SkippedFile} from './types';

/** Why a sample could not be loaded. */
export const SKIP_KINDS = ['missing', 'not-a-file', 'zero-byte', 'unreadable', 'truncated', 'undecodable'] as const;
export type SkipKind = (typeof SKIP_KINDS)[number];

/** How many paths a warning or an error names. */
export const EXAMPLES_SHOWN = 3;

/** A sample that failed in a known way; the message is in a user's words ("file not found"). */
export class SampleError extends Error {
  constructor(readonly kind: SkipKind, message: string) {
    super(message);
    this.name = 'SampleError';
  }
}

/** The kind and words of an error from reading or decoding one image. */
export function classify(error: unknown): {kind: SkipKind; reason: string} {
  if (error instanceof SampleError) return {kind: error.kind, reason: error.message};
  const code = (error as NodeJS.ErrnoException).code;
  const message = String((error as Error)?.message ?? error).split('\n')[0];
  if (code === 'ENOENT' || code === 'ENOTDIR') return {kind: 'missing', reason: 'file not found'};
  if (code === 'EISDIR') return {kind: 'not-a-file', reason: 'is a directory'};
  if (code === 'EACCES' || code === 'EPERM') return {kind: 'unreadable', reason: 'permission denied'};
  if (typeof code === 'string') return {kind: 'unreadable', reason: `cannot read (${code})`};
  // libvips: "VipsJpeg: Premature end of input file", "...: truncated", "unexpected end of file"
  if (/premature end|truncat|unexpected end|end of (file|stream|data)/i.test(message)) return {kind: 'truncated', reason: `truncated image: ${message}`};
  return {kind: 'undecodable', reason: `cannot decode: ${message}`};
}

/** `{count, by_reason, examples}` as written into the run's log meta. */
export interface SkipSummary {
  count: number;
  by_reason: Partial<Record<SkipKind, number>>;
  /** the first `EXAMPLES_SHOWN` skipped files with their reasons */
  examples: SkippedFile[];
}

/** Counts skipped samples by reason, keeping every skipped file in visiting order. */
export class SkipTally {
  readonly files: SkippedFile[] = [];
  private readonly counts = new Map<SkipKind, number>();

  add(file: SkippedFile): void {
    this.files.push(file);
    this.counts.set(file.kind, (this.counts.get(file.kind) ?? 0) + 1);
  }

  get count(): number {
    return this.files.length;
  }

  summary(): SkipSummary {
    const by_reason: SkipSummary['by_reason'] = {};
    for (const kind of SKIP_KINDS) if (this.counts.has(kind)) by_reason[kind] = this.counts.get(kind);
    return {count: this.count, by_reason, examples: this.files.slice(0, EXAMPLES_SHOWN)};
  }

  /** `missing 3, truncated 1` */
  reasons(): string {
    return SKIP_KINDS.filter((k) => this.counts.has(k)).map((k) => `${k} ${this.counts.get(k)}`).join(', ');
  }

  /** `a.jpg (file not found, listed at list.txt:2); b.jpg (...)` */
  examples(): string {
    const shown = this.files.slice(0, EXAMPLES_SHOWN).map((f) => `${f.path} (${f.reason}${f.where ? `, listed at ${f.where}` : ''})`);
    return shown.join('; ') + (this.count > EXAMPLES_SHOWN ? `; and ${this.count - EXAMPLES_SHOWN} more` : '');
  }
}

/** Where a split's images come from, for messages: `list data/meta/x.txt, root data/x/images`. */
export function sourceWords(dataset: Dataset): string {
  const root = dataset.root === '' ? '"" (the current directory)' : dataset.root;
  return dataset.listFile ? `list ${dataset.listFile}, root ${root}` : `root ${root}`;
}

/** The limits a loader enforces on skipped samples. */
export interface SkipLimits {
  /** `data.train` / `data.val`, for messages */
  at: string;
  /** any skip is an error */
  strict: boolean;
  /** fraction of the split's samples that may be skipped before the run stops */
  maxFraction: number;
  /** the config field that sets `maxFraction`, for messages */
  field: string;
}

/** The error for a skip under `strict`: names the file, the reason and the list line. */
export function strictError(file: SkippedFile): MixupError {
  return dataError(`${file.path}: cannot load image (${file.reason})${file.where ? `, listed at ${file.where}` : ''}`, {
    suggestions: ['Strict mode (--strict or data.strict) makes any unloadable image an error; fix or remove the entry.'],
  });
}

/**
 * Throws when the skipped samples of `tally` exceed the limits for a split of `total` samples: any skip under
 * `strict`, more than `floor(maxFraction * total)` otherwise, and always when `loaded === 0` at the end of an
 * epoch (`final`).
 */
export function checkSkips(tally: SkipTally, total: number, dataset: Dataset, limits: SkipLimits, final: boolean, loaded: number): void {
  if (tally.count === 0) return;
  if (limits.strict) throw strictError(tally.files[0]);
  const where = `${sourceWords(dataset)}; e.g. ${tally.examples()}`;
  if (tally.count >= total || (final && loaded === 0)) {
    throw dataError(`${limits.at}: none of the ${total} images could be loaded (${tally.reasons()}); ${where}`, {
      suggestions: ['List paths are relative to data_source.root: check that it points at the directory holding them.'],
    });
  }
  const allowed = Math.floor(limits.maxFraction * total);
  if (tally.count > allowed) {
    throw dataError(
      `${limits.at}: ${tally.count} of ${total} images could not be loaded (${tally.reasons()}), ` +
        `more than ${limits.field} = ${limits.maxFraction} allows (${allowed}); ${where}`,
      {suggestions: [`Fix the files, or raise ${limits.field} to accept them being skipped.`]},
    );
  }
}

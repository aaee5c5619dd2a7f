/**
 * The reference list format (OpenMixup's `ImageList` / `ImageNet` data sources): one `relative/path label` per line,
 * separated by a space, a comma or a semicolon, labels 0-based, paths relative to the data source's root.
 * Blank lines are ignored. Also the small text-file helpers the official layouts' readers share (files are written
 * through `src/io/write.ts`).
 */
import {dataError, showValue} from '../errors';
import {errorCode} from '../io/fs-error';
import {INPUT_LIMITS, readInputText} from '../io/read';
import type {Sample} from './types';

/** Separators the list format allows (`data_source.splitor`). */
export const SPLITORS = [' ', ',', ';'] as const;
export type Splitor = (typeof SPLITORS)[number];

/** One non-blank line of a text file with its 1-based line number. */
export interface Line {
  text: string;
  lineNo: number;
}

/** Reads a text file, or throws a data error naming it (and `what` it is, e.g. "CUB-200 images.txt"). */
export function readText(file: string, what: string): string {
  try {
    // a regular file of bounded size: a FIFO, /dev/zero or a directory is an error, not a hang
    return readInputText(file, {what, maxBytes: INPUT_LIMITS.list, shown: file});
  } catch (error) {
    if (errorCode((error as Error).cause) === 'ENOENT') throw dataError(`${file}: cannot read ${what}: file not found`, {cause: error});
    throw error;
  }
}

/** Non-blank lines (trimmed, CR removed) with their line numbers. */
export function readLines(file: string, what: string): Line[] {
  const lines: Line[] = [];
  readText(file, what)
    .split('\n')
    .forEach((raw, i) => {
      const text = raw.trim();
      if (text.length > 0) lines.push({text, lineNo: i + 1});
    });
  return lines;
}

/** Parses a base-10 integer field of a line, or throws naming file, line and value. */
export function parseIntField(value: string, file: string, line: Line, what: string): number {
  if (!/^[+-]?\d+$/.test(value)) {
    throw dataError(`${file}:${line.lineNo}: ${what} must be an integer, got ${showValue(value)} in line ${JSON.stringify(line.text)}`);
  }
  return Number.parseInt(value, 10);
}

/** Splits `text` at the first occurrence of `sep` (`id rest-with-spaces`); throws when `sep` is absent. */
export function splitFirst(line: Line, sep: string, file: string, expected: string): [string, string] {
  const at = line.text.indexOf(sep);
  if (at <= 0) throw dataError(`${file}:${line.lineNo}: expected "${expected}", got ${showValue(line.text)}`);
  return [line.text.slice(0, at).trim(), line.text.slice(at + 1).trim()];
}

/**
 * Reads a reference list file. The label is what follows the last separator, so paths may contain spaces when the
 * separator is a comma or semicolon.
 * @throws MixupError (data) naming the file and line for a missing separator (and the separator found instead),
 *   a non-integer or negative label, or an empty file.
 */
export function readImageList(file: string, splitor: Splitor): Sample[] {
  const samples: Sample[] = [];
  for (const line of readLines(file, 'image list')) {
    const at = line.text.lastIndexOf(splitor);
    if (at <= 0) {
      const other = SPLITORS.find((s) => s !== splitor && line.text.includes(s));
      const hint = other === undefined ? 'expected "path<sep>label"' : `found ${JSON.stringify(other)} instead: set data_source.splitor to ${JSON.stringify(other)}`;
      throw dataError(`${file}:${line.lineNo}: no ${JSON.stringify(splitor)} separator in ${JSON.stringify(line.text)}; ${hint}`);
    }
    const rel = line.text.slice(0, at).trim();
    const label = parseIntField(line.text.slice(at + 1).trim(), file, line, 'label');
    if (label < 0) throw dataError(`${file}:${line.lineNo}: label must be >= 0 (labels are 0-based), got ${label}`);
    samples.push({file: rel, label, where: `${file}:${line.lineNo}`});
  }
  if (samples.length === 0) throw dataError(`${file}: image list is empty`);
  return samples;
}

/** The text of a reference list: one `file<splitor>label` line per sample. */
export function formatImageList(samples: readonly Sample[], splitor: Splitor): string {
  return samples.map((s) => `${s.file}${splitor}${s.label}\n`).join('');
}

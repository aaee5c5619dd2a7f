/**
 * The reference list format (OpenMixup's `ImageList` / `ImageNet` data sources): one `relative/path label` per line,
 * separated by a space, a comma or a semicolon, labels 0-based, paths relative to the data source's root.
 * Blank lines are ignored. Also the small text-file helpers the official layouts' readers share.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {dataError, MixupError} from '../errors';
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
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw dataError(`${file}: cannot read ${what}: ${reason}`, {cause: error});
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
    throw dataError(`${file}:${line.lineNo}: ${what} must be an integer, got ${JSON.stringify(value)} in line ${JSON.stringify(line.text)}`);
  }
  return Number.parseInt(value, 10);
}

/** Splits `text` at the first occurrence of `sep` (`id rest-with-spaces`); throws when `sep` is absent. */
export function splitFirst(line: Line, sep: string, file: string, expected: string): [string, string] {
  const at = line.text.indexOf(sep);
  if (at <= 0) throw dataError(`${file}:${line.lineNo}: expected "${expected}", got ${JSON.stringify(line.text)}`);
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

/**
 * Writes `text` to `file` atomically (`file.tmp-<pid>` then rename), creating parent directories.
 * @throws MixupError (io) when the file exists and `force` is false, or on a write failure.
 */
export function writeFileAtomic(file: string, text: string, force: boolean): void {
  if (!force && fs.existsSync(file)) {
    throw new MixupError('io', `${file} already exists; use --force to overwrite it`);
  }
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.mkdirSync(path.dirname(file), {recursive: true});
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, {force: true});
    throw new MixupError('io', `${file}: cannot write: ${(error as Error).message}`, {cause: error});
  }
}

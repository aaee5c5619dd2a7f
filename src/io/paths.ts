/** How paths are shown to the user, and the check that keeps control characters out of paths and names. */
import * as path from 'node:path';
import {usageError} from '../errors';

/** A C0 control character or DEL (newline, tab, escape...). */
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * A path as the user should read it: relative to the current directory when inside it, absolute otherwise; a path
 * holding control characters (a newline...) is shown JSON-quoted so that it cannot break the line it is printed in.
 */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), path.resolve(file));
  const shown = rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? path.resolve(file) : rel;
  return CONTROL.test(shown) ? JSON.stringify(shown) : shown;
}

/** True when `text` holds a control character (C0 or DEL). */
export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text);
}

/**
 * Refuses a path or name with control characters (a newline in a path breaks generated scripts, list files and
 * logs line by line).
 * @param what what the text is, e.g. `--out` or `config path`
 * @throws MixupError (usage) naming `what`, the JSON-quoted value and the first offending character
 */
export function assertNoControlCharacters(text: string, what: string): string {
  const match = CONTROL.exec(text);
  if (match) {
    const code = match[0].charCodeAt(0).toString(16).padStart(4, '0');
    throw usageError(`${what}: ${JSON.stringify(text)} contains the control character U+${code.toUpperCase()}; paths and names may not contain control characters (newlines, tabs...)`);
  }
  return text;
}

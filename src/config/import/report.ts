/** The terminal lines of `mixup import-config` for the outcomes of `runImport`. */
import {displayPath} from '../files';
import type {ImportOutcome} from './convert';
import type {ImportNoteKind} from './types';

const KINDS: readonly ImportNoteKind[] = ['mapped', 'default', 'helper', 'private', 'unmapped'];

/** `3 mapped, 9 default, ...` for the kinds present (`no changes` when none). */
export function countNotes(outcome: ImportOutcome): string {
  const counts = KINDS.map((kind) => [kind, outcome.notes.filter((n) => n.kind === kind).length] as const).filter(([, n]) => n > 0);
  return counts.length === 0 ? 'no changes' : counts.map(([kind, n]) => `${n} ${kind}`).join(', ');
}

/**
 * Lines for one outcome: `imported SRC -> TARGET (counts)` or `failed SRC`, then the notes (every note when
 * `verbose`, else the unmapped ones) and the problems, indented.
 */
export function outcomeLines(outcome: ImportOutcome, verbose: boolean): string[] {
  const head = outcome.written
    ? `imported  ${displayPath(outcome.source)} -> ${displayPath(outcome.target)} (${countNotes(outcome)})`
    : `failed    ${displayPath(outcome.source)}`;
  const notes = outcome.notes.filter((n) => verbose || n.kind === 'unmapped').map((n) => `  ${n.kind.padEnd(9)} ${n.path}: ${n.message}`);
  const problems = outcome.problems.map((p) => `  problem   ${p}`);
  return [head, ...notes, ...problems];
}

/** The closing line: `2 imported, 1 failed; 4 fields not mapped (listed above)`. */
export function summaryLine(outcomes: ImportOutcome[]): string {
  const written = outcomes.filter((o) => o.written).length;
  const unmapped = outcomes.reduce((n, o) => n + o.notes.filter((x) => x.kind === 'unmapped').length, 0);
  return `${written} imported, ${outcomes.length - written} failed; ${unmapped} field(s) not mapped${unmapped > 0 ? ' (listed above)' : ''}`;
}

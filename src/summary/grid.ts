/**
 * A result table as plain cells, rendered as a terminal table (cli-table3), Markdown (the reference page's layout:
 * the first header row is the Markdown header, the others are body rows), LaTeX (`tabular`, no extra packages) or
 * CSV (all rows, header rows first, best marks and notes dropped: CSV is data; a grid with `parts` gives each value
 * column as several CSV columns, e.g. mean, std, n).
 */
import Table from 'cli-table3';
import {stringify} from 'csv-stringify/sync';

/** One cell. `best` marks the best value of its column. */
export interface GridCell {
  text: string;
  /** Markdown text when it differs from `text` (e.g. `$\alpha$`) */
  md?: string;
  /** LaTeX text when it differs (already escaped) */
  tex?: string;
  best?: boolean;
  /** CSV fields of a value cell when the grid has `parts` (default: the text, then empty fields) */
  parts?: string[];
}

/** A table: header rows then body rows, all of the same length. The first `labelColumns` columns are labels. */
export interface Grid {
  title: string;
  header: GridCell[][];
  rows: GridCell[][];
  labelColumns: number;
  /** lines printed under the table (not in CSV) */
  notes?: string[];
  /** CSV only: names of the fields each value column is split into (an extra header row), e.g. `['mean', 'std', 'n']` */
  parts?: string[];
}

/** Output formats of `summarize` and `compare` (`json` is handled by the commands). */
export const TABLE_FORMATS = ['table', 'markdown', 'latex', 'csv', 'json'] as const;
/** One of `TABLE_FORMATS`. */
export type TableFormat = (typeof TABLE_FORMATS)[number];

/** Renders a grid in one of the text formats. */
export function renderGrid(grid: Grid, format: Exclude<TableFormat, 'json'>): string {
  switch (format) {
    case 'markdown':
      return renderMarkdown(grid);
    case 'latex':
      return renderLatex(grid);
    case 'csv':
      return renderCsv(grid);
    default:
      return renderTable(grid);
  }
}

/** Terminal table; the best value of a column is followed by ` *` (and a footnote says so). */
export function renderTable(grid: Grid): string {
  const table = new Table({style: {head: [], border: []}});
  for (const row of grid.header) table.push(row.map((c) => c.text));
  for (const row of grid.rows) table.push(row.map((c) => (c.best ? `${c.text} *` : c.text)));
  const marked = grid.rows.some((row) => row.some((c) => c.best));
  const notes = [...(marked ? ['(* best of its column)'] : []), ...(grid.notes ?? [])];
  return [grid.title, table.toString(), ...notes].join('\n');
}

/** Markdown in the reference page's layout (the title as a paragraph above it); best values in bold. */
export function renderMarkdown(grid: Grid): string {
  const all = [...grid.header, ...grid.rows].map((row) => row.map((c) => escapeMd(c.md ?? c.text, c.best)));
  const widths = all[0].map((_, j) => Math.max(3, ...all.map((row) => row[j].length)));
  const line = (row: string[]): string => `| ${row.map((cell, j) => cell.padEnd(widths[j])).join(' | ')} |`;
  const rule = `|${widths.map((w, j) => (j === 0 ? `-${'-'.repeat(w)}-` : `:${'-'.repeat(w)}:`)).join('|')}|`;
  const notes = grid.notes?.length ? ['', ...grid.notes.map((n) => escapeMd(n))] : [];
  return [`${grid.title}`, '', line(all[0]), rule, ...all.slice(1).map(line), ...notes].join('\n');
}

/** LaTeX `tabular` (first column left, the rest centred, `\hline` under the header); best values in `\textbf`. */
export function renderLatex(grid: Grid): string {
  const columns = grid.header[0].length;
  const cell = (c: GridCell): string => {
    const text = c.tex ?? escapeTex(c.text);
    return c.best ? `\\textbf{${text}}` : text;
  };
  const lines = [`% ${escapeTex(grid.title)}`, `\\begin{tabular}{l${'c'.repeat(columns - 1)}}`, '\\hline'];
  for (const row of grid.header) lines.push(`${row.map(cell).join(' & ')} \\\\`);
  lines.push('\\hline');
  for (const row of grid.rows) lines.push(`${row.map(cell).join(' & ')} \\\\`);
  lines.push('\\hline', '\\end{tabular}');
  for (const note of grid.notes ?? []) lines.push(`\\par{\\footnotesize ${escapeTex(note)}}`);
  return lines.join('\n');
}

/** CSV of all rows (header rows first), RFC 4180 quoting; with `parts`, each value column becomes that many columns. */
export function renderCsv(grid: Grid): string {
  const parts = grid.parts;
  if (parts === undefined) return stringify([...grid.header, ...grid.rows].map((row) => row.map((c) => c.text))).trimEnd();
  const split = (row: GridCell[], cellParts: (c: GridCell) => string[]): string[] =>
    row.flatMap((c, j) => (j < grid.labelColumns ? [c.text] : cellParts(c)));
  const header = grid.header.map((row) => split(row, (c) => parts.map(() => c.text)));
  const names = split(grid.header[grid.header.length - 1].map((c, j) => (j < grid.labelColumns ? {text: ''} : c)), () => parts);
  const body = grid.rows.map((row) => split(row, (c) => c.parts ?? [c.text, ...parts.slice(1).map(() => '')]));
  return stringify([...header, names, ...body]).trimEnd();
}

/** Escapes LaTeX special characters of plain text (and writes `±` as `$\pm$`, which needs no package). */
export function escapeTex(text: string): string {
  return text.replace(/[\\&%$#_{}~^±]/g, (ch) => {
    if (ch === '±') return '$\\pm$';
    if (ch === '\\') return '\\textbackslash{}';
    if (ch === '~') return '\\textasciitilde{}';
    if (ch === '^') return '\\textasciicircum{}';
    return `\\${ch}`;
  });
}

function escapeMd(text: string, best?: boolean): string {
  const escaped = text.replace(/\|/g, '\\|');
  return best ? `**${escaped}**` : escaped;
}

/**
 * Formats a number as the reference tools' Python `'{:.2f}'.format` does, `-` when absent. Both round the exact
 * binary value; they differ only on exact ties (78.125): Python rounds half to even (`78.12`), `toFixed` up.
 */
export function fmt(value: number | undefined, digits = 2): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  if (Math.abs(value) >= 1e15) return value.toFixed(digits);
  const exact = value.toFixed(60); // the exact decimal expansion of any |value| >= 2^-8
  const cut = exact.indexOf('.') + 1 + digits;
  if (digits > 0 && /^50*$/.test(exact.slice(cut)) && Number(exact[cut - 1]) % 2 === 0) return exact.slice(0, cut);
  return value.toFixed(digits);
}

/** Marks the cells with the highest number of each non-label column as best (ties all marked). */
export function markBest(grid: Grid, valueOf: (row: number, column: number) => number | undefined): void {
  const columns = grid.header[0].length;
  for (let j = grid.labelColumns; j < columns; j++) {
    let best = Number.NEGATIVE_INFINITY;
    grid.rows.forEach((_, i) => {
      const v = valueOf(i, j);
      if (v !== undefined && v > best) best = v;
    });
    if (best === Number.NEGATIVE_INFINITY) continue;
    grid.rows.forEach((row, i) => {
      if (valueOf(i, j) === best) row[j].best = true;
    });
  }
}

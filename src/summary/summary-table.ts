/**
 * The summary as a table in the reference page's layout: rows = methods (reference order) with their Beta α, columns
 * = dataset/backbone, two header rows (`Datasets | $Beta$ | CUB-200 ...`, `Backbones | $\alpha$ | ResNet-18 ...`).
 */
import * as path from 'node:path';
import {fmt, Grid, GridCell} from './grid';
import {bestBeyondSpread, noiseNote} from './noise';
import {methodOrder, mixesNothing} from '../config/methods';
import {backboneLabel, DATASETS, datasetLabel, methodLabel} from './runinfo';
import {MetricScore, SummaryResult, WorkDirSummary} from './summarize';

/** A column: one dataset and backbone (`?` when unknown). */
export interface Column {
  dataset: string;
  backbone: string;
}

/** A row: one method and α (and a variant name when two work dirs would share a cell). */
export interface Row {
  method?: string;
  alpha?: string;
  variant?: string;
  label: string;
}

/** The header cells shared by summary and compare tables. */
export const HEADER = {
  datasets: {text: 'Datasets'},
  beta: {text: 'Beta', md: '$Beta$', tex: '$\\mathrm{Beta}$'},
  backbones: {text: 'Backbones'},
  alpha: {text: 'alpha', md: '$\\alpha$', tex: '$\\alpha$'},
} satisfies Record<string, GridCell>;

/** Column sort key: reference dataset order, then ResNet before ResNeXt, then depth. */
export function compareColumns(a: Column, b: Column): number {
  const d = datasetIndex(a.dataset) - datasetIndex(b.dataset);
  if (d !== 0) return d;
  return backboneKey(a.backbone) - backboneKey(b.backbone) || a.backbone.localeCompare(b.backbone);
}

/** Row sort key: reference method order, then α. */
export function compareRows(a: Row, b: Row): number {
  return methodOrder(a.method) - methodOrder(b.method) || Number(a.alpha ?? 0) - Number(b.alpha ?? 0) || (a.variant ?? '').localeCompare(b.variant ?? '');
}

/** The α cell text: `-` for a method that does not mix (catalog kind `none`: vanilla), `?` when unknown. */
export function alphaText(method: string | undefined, alpha: string | undefined): string {
  return mixesNothing(method) ? '-' : (alpha ?? '?');
}

/**
 * The cell of a score: `78.40` for one run; `78.43 ± 0.70 (n=3)` (mean, population std, run count) for several, and
 * `78.40 (n=1)` when `showCount` (another cell of the table pools runs). CSV parts: mean, std, n.
 */
export function scoreCell(score: Pick<MetricScore, 'value' | 'std' | 'n'> | undefined, showCount: boolean): GridCell {
  if (score === undefined) return {text: '-', parts: ['', '', '']};
  const parts = [fmt(score.value), fmt(score.std), String(score.n)];
  if (score.n <= 1) return showCount ? {text: `${fmt(score.value)} (n=1)`, parts} : {text: fmt(score.value), parts};
  const count = ` (n=${score.n})`;
  return {text: `${fmt(score.value)} ± ${fmt(score.std)}${count}`, tex: `${fmt(score.value)} $\\pm$ ${fmt(score.std)}${count}`, parts};
}

/** The note under a table whose cells pool several runs: what the numbers are and when a best is marked. */
export const POOLED_NOTE = 'mean ± population std over n runs; a best value is marked only when its mean - std is above every other mean + std of its column';

/** Places each work dir in a row and column; two work dirs on one cell get separate rows named by their dir. */
export function layout(workDirs: WorkDirSummary[], metric: string): {rows: Row[]; columns: Column[]; cells: Map<string, WorkDirSummary>} {
  const rows = new Map<string, Row>();
  const columns = new Map<string, Column>();
  const cells = new Map<string, WorkDirSummary>();
  for (const w of workDirs) {
    if (w.scores[metric] === undefined) continue;
    const column: Column = {dataset: w.dataset ?? '?', backbone: w.backbone ?? '?'};
    const columnKey = `${column.dataset}/${column.backbone}`;
    const alpha = mixesNothing(w.method) ? undefined : w.alpha;
    const label = w.method === undefined ? path.basename(w.workDir) : methodLabel(w.method);
    let row: Row = {method: w.method, alpha, label};
    let rowKey = `${w.method}|${alpha}`;
    if (cells.has(`${rowKey}#${columnKey}`)) {
      const variant = path.basename(w.workDir);
      row = {...row, variant, label: `${label} (${variant})`};
      rowKey += `|${variant}`;
    }
    rows.set(rowKey, rows.get(rowKey) ?? row);
    columns.set(columnKey, column);
    cells.set(`${rowKey}#${columnKey}`, w);
  }
  return {rows: sortedEntries(rows, compareRows), columns: sortedEntries(columns, compareColumns), cells};
}

/** Key of a row in `layout`'s cell map. */
export function rowKey(row: Row): string {
  return `${row.method}|${row.alpha}${row.variant === undefined ? '' : `|${row.variant}`}`;
}

/**
 * Builds the table of one metric of a summary. Where cells pool several runs, a column's best is marked only beyond
 * the runs' spread (`noise.ts`), and a note under the table names the columns whose differences are within seed noise.
 */
export function summaryGrid(result: SummaryResult, metric: string): Grid {
  const {rows, columns, cells} = layout(result.workDirs, metric);
  const scores = rows.map((row) => columns.map((c) => cells.get(`${rowKey(row)}#${c.dataset}/${c.backbone}`)?.scores[metric]));
  const pooled = scores.some((r) => r.some((s) => s !== undefined && s.n > 1));
  const grid: Grid = {
    title: `${metric}: ${describeStat(result, metric)}`,
    labelColumns: 2,
    header: [
      [HEADER.datasets, HEADER.beta, ...columns.map((c) => ({text: datasetLabel(c.dataset)}))],
      [HEADER.backbones, HEADER.alpha, ...columns.map((c) => ({text: backboneLabel(c.backbone)}))],
    ],
    rows: rows.map((row, i) => [{text: row.label}, {text: alphaText(row.method, row.alpha)}, ...scores[i].map((s) => scoreCell(s, pooled))]),
    parts: ['mean', 'std', 'n'],
  };
  const noisy: string[] = [];
  columns.forEach((column, j) => {
    const verdict = bestBeyondSpread(scores.map((r) => (r[j] === undefined ? undefined : {mean: r[j]!.value, std: r[j]!.std, n: r[j]!.n})));
    for (const i of verdict.best) grid.rows[i][j + 2].best = true;
    if (verdict.withinNoise) noisy.push(`${datasetLabel(column.dataset)} ${backboneLabel(column.backbone)}`);
  });
  const noise = noiseNote(noisy, columns.length);
  grid.notes = [...(pooled ? [POOLED_NOTE] : []), ...(noise ? [noise] : [])];
  return grid;
}

/**
 * A one-line description of the statistic with the epoch windows used, per dataset (a CUB-200 run's window is the
 * last 10 of 200 epochs, an iNat one's the last 5 of 100). `workDirs` narrows it to some runs (compare: one dataset).
 */
export function describeStat(result: SummaryResult, metric: string, workDirs: readonly WorkDirSummary[] = result.workDirs): string {
  const perDataset = new Map<string, Set<string>>();
  for (const w of workDirs) {
    const score = w.scores[metric];
    if (!score?.window) continue;
    const id = w.dataset ?? '?';
    const windows = perDataset.get(id) ?? new Set<string>();
    // AutoMix/SAMix medians start one epoch earlier for N >= 10 (find_automix_val_median.py): say whose window it is
    windows.add(`${score.automix ? 'AutoMix/SAMix: ' : ''}epoch >= ${score.window.from} of ${score.window.epochs}`);
    perDataset.set(id, windows);
  }
  const learnedLast = (text: string) => Number(text.startsWith('AutoMix/SAMix'));
  const byWindows = new Map<string, string[]>();
  for (const [id, windows] of [...perDataset].sort(([a], [b]) => datasetIndex(a) - datasetIndex(b))) {
    const label = datasetLabel(id);
    const text = [...windows].sort((a, b) => learnedLast(a) - learnedLast(b) || a.localeCompare(b)).join(', ');
    byWindows.set(text, [...(byWindows.get(text) ?? []), label]);
  }
  const where = byWindows.size > 0 ? ` (${[...byWindows].map(([text, labels]) => `${labels.join(', ')}: ${text}`).join('; ')})` : '';
  const runs = result.runs;
  const pooled = workDirs.some((w) => (w.scores[metric]?.n ?? 0) > 1);
  const over = `over runs (the latest ${runs} of each work dir, seed dirs pooled)`;
  switch (result.stat) {
    case 'max':
      return `mean ± population std ${over} of (max + 99th percentile) / 2`;
    case 'last':
      return `last val value${pooled ? `, mean ± population std ${over}` : ''}`;
    case 'mean-last':
      return `mean of the last val epochs${where}${pooled ? `, mean ± population std ${over}` : ''}`;
    default:
      return `median of the last val epochs${where}${pooled ? `, mean ± population std ${over}` : ''}`;
  }
}

function datasetIndex(id: string): number {
  const i = DATASETS.findIndex((d) => d.id === id);
  return i >= 0 ? i : DATASETS.length;
}

function backboneKey(id: string): number {
  const m = /^(r|rx)(\d+)$/.exec(id);
  return m ? (m[1] === 'rx' ? 1000 : 0) + Number(m[2]) : 10_000;
}

function sortedEntries<T>(map: Map<string, T>, compare: (a: T, b: T) => number): T[] {
  return [...map.values()].sort(compare);
}

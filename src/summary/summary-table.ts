/**
 * The summary as a table in the reference page's layout: rows = methods (reference order) with their Beta α, columns
 * = dataset/backbone, two header rows (`Datasets | $Beta$ | CUB-200 ...`, `Backbones | $\alpha$ | ResNet-18 ...`).
 */
import * as path from 'node:path';
import {fmt, Grid, GridCell, markBest} from './grid';
import {backboneLabel, DATASETS, datasetLabel, methodLabel, methodOrder} from './runinfo';
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

/** The α cell text: `-` for vanilla, `?` when unknown. */
export function alphaText(method: string | undefined, alpha: string | undefined): string {
  return method === 'vanilla' ? '-' : (alpha ?? '?');
}

/** The text of a score: `78.40`, or `78.40 (0.12)` with the std over runs for `max`. */
export function scoreText(score: MetricScore | undefined): string {
  if (score === undefined) return '-';
  return score.std === undefined ? fmt(score.value) : `${fmt(score.value)} (${fmt(score.std)})`;
}

/** Places each work dir in a row and column; two work dirs on one cell get separate rows named by their dir. */
export function layout(workDirs: WorkDirSummary[], metric: string): {rows: Row[]; columns: Column[]; cells: Map<string, WorkDirSummary>} {
  const rows = new Map<string, Row>();
  const columns = new Map<string, Column>();
  const cells = new Map<string, WorkDirSummary>();
  for (const w of workDirs) {
    if (w.scores[metric] === undefined) continue;
    const column: Column = {dataset: w.dataset ?? '?', backbone: w.backbone ?? '?'};
    const columnKey = `${column.dataset}/${column.backbone}`;
    const alpha = w.method === 'vanilla' ? undefined : w.alpha;
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

/** Builds the table of one metric of a summary. */
export function summaryGrid(result: SummaryResult, metric: string): Grid {
  const {rows, columns, cells} = layout(result.workDirs, metric);
  const grid: Grid = {
    title: `${metric}: ${describeStat(result, metric)}`,
    labelColumns: 2,
    header: [
      [HEADER.datasets, HEADER.beta, ...columns.map((c) => ({text: datasetLabel(c.dataset)}))],
      [HEADER.backbones, HEADER.alpha, ...columns.map((c) => ({text: backboneLabel(c.backbone)}))],
    ],
    rows: [],
  };
  const values: (number | undefined)[][] = [];
  for (const row of rows) {
    const scores = columns.map((c) => cells.get(`${rowKey(row)}#${c.dataset}/${c.backbone}`)?.scores[metric]);
    grid.rows.push([{text: row.label}, {text: alphaText(row.method, row.alpha)}, ...scores.map((s) => ({text: scoreText(s)}))]);
    values.push([undefined, undefined, ...scores.map((s) => (s === undefined ? undefined : Number(fmt(s.value))))]);
  }
  markBest(grid, (i, j) => values[i][j]);
  return grid;
}

/** A one-line description of the statistic, with the epoch windows actually used. */
export function describeStat(result: SummaryResult, metric: string): string {
  const windows = new Set<string>();
  for (const w of result.workDirs) {
    const score = w.scores[metric];
    // AutoMix/SAMix medians start one epoch earlier for N >= 10 (find_automix_val_median.py): say whose window it is
    if (score?.window) windows.add(`${score.automix ? 'AutoMix/SAMix: ' : ''}epoch >= ${score.window.from} of ${score.window.epochs}`);
  }
  const learnedLast = (text: string) => Number(text.startsWith('AutoMix/SAMix'));
  const where = windows.size > 0 ? ` (${[...windows].sort((a, b) => learnedLast(a) - learnedLast(b)).join('; ')})` : '';
  switch (result.stat) {
    case 'max':
      return 'mean (population std) over the latest 3 runs of (max + 99th percentile) / 2';
    case 'last':
      return 'last val value';
    case 'mean-last':
      return `mean of the last val epochs${where}`;
    default:
      return `median of the last val epochs${where}`;
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

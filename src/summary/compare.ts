/**
 * `mixup compare`: the reproduced top-1 of each method/backbone next to the published one and the difference
 * (reproduced − published). Rows are the published rows (method and Beta α) in the page's order; a reproduced run
 * with another α gets its own row with published `-`. A reproduced value pools the runs of its configuration (mean ±
 * population std, n); the best reproduced value of a backbone is marked by the "within seed noise" rule (`noise.ts`).
 */
import {dataError, usageError} from '../errors';
import {fmt, Grid, GridCell} from './grid';
import {bestBeyondSpread, noiseNote} from './noise';
import {PUBLISHED, PUBLISHED_DATASETS} from './published';
import {backboneLabel, datasetLabel, methodLabel} from './runinfo';
import {alphaText, compareColumns, compareRows, describeStat, HEADER, POOLED_NOTE, scoreCell} from './summary-table';
import {summarize, SummarizeOptions} from './summarize';

/** Options of `compare`: the summary options plus the published table to compare with. */
export interface CompareOptions extends Omit<SummarizeOptions, 'metrics'> {
  /** a published dataset id (`PUBLISHED_DATASETS`) */
  reference: string;
  /** the reproduced metric; default `head0_top1` */
  metric?: string;
}

/** One backbone of one row. */
export interface CompareCell {
  backbone: string;
  published: number | null;
  reproduced: number | null;
  /** population std and number of the runs pooled into `reproduced` */
  std?: number;
  n?: number;
  /** reproduced − published, null when either is missing */
  delta: number | null;
  /** the work dir the reproduced number comes from */
  workDir?: string;
}

/** One method and α: a published row, or a reproduced one with another α. */
export interface CompareRow {
  method: string;
  label: string;
  /** the Beta α (`-` for Vanilla) */
  alpha: string;
  cells: CompareCell[];
}

/** What `mixup compare` returns (and prints under `--format json`). */
export interface CompareResult {
  reference: string;
  path: string;
  metric: string;
  stat: SummarizeOptions['stat'];
  /** how the reproduced numbers were computed */
  statDescription: string;
  backbones: string[];
  rows: CompareRow[];
  warnings: string[];
}

/** Compares the logs under `target` with the published table of `options.reference`. */
export function compare(target: string, options: CompareOptions): CompareResult {
  const table = PUBLISHED.find((t) => t.dataset === options.reference);
  if (table === undefined) {
    throw usageError(`--reference must be one of ${PUBLISHED_DATASETS.join(', ')}, got "${options.reference}"`);
  }
  const metric = options.metric ?? 'head0_top1';
  const summary = summarize(target, {...options, metrics: [metric]});
  const runs = summary.workDirs.filter((w) => w.dataset === table.dataset && w.scores[metric] !== undefined);
  if (runs.length === 0) {
    const found = [...new Set(summary.workDirs.filter((w) => w.scores[metric]).map((w) => w.dataset ?? 'unknown'))];
    throw dataError(`${target}: no summarised run of dataset ${table.dataset}; the runs found are of: ${found.join(', ')}`);
  }
  const backbones = [...table.backbones];
  for (const backbone of [...new Set(runs.map((r) => r.backbone ?? '?'))].sort((a, b) => compareColumns({dataset: '', backbone: a}, {dataset: '', backbone: b}))) {
    if (!backbones.includes(backbone)) backbones.push(backbone);
  }
  const key = (method: string, alpha: string): string => `${method}|${alpha}`;
  const publishedRows: CompareRow[] = table.rows.map((published) => ({
    method: published.method,
    label: methodLabel(published.method),
    alpha: alphaText(published.method, published.alpha === null ? undefined : String(published.alpha)),
    cells: backbones.map((backbone) => ({backbone, published: published.top1[table.backbones.indexOf(backbone)] ?? null, reproduced: null, delta: null})),
  }));
  const rows = new Map(publishedRows.map((r) => [key(r.method, r.alpha), r]));
  const extra: CompareRow[] = [];
  for (const run of runs) {
    const method = run.method ?? '?';
    const alpha = alphaText(run.method, run.alpha);
    let row = rows.get(key(method, alpha));
    if (row === undefined) {
      row = {method, label: methodLabel(run.method), alpha, cells: backbones.map((backbone) => ({backbone, published: null, reproduced: null, delta: null}))};
      rows.set(key(method, alpha), row);
      extra.push(row);
    }
    const cell = row.cells[backbones.indexOf(run.backbone ?? '?')];
    if (cell.reproduced !== null) {
      summary.warnings.push(`${run.workDir}: ${method} α=${alpha} ${run.backbone} already reproduced by ${cell.workDir}; ignored`);
      continue;
    }
    cell.reproduced = run.scores[metric].value;
    cell.std = run.scores[metric].std;
    cell.n = run.scores[metric].n;
    cell.workDir = run.workDir;
    if (cell.published !== null) cell.delta = cell.reproduced - cell.published;
  }
  extra.sort(compareRows);
  return {
    reference: table.dataset,
    path: target,
    metric,
    stat: summary.stat,
    statDescription: describeStat(summary, metric, runs),
    backbones,
    rows: [...publishedRows, ...extra],
    warnings: summary.warnings,
  };
}

/**
 * The comparison as a table: per backbone three columns, published | reproduced | Δ. The best reproduced value of
 * each backbone is marked (beyond the runs' spread when cells pool several runs; otherwise a note says so).
 */
export function compareGrid(result: CompareResult): Grid {
  const perBackbone = (f: (b: string) => string): {text: string}[] => result.backbones.flatMap((b) => [f(b), f(b), f(b)].map((text) => ({text})));
  const kinds = ['published', 'reproduced', 'delta'];
  const pooled = result.rows.some((row) => row.cells.some((c) => (c.n ?? 0) > 1));
  const reproduced = (c: CompareCell): GridCell =>
    c.reproduced === null ? {text: '-'} : scoreCell({value: c.reproduced, std: c.std ?? 0, n: c.n ?? 1}, pooled);
  const grid: Grid = {
    title: `${datasetLabel(result.reference)} top-1, published vs reproduced; reproduced = ${result.metric}, ${result.statDescription}`,
    labelColumns: 2,
    header: [
      [HEADER.backbones, HEADER.beta, ...perBackbone(backboneLabel)],
      [{text: 'Method'}, HEADER.alpha, ...result.backbones.flatMap(() => kinds.map((text) => ({text, tex: text === 'delta' ? '$\\Delta$' : text})))],
    ],
    rows: result.rows.map((row) => [
      {text: row.label},
      {text: row.alpha},
      ...row.cells.flatMap((c) => [{text: fmt(c.published ?? undefined)}, reproduced(c), {text: signed(c.delta)}]),
    ]),
  };
  const noisy: string[] = [];
  result.backbones.forEach((backbone, b) => {
    const cells = result.rows.map((row) => {
      const c = row.cells[b];
      return c.reproduced === null ? undefined : {mean: c.reproduced, std: c.std ?? 0, n: c.n ?? 1};
    });
    const verdict = bestBeyondSpread(cells);
    for (const i of verdict.best) grid.rows[i][2 + 3 * b + 1].best = true;
    if (verdict.withinNoise) noisy.push(backboneLabel(backbone));
  });
  const withRuns = result.backbones.filter((_, b) => result.rows.some((row) => row.cells[b].reproduced !== null)).length;
  const noise = noiseNote(noisy.map((b) => `reproduced ${b}`), withRuns);
  grid.notes = [...(pooled ? [POOLED_NOTE] : []), ...(noise ? [noise] : [])];
  return grid;
}

function signed(delta: number | null): string {
  if (delta === null) return '-';
  const text = fmt(delta);
  return delta >= 0 && !text.startsWith('-') ? `+${text}` : text;
}

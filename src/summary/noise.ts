/**
 * "Within seed noise": which cell of a column is marked best when cells pool several runs.
 *
 * The rule, for a column whose cells hold mean, population std and run count n:
 * - if every cell of the column is a single run (n = 1, no spread known), the highest value is best, ties all
 *   marked, as on the reference page (values compared as printed, to 2 decimals);
 * - otherwise the cell with the highest mean is best only when its band mean − std lies above the band mean + std
 *   of every other cell of the column (the mean ± std bands do not overlap; a single run's band is its value).
 *   Equivalently: mean_best − mean_other > std_best + std_other for every other cell. If not, no cell is marked and
 *   the column's differences are "within seed noise".
 *
 * With two runs a cell, the population std is half their distance, so a band is exactly the range of the runs:
 * best means every run of it beats every run of the others.
 */
import {fmt} from './grid';

/** A cell's pooled value. */
export interface Spread {
  mean: number;
  /** population std over the runs (0 for one run) */
  std: number;
  /** number of runs */
  n: number;
}

/** The verdict on one column. */
export interface BestVerdict {
  /** indexes (into the column's cells) of the cells marked best */
  best: number[];
  /** true when cells pool several runs and no cell beats all the others beyond their spread */
  withinNoise: boolean;
}

/** Applies the rule of the module comment to one column (undefined = empty cell). */
export function bestBeyondSpread(cells: ReadonlyArray<Spread | undefined>): BestVerdict {
  const present = cells.flatMap((c, i) => (c === undefined || !Number.isFinite(c.mean) ? [] : [{...c, i}]));
  if (present.length === 0) return {best: [], withinNoise: false};
  if (present.every((c) => c.n <= 1)) {
    const shown = (v: number) => Number(fmt(v));
    const top = Math.max(...present.map((c) => shown(c.mean)));
    return {best: present.filter((c) => shown(c.mean) === top).map((c) => c.i), withinNoise: false};
  }
  const top = present.reduce((a, b) => (b.mean > a.mean ? b : a));
  const beatsAll = present.every((c) => c.i === top.i || top.mean - top.std > c.mean + c.std);
  return beatsAll ? {best: [top.i], withinNoise: false} : {best: [], withinNoise: true};
}

/** The note printed under a table whose multi-run cells marked no best in `columns` (of `total` value columns). */
export function noiseNote(columns: string[], total: number): string | undefined {
  if (columns.length === 0) return undefined;
  return columns.length === total ? 'differences within seed noise' : `differences within seed noise in: ${columns.join(', ')}`;
}

/**
 * The statistics of OpenMixup's `tools/summary/*.py`, computed exactly as numpy does, so that a number we print for
 * a log is the number the reference tool prints for it.
 *
 * - `median`   (`find_classification_val_median.py`): `np.median` of the val values with `epoch >= E - N`
 *              (the benchmark protocol: last 10 of 200 epochs for CUB/Aircraft, last 5 of 100 for iNat/Places).
 * - `max`      (`find_val_max_3times_average.py`): per log `(np.max(v) + np.percentile(v, 99)) / 2` over all val
 *              values; a work dir reports mean and population std (`np.std`, ddof 0) over its latest 3 runs.
 * - `last`     the value of the last val line.
 * - `mean-last` the mean of the same window as `median`.
 * - AutoMix    (`find_automix_val_median.py`): see `automixMedian`.
 */

/** Statistic names accepted by `mixup summarize --stat`. */
export const STAT_NAMES = ['median', 'max', 'last', 'mean-last'] as const;
/** One of `STAT_NAMES`. */
export type StatName = (typeof STAT_NAMES)[number];

/** One value of a metric at one epoch. */
export interface Point {
  epoch: number;
  value: number;
}

/** `np.median`: the middle value of the sorted values, or the mean of the two middle ones. NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * `np.percentile(values, q)` with numpy's default `linear` method: position `h = (n - 1)·q/100` in the sorted
 * values, `v[⌊h⌋] + (h − ⌊h⌋)·(v[⌊h⌋+1] − v[⌊h⌋])`. NaN when empty.
 */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const h = ((sorted.length - 1) * q) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Arithmetic mean (`np.average`). NaN when empty. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Population standard deviation (`np.std`, ddof = 0). NaN when empty. */
export function populationStd(values: readonly number[]): number {
  const m = mean(values);
  let sum = 0;
  for (const v of values) sum += (v - m) * (v - m);
  return Math.sqrt(sum / values.length);
}

/** Sample standard deviation (`np.std(ddof=1)`, Bessel-corrected). NaN for fewer than 2 values. */
export function sampleStd(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const m = mean(values);
  let sum = 0;
  for (const v of values) sum += (v - m) * (v - m);
  return Math.sqrt(sum / (values.length - 1));
}

/** The max statistic of one log: `(max(v) + percentile(v, 99)) / 2`. */
export function maxScore(values: readonly number[]): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) if (v > max) max = v;
  return values.length === 0 ? Number.NaN : (max + percentile(values, 99)) / 2;
}

/**
 * Default number N of final epochs for the median window: 10 of 200 epochs, 5 of 100, i.e. `round(E / 20)`,
 * at least 1.
 */
export function defaultLastEpochs(epochs: number): number {
  return Math.max(1, Math.round(epochs / 20));
}

/** The points of the window `epoch >= epochs - last`. */
export function lastWindow(points: readonly Point[], epochs: number, last: number): Point[] {
  const from = epochs - last;
  return points.filter((p) => p.epoch >= from);
}

/** The four AutoMix val series (`acc_{one,mix}_{k,q}_topK`), k already falling back to q. */
export interface AutomixSeries {
  oneK: number[];
  mixK: number[];
  oneQ: number[];
  mixQ: number[];
}

/** Result of `automixMedian`: the reference tool's `k` and `q` numbers. */
export interface AutomixMedian {
  k: number;
  q: number;
  /** how many window records the median used (the tool drops the last one when that raises a median) */
  used: number;
}

/**
 * `find_automix_val_median.py`: the window is `epoch >= E - N - bias` (bias 0 if N < 10, else 1); among the
 * truncations of the window to its first n−1, n or n+1 (= n) records, keep the first that maximises the largest of
 * the four medians; then `k = max(median(one_k), median(mix_k))`, `q = max(median(one_q), median(mix_q))`.
 * `series` must already hold only the window's records, in file order. Differs from the tool only for a
 * one-record window (numpy's median of an empty slice is NaN; we skip that truncation).
 */
export function automixMedian(series: AutomixSeries): AutomixMedian {
  const n = series.oneQ.length;
  const best = (i: number): number =>
    Math.max(median(series.oneK.slice(0, i)), median(series.mixK.slice(0, i)), median(series.oneQ.slice(0, i)), median(series.mixQ.slice(0, i)));
  let index = n;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (const i of [n - 1, n, n + 1]) {
    if (i < 1) continue;
    const value = best(i);
    if (value > bestValue) {
      bestValue = value;
      index = Math.min(i, n);
    }
  }
  const cut = (values: number[]): number[] => values.slice(0, index);
  return {
    k: Math.max(median(cut(series.oneK)), median(cut(series.mixK))),
    q: Math.max(median(cut(series.oneQ)), median(cut(series.mixQ))),
    used: index,
  };
}

/** The AutoMix window offset: `bias = 0 if N < 10 else 1`. */
export function automixBias(last: number): number {
  return last < 10 ? 0 : 1;
}

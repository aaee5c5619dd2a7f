/**
 * `mixup summarize`: one score per work dir and metric, computed as OpenMixup's `tools/summary/*.py` do (see
 * `stats.ts`), plus what the run was (method, α, backbone, dataset; `runinfo.ts`).
 *
 * Which logs of a work dir count (logs sorted oldest first by their timestamped names):
 * - `max`: the latest `runs` (3) logs, each scored, then mean and population std, as
 *   `find_val_max_3times_average.py`; a log of these without the metric is skipped with a warning (the tool
 *   prints `empty json j`), older logs are not used instead;
 * - `median`, `last`, `mean-last`: the latest log that has the metric (the reference tool takes the latest log;
 *   we step back over newer logs that have no value yet, with a warning).
 *
 * AutoMix logs (`acc_{one,mix}_{k,q}_topK` instead of `head0_topK`) answer `head0_topK`: `median` follows
 * `find_automix_val_median.py` and reports max(k, q); the other statistics take the best of the four series.
 */
import {dataError} from '../errors';
import {collectWorkDirs} from './collect';
import {ParsedLog, readLog, valMetricNames} from './log';
import {inferRunInfo, RunInfo} from './runinfo';
import {
  automixBias,
  automixMedian,
  AutomixSeries,
  defaultLastEpochs,
  lastWindow,
  maxScore,
  mean,
  median,
  Point,
  populationStd,
  StatName,
} from './stats';

/** Which metrics and statistic `summarize` computes, and the window overrides. */
export interface SummarizeOptions {
  /** metric keys, e.g. `['head0_top1', 'head0_top5']` */
  metrics: string[];
  stat: StatName;
  /** E: total epochs for the median/mean-last window; default the run's `runner.max_epochs` (or `epN` in its name) */
  epochs?: number;
  /** N: the window is `epoch >= E - N`; default `round(E / 20)` (10 of 200, 5 of 100) */
  last?: number;
  /** logs averaged by `max`; default 3 */
  runs?: number;
}

/** One metric's score for one work dir. */
export interface MetricScore {
  /** the statistic (mean over logs for `max`) */
  value: number;
  /** population std over logs (`max` only) */
  std?: number;
  /** per-log scores, newest first, and the logs they came from */
  perLog: number[];
  logs: string[];
  /** the window used by median / mean-last: `epoch >= from` with from = epochs - last */
  window?: {epochs: number; last: number; from: number};
  /** AutoMix logs: the tool's k and q (median) or the best series (others) */
  automix?: {k: number; q: number};
}

/** A work dir's description and scores. */
export interface WorkDirSummary extends RunInfo {
  /** all logs found, oldest first */
  logs: string[];
  /** metric -> score; a metric without a score has a message in `problems` */
  scores: Record<string, MetricScore>;
  problems: string[];
}

/** What `mixup summarize` returns: one entry per work dir found under `path`. */
export interface SummaryResult {
  path: string;
  stat: StatName;
  metrics: string[];
  workDirs: WorkDirSummary[];
  /** skipped lines and logs (`file:line: ...`) */
  warnings: string[];
}

/**
 * Summarises every work dir under `target`. Throws a data `MixupError` listing the problems when nothing could be
 * summarised; otherwise problems of single work dirs are reported in the result.
 */
export function summarize(target: string, options: SummarizeOptions): SummaryResult {
  const result: SummaryResult = {path: target, stat: options.stat, metrics: options.metrics, workDirs: [], warnings: []};
  for (const {workDir, logs} of collectWorkDirs(target)) {
    const parsed = new Map<string, ParsedLog>();
    const load = (file: string): ParsedLog => {
      let log = parsed.get(file);
      if (log === undefined) {
        log = readLog(file);
        parsed.set(file, log);
        result.warnings.push(...log.warnings);
      }
      return log;
    };
    const newest = load(logs[logs.length - 1]);
    const summary: WorkDirSummary = {...inferRunInfo(workDir, newest.meta ?? firstMeta(logs, load)), logs, scores: {}, problems: []};
    for (const metric of options.metrics) {
      const outcome = scoreWorkDir(logs, load, metric, summary, options);
      if (typeof outcome === 'string') summary.problems.push(outcome);
      else summary.scores[metric] = outcome.score;
      if (typeof outcome !== 'string') result.warnings.push(...outcome.skipped);
    }
    result.workDirs.push(summary);
  }
  if (result.workDirs.every((w) => Object.keys(w.scores).length === 0)) {
    const problems = result.workDirs.flatMap((w) => w.problems);
    throw dataError(`${target}: nothing could be summarised:\n  ${problems.join('\n  ')}`);
  }
  return result;
}

function firstMeta(logs: string[], load: (file: string) => ParsedLog): Record<string, unknown> | undefined {
  for (let i = logs.length - 1; i >= 0; i--) {
    const meta = load(logs[i]).meta;
    if (meta !== undefined) return meta;
  }
  return undefined;
}

type LogOutcome = {value: number; window?: MetricScore['window']; automix?: MetricScore['automix']} | string;

function scoreWorkDir(
  logs: string[],
  load: (file: string) => ParsedLog,
  metric: string,
  run: RunInfo,
  options: SummarizeOptions,
): {score: MetricScore; skipped: string[]} | string {
  const skipped: string[] = [];
  const used: {file: string; outcome: Exclude<LogOutcome, string>}[] = [];
  const wanted = options.stat === 'max' ? (options.runs ?? 3) : 1;
  const candidates = [...logs].reverse();
  for (let i = 0; i < candidates.length && used.length < wanted; i++) {
    if (options.stat === 'max' && i >= wanted) break;
    const file = candidates[i];
    const outcome = scoreLog(load(file), metric, run, options, skipped);
    if (typeof outcome === 'string') skipped.push(outcome);
    else used.push({file, outcome});
  }
  if (used.length === 0) return skipped.join('; ');
  const perLog = used.map((u) => u.outcome.value);
  const score: MetricScore = {value: mean(perLog), perLog, logs: used.map((u) => u.file)};
  if (options.stat === 'max') score.std = populationStd(perLog);
  if (used[0].outcome.window) score.window = used[0].outcome.window;
  if (used[0].outcome.automix) score.automix = used[0].outcome.automix;
  return {score, skipped};
}

/** The statistic of one log for one metric, or a message saying why there is none. */
export function scoreLog(
  log: ParsedLog,
  metric: string,
  run: Pick<RunInfo, 'epochs'>,
  options: Omit<SummarizeOptions, 'metrics'>,
  warnings?: string[],
): LogOutcome {
  if (log.val.length === 0) return `${log.file}: no val lines (mode "val") in this log`;
  const lastEpoch = log.val[log.val.length - 1].epoch;
  const epochs = options.epochs ?? run.epochs ?? lastEpoch;
  const last = options.last ?? defaultLastEpochs(epochs);
  const window = {epochs, last, from: epochs - last};
  const points = series(log, metric, warnings);
  if (points.length > 0) return scorePoints(log, metric, points, options.stat, window, lastEpoch);
  const automix = automixSeries(log, metric);
  if (automix) return scoreAutomix(log, metric, automix, options.stat, window, lastEpoch);
  return `${log.file}: no val line has metric "${metric}"; its val metrics are: ${valMetricNames(log).join(', ') || '(none)'}`;
}

function scorePoints(log: ParsedLog, metric: string, points: Point[], stat: StatName, window: Required<MetricScore>['window'], lastEpoch: number): LogOutcome {
  switch (stat) {
    case 'max':
      return {value: maxScore(points.map((p) => p.value))};
    case 'last':
      return {value: points[points.length - 1].value};
    default: {
      const values = lastWindow(points, window.epochs, window.last).map((p) => p.value);
      if (values.length === 0) return emptyWindow(log, metric, window.from, lastEpoch);
      return {value: stat === 'median' ? median(values) : mean(values), window};
    }
  }
}

export interface AutomixPoint {
  epoch: number;
  oneQ: number;
  mixQ: number;
  oneK: number;
  mixK: number;
}

function scoreAutomix(log: ParsedLog, metric: string, points: AutomixPoint[], stat: StatName, window: Required<MetricScore>['window'], lastEpoch: number): LogOutcome {
  let chosen = points;
  // the median's window starts `bias` epochs earlier (find_automix_val_median.py); the reported window says so
  const used = stat === 'median' ? {...window, from: window.from - automixBias(window.last)} : window;
  if (stat === 'last') chosen = points.slice(-1);
  else if (stat !== 'max') {
    chosen = points.filter((p) => p.epoch >= used.from);
    if (chosen.length === 0) return emptyWindow(log, metric, used.from, lastEpoch);
  }
  const s: AutomixSeries = {oneK: chosen.map((p) => p.oneK), mixK: chosen.map((p) => p.mixK), oneQ: chosen.map((p) => p.oneQ), mixQ: chosen.map((p) => p.mixQ)};
  let k: number;
  let q: number;
  if (stat === 'median') ({k, q} = automixMedian(s));
  else {
    const f = stat === 'max' ? maxScore : mean;
    k = Math.max(f(s.oneK), f(s.mixK));
    q = Math.max(f(s.oneQ), f(s.mixQ));
  }
  return {value: Math.max(k, q), automix: {k, q}, ...(stat === 'median' || stat === 'mean-last' ? {window: used} : {})};
}

function emptyWindow(log: ParsedLog, metric: string, from: number, lastEpoch: number): string {
  return `${log.file}: no val value of "${metric}" at epoch >= ${from} (its last val epoch is ${lastEpoch}; unfinished run? set --epochs/--last)`;
}

/**
 * The numeric values of `metric` in a log's val lines (or train lines with `mode: 'train'`). A present but
 * non-numeric value is skipped with a `file:line` message in `warnings`.
 */
export function series(log: ParsedLog, metric: string, warnings?: string[], mode: 'val' | 'train' = 'val'): Point[] {
  const points: Point[] = [];
  for (const record of log[mode]) {
    const value = record.data[metric];
    if (typeof value === 'number' && Number.isFinite(value)) points.push({epoch: record.epoch, value});
    else if (value !== undefined) warnings?.push(`${log.file}:${record.line}: ${metric} is ${JSON.stringify(value)}, expected a number; skipped`);
  }
  return points;
}

/** AutoMix val series standing for `head0_topK` (`acc_one_q_topK`, ...; k falls back to q), or undefined. */
export function automixSeries(log: ParsedLog, metric: string): AutomixPoint[] | undefined {
  const suffix = /^head0_(top\d+)$/.exec(metric)?.[1];
  if (suffix === undefined) return undefined;
  const points: AutomixPoint[] = [];
  for (const {epoch, data} of log.val) {
    const oneQ = data[`acc_one_q_${suffix}`];
    const mixQ = data[`acc_mix_q_${suffix}`];
    if (typeof oneQ !== 'number' || typeof mixQ !== 'number') continue;
    const oneK = data[`acc_one_k_${suffix}`];
    const mixK = data[`acc_mix_k_${suffix}`];
    points.push({epoch, oneQ, mixQ, oneK: typeof oneK === 'number' ? oneK : oneQ, mixK: typeof mixK === 'number' ? mixK : mixQ});
  }
  return points.length > 0 ? points : undefined;
}

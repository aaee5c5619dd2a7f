/**
 * `mixup summarize`: one score per configuration and metric, computed as OpenMixup's `tools/summary/*.py` do (see
 * `stats.ts`), plus what the run was (method, α, backbone, dataset; `runinfo.ts`).
 *
 * A configuration is a work dir, or the `seed<S>` work dirs of one config (`gen-configs --seeds N`) pooled. A work
 * dir's logs are split into runs (`runs.ts`: a log that continues a killed run is joined to it). Which runs count:
 * - `max`: the latest `runs` (3) runs of each work dir, OpenMixup's "3 times" rule (`find_val_max_3times_average.py`);
 *   a run of these without the metric is skipped with a warning (the tool prints `empty json j`), older runs are not
 *   used instead;
 * - `median`, `last`, `mean-last`: the latest `runs` (3) runs of each work dir that have a value (the reference
 *   tool reads the latest log only, i.e. `--runs 1`; newer runs without a value yet are skipped with a warning).
 * The score is the mean over all these runs, with the population std (`np.std`, as the reference tool) and the count.
 *
 * AutoMix logs (`acc_{one,mix}_{k,q}_topK` instead of `head0_topK`) answer `head0_topK`: `median` follows
 * `find_automix_val_median.py` and reports max(k, q); the other statistics take the best of the four series.
 */
import {dataError} from '../errors';
import {collectWorkDirs, groupSeeds} from './collect';
import {ParsedLog, readLog, valMetricNames} from './log';
import {joinRuns, Run} from './runs';
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
  sampleStd,
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
  /** runs of each work dir that count (the latest ones); default 3, OpenMixup's "3 times" rule */
  runs?: number;
}

/** One metric's score for one configuration: the mean over its runs. */
export interface MetricScore {
  /** mean over the runs of the per-run statistic */
  value: number;
  /** population std over the runs (`np.std`, ddof 0, as `find_val_max_3times_average.py`); 0 for one run */
  std: number;
  /** sample std (ddof 1); only with 2 or more runs */
  sampleStd?: number;
  /** how many runs are pooled */
  n: number;
  /** per-run scores (each work dir's newest first, work dirs in path order) and the log pieces of each run */
  perRun: number[];
  runs: string[][];
  /** the window used by median / mean-last: `epoch >= from` with from = epochs - last */
  window?: {epochs: number; last: number; from: number};
  /** AutoMix logs: the tool's k and q (median) or the best series (others), averaged over the runs */
  automix?: {k: number; q: number};
}

/** One run found in a configuration. */
export interface RunSummary {
  /** the work dir holding it (a `seed<S>` dir for pooled seeds) */
  workDir: string;
  /** its log pieces, oldest first (more than one for a resumed run) */
  logs: string[];
  /** the seed of its meta line, when numeric */
  seed?: number;
}

/** A configuration's description and scores. */
export interface WorkDirSummary extends RunInfo {
  /** the `seed<S>` work dirs pooled under `workDir`, when there are such */
  seedDirs?: string[];
  /** all logs found, oldest first per work dir */
  logs: string[];
  /** all runs found, oldest first per work dir */
  runs: RunSummary[];
  /** metric -> score; a metric without a score has a message in `problems` */
  scores: Record<string, MetricScore>;
  problems: string[];
}

/** What `mixup summarize` returns: one entry per configuration found under `path`. */
export interface SummaryResult {
  path: string;
  stat: StatName;
  metrics: string[];
  /** runs of each work dir that count (`SummarizeOptions.runs`) */
  runs: number;
  workDirs: WorkDirSummary[];
  /** skipped lines, runs and paths (`file:line: ...`) */
  warnings: string[];
}

/**
 * Summarises every configuration under `target`. Throws a data `MixupError` listing the problems when nothing could
 * be summarised; otherwise problems of single configurations (an unreadable log, a metric without values) are
 * reported in the result.
 */
export function summarize(target: string, options: SummarizeOptions): SummaryResult {
  const collected = collectWorkDirs(target);
  const result: SummaryResult = {path: target, stat: options.stat, metrics: options.metrics, runs: options.runs ?? 3, workDirs: [], warnings: [...collected.warnings]};
  for (const config of groupSeeds(collected.workDirs)) {
    const problems: string[] = [];
    const members = config.members.map(({workDir, logs}) => {
      const pieces = logs.flatMap((file) => readOrReport(file, problems));
      for (const piece of pieces) result.warnings.push(...piece.warnings);
      return {workDir, runs: joinRuns(pieces, result.warnings)};
    });
    const allRuns = members.flatMap((m) => m.runs);
    if (allRuns.length === 0) {
      result.workDirs.push({...inferRunInfo(config.dir), logs: config.members.flatMap((m) => m.logs), runs: [], scores: {}, problems});
      continue;
    }
    const summary: WorkDirSummary = {
      ...inferRunInfo(config.dir, newestMeta(allRuns)),
      ...(members.some((m) => m.workDir !== config.dir) ? {seedDirs: members.map((m) => m.workDir)} : {}),
      logs: config.members.flatMap((m) => m.logs),
      runs: members.flatMap((m) => m.runs.map((run) => runSummary(m.workDir, run))),
      scores: {},
      problems,
    };
    for (const metric of options.metrics) {
      const outcome = scoreConfig(members, metric, summary, options);
      if (typeof outcome === 'string') summary.problems.push(outcome);
      else {
        summary.scores[metric] = outcome.score;
        result.warnings.push(...outcome.skipped);
      }
    }
    result.workDirs.push(summary);
  }
  if (result.workDirs.every((w) => Object.keys(w.scores).length === 0)) {
    const problems = result.workDirs.flatMap((w) => w.problems);
    throw dataError(`${target}: nothing could be summarised:\n  ${problems.join('\n  ')}`);
  }
  return result;
}

/** A log, or [] with a message naming the file when it cannot be read (one unreadable log never aborts a summary). */
function readOrReport(file: string, problems: string[]): ParsedLog[] {
  try {
    return [readLog(file)];
  } catch (error) {
    problems.push(`${(error as Error).message}; skipped`);
    return [];
  }
}

function newestMeta(runs: Run[]): Record<string, unknown> | undefined {
  for (let i = runs.length - 1; i >= 0; i--) if (runs[i].log.meta !== undefined) return runs[i].log.meta;
  return undefined;
}

function runSummary(workDir: string, run: Run): RunSummary {
  const seed = run.log.meta?.seed;
  return {workDir, logs: run.logs, ...(typeof seed === 'number' ? {seed} : {})};
}

type LogOutcome = {value: number; window?: MetricScore['window']; automix?: MetricScore['automix']} | string;

function scoreConfig(
  members: {workDir: string; runs: Run[]}[],
  metric: string,
  info: RunInfo,
  options: SummarizeOptions,
): {score: MetricScore; skipped: string[]} | string {
  const skipped: string[] = [];
  const used: {run: Run; outcome: Exclude<LogOutcome, string>}[] = [];
  const wanted = options.runs ?? 3;
  for (const {runs} of members) {
    const candidates = [...runs].reverse();
    let taken = 0;
    for (let i = 0; i < candidates.length && taken < wanted; i++) {
      if (options.stat === 'max' && i >= wanted) break;
      const outcome = scoreLog(candidates[i].log, metric, info, options, skipped);
      if (typeof outcome === 'string') skipped.push(outcome);
      else {
        used.push({run: candidates[i], outcome});
        taken++;
      }
    }
  }
  if (used.length === 0) return skipped.join('; ');
  const perRun = used.map((u) => u.outcome.value);
  const score: MetricScore = {value: mean(perRun), std: populationStd(perRun), n: perRun.length, perRun, runs: used.map((u) => u.run.logs)};
  if (perRun.length > 1) score.sampleStd = sampleStd(perRun);
  if (used[0].outcome.window) score.window = used[0].outcome.window;
  const automix = used.flatMap((u) => (u.outcome.automix ? [u.outcome.automix] : []));
  if (automix.length > 0) score.automix = {k: mean(automix.map((a) => a.k)), q: mean(automix.map((a) => a.q))};
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

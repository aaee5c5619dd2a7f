/**
 * Reading mmcv-style JSON logs (`<work_dir>/<YYYYmmdd_HHMMSS>.log.json`), the format both OpenMixup (mmcv's
 * `TextLoggerHook`) and our engine write: one JSON object a line, the first one the run's meta (no `mode`), then
 * `{"mode":"train",...}` lines every logging interval and one `{"mode":"val",...}` line per evaluated epoch.
 *
 * Bad lines never abort a read: each unparsable line (a crashed run leaves a truncated last line) or val line
 * without a numeric `epoch` becomes a `file:line` warning and is skipped, as the reference tools would crash on it.
 */
import {dataError} from '../errors';
import {INPUT_LIMITS, readInputText} from '../io/read';

/** One `train` or `val` line of a log. */
export interface LogRecord {
  /** 1-based line number in the file */
  line: number;
  epoch: number;
  /** every field of the line (mode, epoch, iter, lr, metrics...) */
  data: Record<string, unknown>;
}

/** A parsed log file. */
export interface ParsedLog {
  file: string;
  /** the first line without `mode` (env_info, config, seed, exp_name, ...), if any */
  meta?: Record<string, unknown>;
  /** `mode:"val"` lines in file order */
  val: LogRecord[];
  /** `mode:"train"` lines in file order (only kept when `ReadLogOptions.train` is set) */
  train: LogRecord[];
  /** the epoch of the first train or val line (kept or not): where this piece of a run starts */
  firstEpoch?: number;
  /** the highest epoch of its train and val lines (kept or not) */
  lastEpoch?: number;
  /** `file:line: ...` messages about skipped lines */
  warnings: string[];
}

/** What `parseLog`/`readLog` keep. */
export interface ReadLogOptions {
  /** keep train lines too (plots of `loss`); default false: summaries only need val lines */
  train?: boolean;
}

/** Parses the text of a log; `file` is used in warnings only. */
export function parseLog(text: string, file: string, options: ReadLogOptions = {}): ParsedLog {
  const log: ParsedLog = {file, val: [], train: [], warnings: []};
  const end = text.trimEnd().length;
  let lineNo = 0;
  for (let pos = 0; pos < end; ) {
    const newline = text.indexOf('\n', pos);
    const next = newline < 0 || newline >= end ? end : newline;
    const start = pos;
    pos = next + 1;
    lineNo++;
    const isLast = next === end;
    // Fast path: mmcv and our engine write `mode` first; unwanted train lines (2/3 of a log) are not parsed.
    // The last line is always parsed, so that a truncated one is reported, and so is the first record (firstEpoch).
    const skippable = !options.train && !isLast && log.firstEpoch !== undefined;
    if (skippable && TRAIN_PREFIXES.some((p) => text.startsWith(p, start))) {
      const epoch = EPOCH_FIELD.exec(text.slice(start, Math.min(next, start + 48)))?.[1];
      if (epoch !== undefined && (log.lastEpoch === undefined || Number(epoch) > log.lastEpoch)) log.lastEpoch = Number(epoch);
      continue;
    }
    const raw = text.slice(start, next).trim();
    if (raw === '') continue;
    const record = parseLine(raw, `${file}:${lineNo}`, isLast, log.warnings);
    if (record === undefined) continue;
    const mode = record.mode;
    if (mode === undefined) {
      if (log.meta === undefined) log.meta = record;
      continue;
    }
    const epoch = record.epoch;
    const numeric = typeof epoch === 'number' && Number.isFinite(epoch);
    if (numeric && (mode === 'val' || mode === 'train')) {
      if (log.firstEpoch === undefined) log.firstEpoch = epoch as number;
      if (log.lastEpoch === undefined || (epoch as number) > log.lastEpoch) log.lastEpoch = epoch as number;
    }
    if (mode !== 'val' && !(mode === 'train' && options.train)) continue;
    if (!numeric) {
      log.warnings.push(`${file}:${lineNo}: ${String(mode)} line has epoch ${JSON.stringify(epoch)}, expected a number; skipped`);
      continue;
    }
    (mode === 'val' ? log.val : log.train).push({line: lineNo, epoch: epoch as number, data: record});
  }
  return log;
}

function parseLine(raw: string, where: string, isLast: boolean, warnings: string[]): Record<string, unknown> | undefined {
  let obj: unknown;
  try {
    obj = JSON.parse(raw);
  } catch {
    warnings.push(`${where}: ${isLast ? 'truncated last line (a crashed or running job?)' : 'not valid JSON'}, skipped: ${preview(raw)}`);
    return undefined;
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    warnings.push(`${where}: expected a JSON object, got ${preview(raw)}; skipped`);
    return undefined;
  }
  return obj as Record<string, unknown>;
}

/** Reads and parses one log file; a missing or unreadable file is a `MixupError` (data) naming it. */
export function readLog(file: string, options: ReadLogOptions = {}): ParsedLog {
  const text = readInputText(file, {what: 'log file', maxBytes: INPUT_LIMITS.log, shown: file});
  return parseLog(text, file, options);
}

/** Metric names present in a log's val lines (numbers other than epoch/iter/lr), sorted. */
export function valMetricNames(log: ParsedLog): string[] {
  const names = new Set<string>();
  for (const record of log.val) {
    for (const [key, value] of Object.entries(record.data)) {
      if (typeof value === 'number' && !NON_METRIC_KEYS.has(key)) names.add(key);
    }
  }
  return [...names].sort();
}

/** Keys of log lines that are bookkeeping, not metrics. */
export const NON_METRIC_KEYS: ReadonlySet<string> = new Set(['mode', 'epoch', 'iter', 'lr', 'memory', 'data_time', 'time']);

const TRAIN_PREFIXES = ['{"mode": "train"', '{"mode":"train"'];
/** The `epoch` of a train line written mode-first (`{"mode": "train", "epoch": 12, ...`). */
const EPOCH_FIELD = /^\{"mode": ?"train", ?"epoch": ?(\d+)[,}]/;

function preview(raw: string): string {
  return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}...` : raw);
}

/** `EACCES: permission denied` from a Node error, without the path (the caller names it). */
export function describeError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (typeof e?.code === 'string') {
    const text = /^[A-Z]+: ([^,]+)/.exec(e.message)?.[1];
    return text === undefined ? e.code : `${e.code}: ${text}`;
  }
  return error instanceof Error ? error.message : String(error);
}

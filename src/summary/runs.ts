/**
 * Runs of a work dir: its logs (oldest first) are pieces; a piece that continues the run before it is joined to it,
 * any other piece starts a new run (OpenMixup's "3 times" runs are separate launches in one work dir).
 *
 * A piece continues the previous run when
 * - its meta says `resumed_from: {epoch: k}` (our engine writes this when it resumes from a checkpoint), or
 * - it has no such meta (OpenMixup's logs) and its first train/val line is at an epoch f > 1: a fresh run starts at
 *   epoch 1, mmcv's `--resume-from` continues at f = k + 1.
 *
 * Joining at k keeps the previous run's lines of epochs <= k and then the piece's lines (a line of an epoch both
 * have is taken from the previous run): epochs after k that a killed run logged past its checkpoint are trained again
 * by the piece, and the piece's lines replace them. A piece without any train/val line (a run that died while
 * starting) belongs to the run a later piece continues; otherwise it is a run of its own, without values.
 */
import type {LogRecord, ParsedLog} from './log';

/** One training run: one log, or several pieces joined. */
export interface Run {
  /** its log pieces, oldest first */
  logs: string[];
  /** the joined log: `file` is the newest piece, `meta` the first piece's meta */
  log: ParsedLog;
}

/**
 * Splits the logs of one work dir (oldest first) into runs, oldest first. `warnings` gets a message for each join
 * with a gap (the previous run's lines end before the epoch the piece resumed from).
 */
export function joinRuns(pieces: readonly ParsedLog[], warnings: string[]): Run[] {
  const runs: Run[] = [];
  for (const piece of pieces) {
    const cut = continuesAt(piece);
    const previous = cut === undefined ? undefined : lastRunWithLines(runs);
    if (previous === undefined || cut === undefined) {
      runs.push({logs: [piece.file], log: {...piece, val: [...piece.val], train: [...piece.train], warnings: []}});
      continue;
    }
    // pieces without lines between the run and this one are pieces of the same run
    const index = runs.indexOf(previous);
    for (const empty of runs.splice(index + 1)) previous.logs.push(...empty.logs);
    const lastEpoch = previous.log.lastEpoch ?? 0;
    if (lastEpoch < cut) {
      warnings.push(`${piece.file}: continues the run of ${previous.logs[0]} after epoch ${cut}, but that run's log ends at epoch ${lastEpoch}; epochs ${lastEpoch + 1}-${cut} have no lines`);
    }
    previous.logs.push(piece.file);
    previous.log = {
      ...previous.log,
      file: piece.file,
      val: joinLines(previous.log.val, piece.val, cut),
      train: joinLines(previous.log.train, piece.train, cut),
      lastEpoch: piece.lastEpoch ?? Math.min(previous.log.lastEpoch ?? cut, cut),
    };
  }
  return runs;
}

/** The epoch after which `piece` continues a run (k of `resumed_from`, or its first epoch − 1), or undefined. */
export function continuesAt(piece: ParsedLog): number | undefined {
  const resumed = piece.meta?.resumed_from;
  if (resumed !== null && typeof resumed === 'object' && !Array.isArray(resumed)) {
    const epoch = (resumed as Record<string, unknown>).epoch;
    if (typeof epoch === 'number' && Number.isInteger(epoch) && epoch >= 0) return epoch;
  }
  if (piece.firstEpoch !== undefined && piece.firstEpoch > 1) return piece.firstEpoch - 1;
  return undefined;
}

function lastRunWithLines(runs: Run[]): Run | undefined {
  for (let i = runs.length - 1; i >= 0; i--) {
    if (runs[i].log.firstEpoch !== undefined || runs[i].log.val.length > 0) return runs[i];
  }
  return undefined;
}

function joinLines(before: readonly LogRecord[], after: readonly LogRecord[], cut: number): LogRecord[] {
  const kept = before.filter((r) => r.epoch <= cut);
  const epochs = new Set(kept.map((r) => r.epoch));
  return [...kept, ...after.filter((r) => r.epoch > cut || !epochs.has(r.epoch))];
}

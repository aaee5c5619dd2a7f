/**
 * TensorBoard event files, as mmcv's `TensorboardLoggerHook` writes them through `torch.utils.tensorboard`'s
 * `SummaryWriter` (`log_config.hooks: [{"type": "TensorboardLoggerHook"}]`): `<work_dir>/tf_logs/
 * events.out.tfevents.<unix seconds, 10 digits>.<host>.<pid>.<n>`, TFRecord-framed (`./tfrecord.ts`) `Event`
 * protos (TensorFlow `core/util/event.proto`, `core/framework/summary.proto`) encoded with protobufjs:
 *
 * - the first record `{wall_time, file_version: "brain.Event:2"}`;
 * - one `{wall_time, step, summary: {value: [{tag, simple_value}]}}` per scalar, like `add_scalar`;
 * - a resumed run's file starts (after the version) with `{step: N + 1, session_log: {status: START}}`, which makes
 *   TensorBoard drop the points a killed run logged past its checkpoint at iteration N (torch's `purge_step`); a
 *   run started over (`train --force`) next to earlier files gets it at step 1, so the old run's curves give way.
 *
 * Every run (and every resume) writes a new file; an existing file is never opened for writing. Records are
 * appended one call per log line (`appendText`), so a killed run leaves whole records.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as protobuf from 'protobufjs';
import {displayPath} from '../io/paths';
import {INPUT_LIMITS, readInputBytes} from '../io/read';
import {appendText, ensureDir, writeFileAtomic} from '../io/write';
import {dataError} from '../errors';
import type {LogSink, TrainRecord, ValRecord} from './logger';
import {frameRecord, readRecords, RecordError} from './tfrecord';

/** The subset of TensorFlow's event.proto / summary.proto that scalar logs use (field numbers as upstream). */
const PROTO = `
syntax = "proto3";
package tensorboard;
message SummaryValue {
  string tag = 1;
  float simple_value = 2;
}
message Summary {
  repeated SummaryValue value = 1;
}
message SessionLog {
  enum SessionStatus { STATUS_UNSPECIFIED = 0; START = 1; STOP = 2; CHECKPOINT = 3; }
  SessionStatus status = 1;
  string checkpoint_path = 2;
  string msg = 3;
}
message Event {
  double wall_time = 1;
  int64 step = 2;
  oneof what {
    string file_version = 3;
    Summary summary = 5;
    SessionLog session_log = 7;
  }
}
`;

const EventType = protobuf.parse(PROTO, {keepCase: true}).root.lookupType('tensorboard.Event');

/** The `SessionLog.status` value START (TensorBoard purges points at steps >= the event's step). */
const SESSION_START = 1;

/** One decoded event: `scalars` for a summary event, `file_version` for the first, `session_start` for a resume. */
export interface TensorboardEvent {
  wall_time: number;
  step: number;
  file_version?: string;
  scalars?: Record<string, number>;
  session_start?: boolean;
}

/** Encodes one Event (`step` 0 is left out, as proto3 writers do). */
export function encodeEvent(event: TensorboardEvent): Uint8Array {
  const message: Record<string, unknown> = {wall_time: event.wall_time};
  if (event.step !== 0) message.step = event.step;
  if (event.file_version !== undefined) message.file_version = event.file_version;
  if (event.scalars) message.summary = {value: Object.entries(event.scalars).map(([tag, simple_value]) => ({tag, simple_value}))};
  if (event.session_start) message.session_log = {status: SESSION_START};
  return EventType.encode(EventType.fromObject(message)).finish();
}

/** Decodes one Event record. */
export function decodeEvent(data: Uint8Array): TensorboardEvent {
  const m = EventType.toObject(EventType.decode(data), {longs: Number, defaults: true}) as {
    wall_time: number;
    step: number;
    file_version?: string;
    summary?: {value: Array<{tag: string; simple_value: number}>};
    session_log?: {status: number};
  };
  const event: TensorboardEvent = {wall_time: m.wall_time, step: m.step};
  if (m.file_version) event.file_version = m.file_version;
  if (m.summary) event.scalars = Object.fromEntries(m.summary.value.map((v) => [v.tag, v.simple_value]));
  if (m.session_log?.status === SESSION_START) event.session_start = true;
  return event;
}

/**
 * Reads an events file back: every record's CRCs are checked and every Event decoded.
 * @throws MixupError (data) naming the file and the offset of a truncated or corrupt record
 */
export function readEventFile(file: string): TensorboardEvent[] {
  const bytes = readInputBytes(file, {what: 'TensorBoard events file', maxBytes: INPUT_LIMITS.log});
  try {
    return readRecords(bytes).map(decodeEvent);
  } catch (error) {
    if (error instanceof RecordError) throw dataError(`${displayPath(file)}: ${error.message}`);
    throw dataError(`${displayPath(file)}: not a TensorBoard events file (${(error as Error).message})`);
  }
}

/** Writes one run's TensorBoard events file. */
export class TensorboardWriter {
  /** the events file */
  readonly file: string;

  /**
   * Creates `<dir>/events.out.tfevents.<seconds>.<host>.<pid>.<n>` (the first unused `n`) with its version record,
   * and, for a run resumed after `resumedAt` iterations or started next to earlier event files, the session-start
   * record at step `resumedAt + 1`.
   */
  constructor(dir: string, opts: {now?: Date; resumedAt?: number} = {}) {
    const now = opts.now ?? new Date();
    ensureDir(dir);
    const stem = `events.out.tfevents.${String(Math.floor(now.getTime() / 1000)).padStart(10, '0')}.${os.hostname()}.${process.pid}`;
    let n = 0;
    while (fs.existsSync(path.join(dir, `${stem}.${n}`))) n++;
    this.file = path.join(dir, `${stem}.${n}`);
    const wall = now.getTime() / 1000;
    const records = [frameRecord(encodeEvent({wall_time: wall, step: 0, file_version: 'brain.Event:2'}))];
    const earlier = fs.readdirSync(dir).some((f) => f.startsWith('events.out.tfevents.'));
    if (opts.resumedAt || earlier) records.push(frameRecord(encodeEvent({wall_time: wall, step: (opts.resumedAt ?? 0) + 1, session_start: true})));
    writeFileAtomic(this.file, Buffer.concat(records), {overwrite: false});
  }

  /** Appends one event per scalar at `step` (one append call). */
  scalars(step: number, values: Record<string, number>, now = new Date()): void {
    const wall = now.getTime() / 1000;
    const records = Object.entries(values).map(([tag, value]) => frameRecord(encodeEvent({wall_time: wall, step, scalars: {[tag]: value}})));
    if (records.length > 0) appendText(this.file, Buffer.concat(records));
  }
}

/**
 * mmcv's `TensorboardLoggerHook` tags on top of a writer: a train record gives `train/loss` and `train/<metric>`
 * (`train/acc`, `train/acc_mix`...; `time` and `data_time` are skipped as mmcv skips them) and `learning_rate` at
 * its global iteration; a val record gives `val/<metric>` (`val/head0_top1`, `val/head0_top5`) and `learning_rate`
 * at the iterations done when it ran.
 */
export class TensorboardLoggerHook implements LogSink {
  constructor(readonly writer: TensorboardWriter) {}

  train(r: TrainRecord): void {
    this.writer.scalars(r.step, {'train/loss': r.loss, ...prefixed('train', r.metrics), learning_rate: r.lr});
  }

  val(r: ValRecord): void {
    this.writer.scalars(r.step, {...prefixed('val', r.metrics), learning_rate: r.lr});
  }
}

function prefixed(mode: string, metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`${mode}/${k}`, v]));
}

/**
 * The TensorBoard hook a config asks for (`log_config.hooks` holding `{"type": "TensorboardLoggerHook"}`), writing
 * to `<workDir>/tf_logs/`, or undefined when it asks for none.
 * @param resumedAt iterations the resumed checkpoint had done (0 for a fresh run)
 */
export function tensorboardHook(logConfig: {hooks?: ReadonlyArray<{type: string}>}, workDir: string, resumedAt: number): TensorboardLoggerHook | undefined {
  if (!logConfig.hooks?.some((h) => h.type === 'TensorboardLoggerHook')) return undefined;
  return new TensorboardLoggerHook(new TensorboardWriter(path.join(workDir, 'tf_logs'), {resumedAt}));
}

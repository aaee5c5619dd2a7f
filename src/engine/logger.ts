/**
 * The run log in mmcv's format (OpenMixup's `TextLoggerHook`), so that OpenMixup users' tools and `mixup summarize`
 * read it: `<work_dir>/<YYYYmmdd_HHMMSS>.log.json`, one JSON object per line, appended:
 *
 *     {"env_info": "...", "config": {...}, "config_path": ..., "seed": 0, "exp_name": "x.json", "backend": {...}, "mixup_version": "0.1.0"}
 *     {"mode": "train", "epoch": 1, "iter": 50, "lr": 0.1, "data_time": 0.0012, "time": 0.15, "loss": 2.3, "acc": 10.9375, "acc_mix": 12.5}
 *     {"mode": "val", "epoch": 1, "iter": 79, "lr": 0.1, "head0_top1": 12.345, "head0_top5": 50.1}
 *
 * Floats are rounded to 5 decimals (mmcv `_round_float`). A readable twin `<YYYYmmdd_HHMMSS>.log` holds the same
 * records as mmcv's text lines. Both files are created atomically with their first line (`src/io/write.ts`), and
 * each later line is appended with one call (`appendText`), so a killed run leaves whole lines and a failed append
 * (ENOSPC) is cut back to the last whole line and stops the run with an io error naming the file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {appendText, ensureDir, writeFileAtomic} from '../io/write';

/** The meta line (first line, no `mode`). */
export interface LogMeta {
  env_info: string;
  config: unknown;
  config_path: string;
  seed: number;
  exp_name: string;
  backend: {name: string; reason: string};
  mixup_version: string;
  /** set when only the first N batches of each epoch are trained (`mixup demo`) */
  iters_per_epoch?: number;
  /** set when the run continues from a checkpoint: the file and the epochs it had completed */
  resumed_from?: {checkpoint: string; epoch: number};
  /** per split: the data source, decode and cache settings, images found unloadable before training, notices */
  data?: Record<string, unknown>;
}

/** A train line's values (averages over the last `log_config.interval` iterations). */
export interface TrainRecord {
  epoch: number;
  /** iteration within the epoch (1-based) */
  iter: number;
  /** iterations done since the run began, this one included (mmcv's `runner.iter + 1`; TensorBoard's step) */
  step: number;
  lr: number;
  data_time: number;
  time: number;
  loss: number;
  /** the learner's metrics in log order: `acc`, `acc_mix` (MixUpClassification) or `acc_mix_q`, `acc_one_q`, `acc_mix_k` (AutoMixup) */
  metrics: Record<string, number>;
}

/** A val line's values: `metrics` are `head0_top<k>` for each `evaluation.eval_param.topk`, in percent. */
export interface ValRecord {
  epoch: number;
  /** validation iterations (batches) */
  iter: number;
  /** training iterations done when this validation ran (TensorBoard's step) */
  step: number;
  lr: number;
  metrics: Record<string, number>;
}

/** `round(x, 5)` for floats, integers unchanged (mmcv `_round_float`). */
export function round5(value: number): number {
  return Number.isInteger(value) ? value : Math.round(value * 1e5) / 1e5;
}

/** `YYYYmmdd_HHMMSS` in local time, as mmcv names its logs. */
export function timestamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}_${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

/** mmcv-style `env_info`: one `key: value` per line. */
export function envInfo(backend: string): string {
  const cpus = os.cpus();
  return [
    `sys.platform: ${process.platform}`,
    `Node.js: ${process.version}`,
    `CPU: ${cpus[0]?.model ?? 'unknown'} x ${cpus.length}`,
    `TensorFlow.js: ${tf.version_core}`,
    `tfjs backend: ${backend}`,
  ].join('\n');
}

/** `h:mm:ss` like mmcv's eta. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** Another log hook fed the same records (`log_config.hooks`, e.g. TensorBoard: `./tensorboard.ts`). */
export interface LogSink {
  train(r: TrainRecord): void;
  val(r: ValRecord): void;
}

/** Writes one run's `.log.json` and `.log` pair, and passes each record on to the attached sinks. */
export class RunLogger {
  /** path of the JSON log */
  readonly jsonPath: string;
  /** path of the text log */
  readonly textPath: string;
  private readonly sinks: LogSink[] = [];

  /**
   * Picks a timestamp not used by an existing log in `workDir` (a second later if needed, so names stay
   * chronological) and writes the meta line.
   */
  constructor(workDir: string, meta: LogMeta, now = new Date()) {
    ensureDir(workDir);
    let t = now.getTime();
    for (;;) {
      const stamp = timestamp(new Date(t));
      this.jsonPath = path.join(workDir, `${stamp}.log.json`);
      this.textPath = path.join(workDir, `${stamp}.log`);
      if (!fs.existsSync(this.jsonPath) && !fs.existsSync(this.textPath)) break;
      t += 1000;
    }
    writeFileAtomic(this.jsonPath, `${JSON.stringify(meta)}\n`, {overwrite: false});
    try {
      writeFileAtomic(this.textPath, '', {overwrite: false});
    } catch (error) {
      fs.rmSync(this.jsonPath, {force: true});
      throw error;
    }
    this.text(`Environment info:\n${meta.env_info}\nConfig: ${meta.config_path}\nseed: ${meta.seed}, backend: ${meta.backend.name} (${meta.backend.reason})${
      meta.resumed_from ? `\nresumed from ${meta.resumed_from.checkpoint} (epoch ${meta.resumed_from.epoch})` : ''}`);
  }

  /** Passes every later train and val record to `sink` too. */
  attach(sink: LogSink): void {
    this.sinks.push(sink);
  }

  /** Appends a train line (and its text form) and returns the text form. */
  train(r: TrainRecord, itersPerEpoch: number, etaSeconds: number): string {
    this.writeJson({mode: 'train', epoch: r.epoch, iter: r.iter, lr: r.lr, data_time: r.data_time, time: r.time, loss: r.loss, ...r.metrics});
    for (const sink of this.sinks) sink.train(r);
    const shown = Object.entries(r.metrics).map(([k, v]) => `, ${k}: ${v.toFixed(4)}`).join('');
    return this.text(
      `Epoch [${r.epoch}][${r.iter}/${itersPerEpoch}]\tlr: ${r.lr.toExponential(3)}, eta: ${formatDuration(etaSeconds)}, time: ${r.time.toFixed(3)}, ` +
        `data_time: ${r.data_time.toFixed(3)}, loss: ${r.loss.toFixed(4)}${shown}`,
    );
  }

  /** Appends a val line (and its text form) and returns the text form. */
  val(r: ValRecord): string {
    this.writeJson({mode: 'val', epoch: r.epoch, iter: r.iter, lr: r.lr, ...r.metrics});
    for (const sink of this.sinks) sink.val(r);
    const shown = Object.entries(r.metrics).map(([k, v]) => `${k}: ${v.toFixed(4)}`);
    return this.text(`Epoch(val) [${r.epoch}][${r.iter}]\t${shown.join(', ')}`);
  }

  /** Appends a free-form line to the text log and returns it with its time prefix. */
  text(message: string): string {
    const d = new Date();
    const line = `${d.toISOString().replace('T', ' ').slice(0, 19)} - mixup - INFO - ${message}`;
    appendText(this.textPath, `${line}\n`);
    return line;
  }

  /** Appends one JSON line, applying mmcv's 5-decimal rounding to the record's numbers. */
  private writeJson(record: Record<string, unknown>): void {
    const values = Object.fromEntries(Object.entries(record).map(([k, v]) => [k, typeof v === 'number' ? round5(v) : v]));
    appendText(this.jsonPath, `${JSON.stringify(values)}\n`);
  }
}

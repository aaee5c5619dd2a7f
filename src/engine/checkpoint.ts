/**
 * Training checkpoints as safetensors files (https://huggingface.co/docs/safetensors): an 8-byte little-endian
 * header length, a JSON header `{name: {dtype, shape, data_offsets}, "__metadata__": {...}}`, then the raw
 * little-endian tensor bytes (read and written by `src/models/safetensors.ts`). Python reads them with
 * `safetensors.numpy.load_file`.
 *
 * Tensor names: `param/<name>` (trainable parameters), `buffer/<name>` (BN running statistics...),
 * `momentum/<name>` (SGD momentum of parameter `<name>`), `grad_accum/<name>` (gradients summed towards the next
 * optimizer step with `optimizer_config.update_interval` > 1, when the epoch ended inside a group). `__metadata__.mixup` holds the JSON of
 * `CheckpointMeta` (epoch, RNG state, config hash...). Files are written atomically (`x.tmp-<pid>` + rename).
 */
import * as crypto from 'node:crypto';
import * as tf from '@tensorflow/tfjs-core';
import {displayPath} from '../config/files';
import {dataError, isMixupError, type MixupError, showValue} from '../errors';
import {errorCode} from '../io/fs-error';
import {checkJsonStructure} from '../io/json';
import {INPUT_LIMITS, checkInputFile, readInputRange} from '../io/read';
import {readSafetensors, writeSafetensors} from '../models/safetensors';
import type {RngState} from '../rng';

/** What a checkpoint records besides tensors. */
export interface CheckpointMeta {
  /** format version of this file layout */
  format: 1;
  /** epochs completed (1-based count): resuming starts at this 0-based epoch */
  epoch: number;
  /** global iterations completed */
  iter: number;
  /** state of the run's mixing Rng after `epoch` epochs */
  rng: RngState;
  seed: number;
  /** `configHash` of the config (and seed) that wrote it */
  configHash: string;
  configPath: string;
  /** the val line of this epoch when it was evaluated: batches and `head0_top<k>` metrics */
  val?: {iter: number; metrics: Record<string, number>};
  /** the lr of the last iteration of this epoch */
  lr: number;
  mixupVersion: string;
  /**
   * the real path of the work dir whose run wrote it: pruning (`max_keep_ckpts`) deletes only checkpoints of this
   * work dir (absent in checkpoints of mixup before 0.1.0's work-dir lock: those are never pruned)
   */
  workDir?: string;
  /**
   * the open gradient-accumulation group (`optimizer_config.update_interval`) when the epoch ended inside one:
   * iterations summed so far and the group's divisor (the gradients are the `grad_accum/` tensors)
   */
  accumulation?: {iters: number; factor: number};
}

/** Tensors of a checkpoint grouped as the trainer needs them. */
export interface CheckpointTensors {
  params: ReadonlyMap<string, tf.Tensor>;
  buffers: ReadonlyMap<string, tf.Tensor>;
  momentum: ReadonlyMap<string, tf.Tensor>;
  /** gradients of the open accumulation group (`meta.accumulation`); absent or empty when none */
  accumulated?: ReadonlyMap<string, tf.Tensor>;
}


/** A stable hash of the config and seed a run trains with (sorted-key JSON, SHA-256, 16 hex digits). */
export function configHash(config: unknown, seed: number): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.keys(value as object).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
    }
    return value;
  };
  return crypto.createHash('sha256').update(JSON.stringify({config: canonical(config), seed})).digest('hex').slice(0, 16);
}

/** Tensor name prefix of each group in a checkpoint file. */
export const CHECKPOINT_PREFIX = {params: 'param/', buffers: 'buffer/', momentum: 'momentum/', accumulated: 'grad_accum/'} as const;
const PREFIX = CHECKPOINT_PREFIX;

/**
 * Writes a checkpoint atomically (safetensors, float32; `src/io/write.ts`: temp file, fsync, rename), reading the
 * tensors from the device. A failure (ENOSPC...) leaves the previous file at `file` as it was.
 * @throws MixupError (io) naming the file when it cannot be written
 */
export async function saveCheckpoint(file: string, tensors: CheckpointTensors, meta: CheckpointMeta): Promise<void> {
  const entries = new Map<string, {shape: number[]; data: Float32Array}>();
  for (const group of Object.keys(PREFIX) as Array<keyof typeof PREFIX>) {
    for (const [name, t] of tensors[group] ?? []) entries.set(`${PREFIX[group]}${name}`, {shape: t.shape, data: Float32Array.from(await t.data())});
  }
  writeSafetensors(file, entries, {format: 'mixup-checkpoint', mixup: JSON.stringify(meta)});
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * Checks the parsed `__metadata__.mixup` of a checkpoint field by field (types and ranges), before anything uses it.
 * @throws MixupError (data) naming the file, the field and the value
 */
export function checkCheckpointMeta(raw: unknown, file: string): CheckpointMeta {
  const where = `${displayPath(file)}: __metadata__.mixup`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw dataError(`${where} must be a JSON object, got ${showValue(raw)}`);
  const meta = raw as Record<string, unknown>;
  const bad = (field: string, expected: string) => dataError(`${where}.${field} must be ${expected}, got ${showValue(meta[field])}`);
  if (meta.format !== 1) throw dataError(`${where}.format ${JSON.stringify(meta.format)} is not supported (expected 1)`);
  for (const field of ['epoch', 'iter', 'seed'] as const) if (!isCount(meta[field])) throw bad(field, 'an integer >= 0');
  const rng = meta.rng;
  if (!Array.isArray(rng) || rng.length !== 4 || !rng.every((v) => isCount(v) && v <= 0xffffffff)) throw bad('rng', 'a list of 4 unsigned 32-bit integers');
  for (const field of ['configHash', 'configPath', 'mixupVersion'] as const) if (typeof meta[field] !== 'string') throw bad(field, 'a string');
  if (typeof meta.lr !== 'number' || !Number.isFinite(meta.lr) || meta.lr < 0) throw bad('lr', 'a finite number >= 0');
  if (meta.workDir !== undefined && typeof meta.workDir !== 'string') throw bad('workDir', 'a string');
  if (meta.accumulation !== undefined) {
    const acc = meta.accumulation as {iters?: unknown; factor?: unknown} | null;
    if (acc === null || typeof acc !== 'object' || !isCount(acc.iters) || !isCount(acc.factor) || acc.iters < 1 || acc.iters >= acc.factor) {
      throw bad('accumulation', 'an object {iters, factor} of integers with 1 <= iters < factor');
    }
  }
  if (meta.val !== undefined) {
    const val = meta.val as {iter?: unknown; metrics?: unknown} | null;
    if (val === null || typeof val !== 'object' || !isCount(val.iter)) throw bad('val', 'an object {iter, metrics} with an integer iter >= 0');
    const metrics = val.metrics;
    if (metrics === null || typeof metrics !== 'object' || Array.isArray(metrics) || !Object.values(metrics).every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw bad('val', 'an object whose metrics are finite numbers');
    }
  }
  return meta as unknown as CheckpointMeta;
}

/** Longest safetensors header read (as `readSafetensors` allows). */
const MAX_HEADER = 100 * 1024 * 1024;

/**
 * Reads only the metadata of a checkpoint (the safetensors header), checked by `checkCheckpointMeta`: cheap enough
 * to look at every checkpoint of a work dir.
 * @throws MixupError (data) naming the file for a missing or non-regular file, a file that is not a mixup
 *   checkpoint, or metadata of the wrong types
 */
export function readCheckpointMeta(file: string): CheckpointMeta {
  const opts = {what: 'checkpoint', maxBytes: INPUT_LIMITS.checkpoint};
  const stat = (() => {
    try {
      return checkInputFile(file, opts);
    } catch (error) {
      if (isMixupError(error) && errorCode(error.cause) === 'ENOENT') {
        throw dataError(`${displayPath(file)}: checkpoint not found`, {suggestions: ['Checkpoints are written by `mixup train` as <work_dir>/latest.safetensors and epoch_<N>.safetensors.']});
      }
      throw error;
    }
  })();
  const bad = (why: string) => dataError(`${displayPath(file)}: not a mixup checkpoint (${why})`);
  const prefix = readInputRange(file, 0, 8, opts);
  if (prefix.length < 8) throw bad(`${stat.size} bytes, shorter than the 8-byte header length`);
  const headerLength = Number(prefix.readBigUInt64LE(0));
  if (headerLength > MAX_HEADER || 8 + headerLength > stat.size) throw bad(`header length ${headerLength} does not fit the file size ${stat.size} (truncated?)`);
  let header: unknown;
  try {
    header = JSON.parse(readInputRange(file, 8, headerLength, opts).toString('utf8'));
  } catch (error) {
    throw bad(`unreadable safetensors header: ${(error as Error).message}`);
  }
  const metaText = (header as {__metadata__?: {mixup?: unknown}} | null)?.__metadata__?.mixup;
  if (typeof metaText !== 'string') throw bad('no __metadata__.mixup entry: it was not written by `mixup train`');
  let raw: unknown;
  try {
    raw = JSON.parse(metaText);
  } catch (error) {
    throw dataError(`${displayPath(file)}: __metadata__.mixup is not valid JSON (${(error as Error).message})`);
  }
  checkJsonStructure(raw, file, 'data');
  return checkCheckpointMeta(raw, file);
}

/**
 * Reads a checkpoint written by `saveCheckpoint` (tensors are created on the current backend; dispose them with
 * `disposeCheckpoint`).
 * @throws MixupError (data) naming the file for a missing file, a file that is not a mixup checkpoint, or a corrupt one
 */
export function readCheckpoint(file: string): {meta: CheckpointMeta; tensors: CheckpointTensors} {
  const meta = readCheckpointMeta(file);
  const bad = (why: string) => dataError(`${displayPath(file)}: not a mixup checkpoint (${why})`);
  const entries = readSafetensors(file);
  const groups = {params: new Map<string, tf.Tensor>(), buffers: new Map<string, tf.Tensor>(), momentum: new Map<string, tf.Tensor>(), accumulated: new Map<string, tf.Tensor>()};
  for (const key of entries.keys()) {
    if (!(Object.keys(PREFIX) as Array<keyof typeof PREFIX>).some((g) => key.startsWith(PREFIX[g]))) throw bad(`tensor "${key}" is not a param/, buffer/, momentum/ or grad_accum/ entry`);
  }
  const hasAccumulated = [...entries.keys()].some((key) => key.startsWith(PREFIX.accumulated));
  if (hasAccumulated !== (meta.accumulation !== undefined)) {
    throw bad(hasAccumulated ? 'grad_accum/ tensors without __metadata__.mixup.accumulation' : '__metadata__.mixup.accumulation without grad_accum/ tensors');
  }
  for (const [key, entry] of entries) {
    const group = (Object.keys(PREFIX) as Array<keyof typeof PREFIX>).find((g) => key.startsWith(PREFIX[g]))!;
    groups[group].set(key.slice(PREFIX[group].length), tf.tensor(entry.data, entry.shape, 'float32'));
  }
  return {meta, tensors: groups};
}

/** The checkpoint's metadata, or the `MixupError` that says why it cannot be used. */
export function tryReadCheckpointMeta(file: string): CheckpointMeta | MixupError {
  try {
    return readCheckpointMeta(file);
  } catch (error) {
    if (isMixupError(error)) return error;
    throw error;
  }
}

/** Disposes the tensors `readCheckpoint` created. */
export function disposeCheckpoint(tensors: CheckpointTensors): void {
  for (const map of [tensors.params, tensors.buffers, tensors.momentum, tensors.accumulated ?? new Map()]) for (const t of map.values()) t.dispose();
}

/**
 * Assigns checkpoint tensors to the model's variables by name; every variable must be present with its shape.
 * @throws MixupError (data) naming the checkpoint, the first missing/extra name or the mismatched shape
 */
export function assignByName(targets: ReadonlyMap<string, tf.Variable>, values: ReadonlyMap<string, tf.Tensor>, what: string, file: string): void {
  for (const [name, variable] of targets) {
    const value = values.get(name);
    if (!value) throw dataError(`${displayPath(file)}: ${what} "${name}" is missing from the checkpoint (was it written for another model?)`);
    if (!tf.util.arraysEqual(value.shape, variable.shape)) {
      throw dataError(`${displayPath(file)}: ${what} "${name}" has shape [${value.shape}] in the checkpoint but [${variable.shape}] in the model`);
    }
    variable.assign(value);
  }
  const extra = [...values.keys()].find((name) => !targets.has(name));
  if (extra !== undefined) throw dataError(`${displayPath(file)}: ${what} "${extra}" in the checkpoint does not exist in the model`);
}

/**
 * Training checkpoints as safetensors files (https://huggingface.co/docs/safetensors): an 8-byte little-endian
 * header length, a JSON header `{name: {dtype, shape, data_offsets}, "__metadata__": {...}}`, then the raw
 * little-endian tensor bytes (read and written by `src/models/safetensors.ts`). Python reads them with
 * `safetensors.numpy.load_file`.
 *
 * Tensor names: `param/<name>` (trainable parameters), `buffer/<name>` (BN running statistics...),
 * `momentum/<name>` (SGD momentum of parameter `<name>`). `__metadata__.mixup` holds the JSON of
 * `CheckpointMeta` (epoch, RNG state, config hash...). Files are written atomically (`x.tmp-<pid>` + rename).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {displayPath} from '../config/files';
import {dataError} from '../errors';
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
}

/** Tensors of a checkpoint grouped as the trainer needs them. */
export interface CheckpointTensors {
  params: ReadonlyMap<string, tf.Tensor>;
  buffers: ReadonlyMap<string, tf.Tensor>;
  momentum: ReadonlyMap<string, tf.Tensor>;
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

/** Tensor name prefix of each group in the file. */
const PREFIX = {params: 'param/', buffers: 'buffer/', momentum: 'momentum/'} as const;

/**
 * Writes a checkpoint atomically (safetensors, float32; temp file + rename), reading the tensors from the device.
 * @throws MixupError (io) naming the file when it cannot be written
 */
export function saveCheckpoint(file: string, tensors: CheckpointTensors, meta: CheckpointMeta): void {
  const entries = new Map<string, {shape: number[]; data: Float32Array}>();
  for (const group of Object.keys(PREFIX) as Array<keyof typeof PREFIX>) {
    for (const [name, t] of tensors[group]) entries.set(`${PREFIX[group]}${name}`, {shape: t.shape, data: Float32Array.from(t.dataSync())});
  }
  fs.mkdirSync(path.dirname(file), {recursive: true});
  writeSafetensors(file, entries, {format: 'mixup-checkpoint', mixup: JSON.stringify(meta)});
}

/**
 * Reads a checkpoint written by `saveCheckpoint` (tensors are created on the current backend; dispose them with
 * `disposeCheckpoint`).
 * @throws MixupError (data) naming the file for a missing file, a file that is not a mixup checkpoint, or a corrupt one
 */
export function readCheckpoint(file: string): {meta: CheckpointMeta; tensors: CheckpointTensors} {
  if (!fs.existsSync(file)) throw dataError(`${displayPath(file)}: checkpoint not found`, {suggestions: ['Checkpoints are written by `mixup train` as <work_dir>/latest.safetensors and epoch_<N>.safetensors.']});
  const bad = (why: string) => dataError(`${displayPath(file)}: not a mixup checkpoint (${why})`);
  let metaText: string | undefined;
  try {
    const bytes = fs.readFileSync(file);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    metaText = JSON.parse(bytes.toString('utf8', 8, 8 + headerLength)).__metadata__?.mixup;
  } catch (error) {
    throw bad(`unreadable safetensors header: ${(error as Error).message}`);
  }
  if (typeof metaText !== 'string') throw bad('no __metadata__.mixup entry: it was not written by `mixup train`');
  const meta = JSON.parse(metaText) as CheckpointMeta;
  if (meta.format !== 1) throw bad(`format ${JSON.stringify(meta.format)} is not supported (expected 1)`);
  const groups = {params: new Map<string, tf.Tensor>(), buffers: new Map<string, tf.Tensor>(), momentum: new Map<string, tf.Tensor>()};
  for (const [key, entry] of readSafetensors(file)) {
    const group = (Object.keys(PREFIX) as Array<keyof typeof PREFIX>).find((g) => key.startsWith(PREFIX[g]));
    if (!group) throw bad(`tensor "${key}" is not a param/, buffer/ or momentum/ entry`);
    groups[group].set(key.slice(PREFIX[group].length), tf.tensor(entry.data, entry.shape, 'float32'));
  }
  return {meta, tensors: groups};
}

/** Disposes the tensors `readCheckpoint` created. */
export function disposeCheckpoint(tensors: CheckpointTensors): void {
  for (const map of [tensors.params, tensors.buffers, tensors.momentum]) for (const t of map.values()) t.dispose();
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

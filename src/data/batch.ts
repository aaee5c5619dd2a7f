/**
 * One batch of work, as plain data that crosses into a worker thread and back: which samples (files, cached decoded
 * pixels, or in-memory pixels), the pipeline, the seed and epoch; and what comes back (the packed NHWC batch, the
 * samples that failed and why, the decoded pixels the cache asked for). `runBatch` does the work; the loader runs it
 * on its own thread (`workers_per_gpu: 0`) or in the worker pool (`worker.ts`), with the same result.
 */
import {MixupError, dataError} from '../errors';
import {readImageFile, renderFixed, renderView, type DecodedView, normaliseInto} from './decode';
import {STREAM, streamRng} from './seeds';
import {classify, type SkipKind} from './skips';
import {splitSteps, type Step} from './transforms';
import type {RawImage} from './types';

/** Decoded pixels held by the cache; `data` views a `SharedArrayBuffer`, so workers read it without a copy. */
export interface SharedImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Where one sample's pixels come from: a file, in-memory pixels, or the cache (pixels after the fixed steps). */
export type ItemInput = {file: string} | {raw: RawImage} | {cached: RawImage};

/** One sample of a batch task. */
export interface TaskItem {
  /** position in the dataset: seeds the sample's augmentation with (seed, epoch, index) */
  index: number;
  label: number;
  input: ItemInput;
  /** return the pixels after the fixed steps in `BatchResult.decoded` (the cache wants them) */
  keep?: boolean;
}

/** A batch to decode, augment and pack. */
export interface BatchTask {
  steps: Step[];
  mean: number[];
  std: number[];
  cropBottom: number;
  seed: number;
  epoch: number;
  items: TaskItem[];
  /** samples decoded at once inside the task (sharp calls in flight) */
  inflight: number;
}

/** A sample that failed, by position in the task's items. */
export interface FailedItem {
  item: number;
  kind: SkipKind;
  reason: string;
}

/** What a batch task gives back. */
export interface BatchResult {
  /** undefined when every sample failed */
  batch?: {images: Float32Array; shape: [number, number, number, number]; labels: Int32Array};
  failed: FailedItem[];
  /** pixels after the fixed steps (`splitSteps`) of the items with `keep`, copied into shared memory */
  decoded: Array<{index: number; image: SharedImage}>;
}

/** A config or programming error inside a task (not a bad image): re-thrown as is by the loader. */
export interface TaskError {
  category: MixupError['category'] | 'internal';
  message: string;
}

/** Copies decoded pixels into a `SharedArrayBuffer` (so posting them to a worker shares instead of copying). */
export function shareImage(raw: RawImage): SharedImage {
  const data = new Uint8Array(new SharedArrayBuffer(raw.data.length));
  data.set(raw.data);
  return {data, width: raw.width, height: raw.height};
}

/** Runs `work` over `0..n-1` with at most `limit` calls pending, keeping results in order. */
async function mapLimited<T>(n: number, limit: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(n);
  let next = 0;
  const lane = async () => {
    while (next < n) {
      const i = next++;
      out[i] = await work(i);
    }
  };
  await Promise.all(Array.from({length: Math.min(n, Math.max(1, limit))}, lane));
  return out;
}

/**
 * Decodes, augments and packs one batch. A sample that cannot be read or decoded is reported in `failed` (the loader
 * decides: skip or fail); config errors (a crop larger than the padded image) and mismatched output sizes throw.
 */
export async function runBatch(task: BatchTask): Promise<BatchResult> {
  const failed: FailedItem[] = [];
  const decoded: BatchResult['decoded'] = [];
  // files and in-memory pixels go through the fixed steps here; cached pixels (`keep`'s output) already did
  const {fixed, random} = splitSteps(task.steps);
  const randomCropBottom = fixed.length > 0 ? 0 : task.cropBottom;
  const views = await mapLimited(task.items.length, task.inflight, async (k): Promise<DecodedView | undefined> => {
    const item = task.items[k];
    let base: RawImage;
    if ('file' in item.input) {
      try {
        base = await renderFixed(await readImageFile(item.input.file), fixed, task.cropBottom);
      } catch (error) {
        failed.push({item: k, ...classify(error)});
        return undefined;
      }
      if (item.keep) decoded.push({index: item.index, image: shareImage(base)});
    } else if ('cached' in item.input) {
      base = item.input.cached;
    } else {
      base = await renderFixed(item.input.raw, fixed, task.cropBottom);
    }
    return renderView(base, random, streamRng(STREAM.transform, task.seed, task.epoch, item.index), randomCropBottom);
  });
  failed.sort((a, b) => a.item - b.item);
  const kept = views.flatMap((view, k) => (view ? [{view, k}] : []));
  if (kept.length === 0) return {failed, decoded};
  const {width: W, height: H} = kept[0].view;
  const stride = H * W * 3;
  const images = new Float32Array(kept.length * stride);
  const labels = new Int32Array(kept.length);
  kept.forEach(({view, k}, n) => {
    if (view.width !== W || view.height !== H) {
      const input = task.items[k].input;
      const what = 'file' in input ? input.file : `sample ${task.items[k].index}`;
      throw dataError(`${what}: pipeline output is ${view.width}x${view.height}, but the batch's first image gave ${W}x${H}; end the pipeline with a crop`);
    }
    normaliseInto(images, n * stride, view, task.mean, task.std);
    labels[n] = task.items[k].label;
  });
  return {batch: {images, shape: [kept.length, H, W, 3], labels}, failed, decoded};
}

/** A task error as plain data (to cross a thread boundary). */
export function taskError(error: unknown): TaskError {
  if (error instanceof MixupError) return {category: error.category, message: error.message};
  return {category: 'internal', message: (error as Error)?.stack ?? String(error)};
}

/** The error a `TaskError` stands for, on the loader's side. */
export function fromTaskError(e: TaskError): Error {
  return e.category === 'internal' ? new Error(`data worker: ${e.message}`) : new MixupError(e.category, e.message);
}

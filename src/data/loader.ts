/**
 * The batch loader: seeded per-epoch shuffling, drop_last, decode + augment with a bounded number of images in
 * flight (`workers`, sharp runs them on libuv threads) and batches prefetched ahead of the consumer.
 */
import * as path from 'node:path';
import {dataError, usageError} from '../errors';
import {describeFsError} from '../io/fs-error';
import {DecodedView, decodeView, normaliseInto} from './decode';
import {STREAM, streamRng} from './seeds';
import {Pipeline, fixedOutputSize} from './transforms';
import type {Dataset, HostBatch, Loader, SkippedFile} from './types';

/** Loader settings after validation. */
export interface LoaderSettings {
  /** Where the split's config came from, for messages: `data.train`. */
  at: string;
  shuffle: boolean;
  dropLast: boolean;
  batchSize: number;
  /** Images decoded concurrently (>= 1). */
  workers: number;
  /** Batches decoded ahead of the consumer (>= 1). */
  prefetch: number;
  seed: number;
  strict: boolean;
  numClasses?: number;
}

/** Runs at most `limit` tasks at once, in submission order. */
class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/** Why a file failed, in a user's words. */
function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  return code !== undefined ? describeFsError(error) : ((error as Error).message ?? String(error));
}

/** The `Loader` over one dataset split (build it with `createLoader`). */
export class DatasetLoader implements Loader {
  readonly numSamples: number;
  readonly numBatches: number;
  readonly batchSize: number;
  readonly numClasses?: number;
  private skippedList: SkippedFile[] = [];
  private readonly sem: Semaphore;

  constructor(readonly dataset: Dataset, readonly pipeline: Pipeline, readonly settings: LoaderSettings) {
    const {samples} = dataset;
    this.numSamples = samples.length;
    this.batchSize = settings.batchSize;
    this.numClasses = settings.numClasses ?? dataset.numClasses;
    if (samples.length === 0) throw dataError(`${settings.at}: ${dataset.description} has no samples`);
    const k = this.numClasses;
    if (k !== undefined) {
      const bad = samples.find((s) => s.label >= k);
      if (bad) throw dataError(`${bad.where}: label ${bad.label} is out of range for num_classes ${k} (labels must be in [0, ${k - 1}])`);
    }
    this.numBatches = settings.dropLast ? Math.floor(samples.length / settings.batchSize) : Math.ceil(samples.length / settings.batchSize);
    if (this.numBatches === 0) {
      throw dataError(`${settings.at}: ${samples.length} samples make no batch of ${settings.batchSize} with drop_last; lower imgs_per_gpu or set drop_last false`);
    }
    if (!dataset.raw && !fixedOutputSize(pipeline.steps)) {
      throw usageError(`${settings.at}.pipeline must end with a crop or a Resize to [h, w] so that all images of a batch have the same size`);
    }
    this.sem = new Semaphore(settings.workers);
  }

  get skipped(): number {
    return this.skippedList.length;
  }

  get skippedFiles(): readonly SkippedFile[] {
    return this.skippedList;
  }

  /** Sample indices of an epoch in visiting order: a permutation from (seed, epoch) when shuffling, else 0..n-1. */
  order(epochIndex: number): Int32Array {
    if (!this.settings.shuffle) return Int32Array.from({length: this.numSamples}, (_, i) => i);
    return streamRng(STREAM.shuffle, this.settings.seed, epochIndex).permutation(this.numSamples);
  }

  async *epoch(epochIndex: number): AsyncGenerator<HostBatch> {
    if (!Number.isInteger(epochIndex) || epochIndex < 0) throw usageError(`epoch index must be an integer >= 0, got ${epochIndex}`);
    this.skippedList = [];
    const order = this.order(epochIndex);
    const {batchSize, prefetch} = this.settings;
    const queue: Array<Promise<HostBatch | undefined>> = [];
    let next = 0;
    const fill = () => {
      while (queue.length < prefetch && next < this.numBatches) {
        const batch = this.loadBatch(order.subarray(next * batchSize, Math.min(order.length, (next + 1) * batchSize)), epochIndex);
        batch.catch(() => undefined); // awaited below; avoids an unhandled rejection if the consumer stops early
        queue.push(batch);
        next++;
      }
    };
    fill();
    while (queue.length > 0) {
      const batch = await queue.shift()!;
      fill();
      if (batch) yield batch;
    }
  }

  /** Decodes one sample, or records it as skipped (non-strict) / throws naming its path (strict). */
  private async loadOne(index: number, epochIndex: number): Promise<DecodedView | undefined> {
    const {dataset, pipeline, settings} = this;
    const sample = dataset.samples[index];
    const rng = streamRng(STREAM.transform, settings.seed, epochIndex, index);
    const file = path.join(dataset.root, sample.file);
    try {
      return await decodeView(dataset.raw ? {raw: dataset.raw(index)} : {file}, pipeline.steps, rng, dataset.cropBottom);
    } catch (error) {
      if (settings.strict) throw dataError(`${file}: cannot load image (${reason(error)}), listed at ${sample.where}`, {cause: error});
      this.skippedList.push({path: file, reason: reason(error)});
      return undefined;
    }
  }

  /** Loads the samples of one batch concurrently and packs them NHWC; undefined when every image was skipped. */
  private async loadBatch(indices: Int32Array, epochIndex: number): Promise<HostBatch | undefined> {
    const views = await Promise.all(Array.from(indices, (i) => this.sem.run(() => this.loadOne(i, epochIndex))));
    const kept = views.flatMap((v, k) => (v ? [{view: v, index: indices[k]}] : []));
    if (kept.length === 0) return undefined;
    const {width: W, height: H} = kept[0].view;
    const stride = H * W * 3;
    const images = new Float32Array(kept.length * stride);
    const labels = new Int32Array(kept.length);
    kept.forEach(({view, index}, n) => {
      if (view.width !== W || view.height !== H) {
        const s = this.dataset.samples[index];
        throw dataError(`${path.join(this.dataset.root, s.file)}: pipeline output is ${view.width}x${view.height}, but the batch's first image gave ${W}x${H}; end ${this.settings.at}.pipeline with a crop`);
      }
      normaliseInto(images, n * stride, view, this.pipeline.mean, this.pipeline.std);
      labels[n] = this.dataset.samples[index].label;
    });
    return {images, shape: [kept.length, H, W, 3], labels};
  }
}

/**
 * The batch loader: seeded per-epoch shuffling, drop_last, batches decoded and augmented ahead of the consumer on
 * worker threads (`pool.ts`; `workers: 0` decodes on the loader's own thread), across a train split's epoch
 * boundaries too (its last batches leave their prefetch slots to the next epoch's first ones), a decoded-image
 * cache for file sources (`cache.ts`), and the accounting of unloadable samples (`skips.ts`): a check of every file
 * before the first epoch, counts by reason, warnings, and the limits that stop a run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {dataError, usageError} from '../errors';
import {runBatch, type BatchResult, type BatchTask, type TaskItem} from './batch';
import {CacheMode, DecodedCache, defaultCacheBudgetMB} from './cache';
import {sharedPool} from './pool';
import {STREAM, streamRng} from './seeds';
import {EXAMPLES_SHOWN, SampleError, SkipTally, checkSkips, classify, sourceWords, strictError, type SkipLimits} from './skips';
import {Pipeline, fixedOutputSize} from './transforms';
import type {Dataset, HostBatch, Loader, LoaderReport, SkippedFile} from './types';

/** Loader settings after validation. */
export interface LoaderSettings {
  /** Where the split's config came from, for messages: `data.train`. */
  at: string;
  shuffle: boolean;
  dropLast: boolean;
  batchSize: number;
  /** Worker threads decoding batches; 0 = on the loader's thread. */
  workers: number;
  /** Batches decoded ahead of the consumer (>= 1). */
  prefetch: number;
  seed: number;
  /** Any unloadable sample is an error. */
  strict: boolean;
  numClasses?: number;
  /** Share of the split's samples that may be skipped before the loader stops with an error (default 0). */
  maxSkipFraction?: number;
  /** The config field of `maxSkipFraction`, for messages (default `data.max_skip_fraction`). */
  skipField?: string;
  /** Decoded-image cache of file sources (default `"auto"`). */
  cache?: CacheMode;
  /** Cache budget in MiB (default `defaultCacheBudgetMB()`). */
  cacheBudgetMB?: number;
  /** Where warnings go (skipped files, list entries outside the root, a source's notice); default stderr. */
  warn?: (message: string) => void;
}

/** Images decoded at once inside one batch task. */
const INFLIGHT = 2;

/** True when realising the pipeline can resample (in-memory images without these steps are copied in JS). */
function resamples(pipeline: Pipeline): boolean {
  return pipeline.steps.some((s) => s.type === 'Resize' || s.type === 'RandomResizedCrop');
}

/** A batch in flight: its sample indices and the pending result. */
interface InFlight {
  indices: Int32Array;
  result: Promise<BatchResult>;
}

/** The `Loader` over one dataset split (build it with `createLoader`). */
export class DatasetLoader implements Loader {
  readonly numSamples: number;
  readonly numBatches: number;
  readonly batchSize: number;
  readonly numClasses?: number;
  readonly classNames?: readonly string[];
  /** worker threads used (0: the loader's thread) */
  readonly threads: number;
  private readonly cache: DecodedCache;
  private readonly limits: SkipLimits;
  private readonly warn: (message: string) => void;
  /** samples found unloadable before the first epoch, by index */
  private readonly unloadable = new Map<number, SkippedFile>();
  private readonly preflight = new SkipTally();
  private outsideRoot = 0;
  /** samples already named in a warning */
  private readonly warned = new Set<number>();
  /** decode failures of this epoch not named in a warning yet */
  private fresh: SkippedFile[] = [];
  private tally = new SkipTally();
  /** the next epoch's first batches, dispatched while this epoch's last ones were consumed (`epoch()` takes them) */
  private ahead?: {epoch: number; order: Int32Array; queue: InFlight[]};

  constructor(readonly dataset: Dataset, readonly pipeline: Pipeline, readonly settings: LoaderSettings) {
    const {samples} = dataset;
    this.numSamples = samples.length;
    this.batchSize = settings.batchSize;
    this.numClasses = settings.numClasses ?? dataset.numClasses;
    this.classNames = dataset.classNames;
    this.warn = settings.warn ?? ((message) => process.stderr.write(`warning: ${message}\n`));
    this.limits = {at: settings.at, strict: settings.strict, maxFraction: settings.maxSkipFraction ?? 0, field: settings.skipField ?? 'data.max_skip_fraction'};
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
    this.threads = dataset.raw && !resamples(pipeline) ? 0 : settings.workers;
    this.cache = new DecodedCache(dataset.raw ? false : settings.cache ?? 'auto', (settings.cacheBudgetMB ?? defaultCacheBudgetMB()) * 2 ** 20, samples.length);
    if (dataset.notice) this.warn(dataset.notice);
    if (!dataset.raw) this.checkFiles();
  }

  get skipped(): number {
    return this.tally.count;
  }

  get skippedFiles(): readonly SkippedFile[] {
    return this.tally.files;
  }

  report(): LoaderReport {
    const {dataset} = this;
    return {
      source: dataset.description,
      root: dataset.root,
      samples: this.numSamples,
      batches: this.numBatches,
      decode: this.threads === 0 ? 'main thread' : `${this.threads} worker thread${this.threads === 1 ? '' : 's'}`,
      cache: dataset.raw ? 'not needed (in-memory source)' : this.cache.describe(),
      skipped: this.preflight.summary(),
      outside_root: this.outsideRoot,
      ...(dataset.notice ? {notice: dataset.notice} : {}),
    };
  }

  /** Decoded images cached so far. */
  get cacheStats(): {images: number; bytes: number} {
    return this.cache.stats;
  }

  /** Sample indices of an epoch in visiting order: a permutation from (seed, epoch) when shuffling, else 0..n-1. */
  order(epochIndex: number): Int32Array {
    if (!this.settings.shuffle) return Int32Array.from({length: this.numSamples}, (_, i) => i);
    return streamRng(STREAM.shuffle, this.settings.seed, epochIndex).permutation(this.numSamples);
  }

  /** Starts batch `b` of an epoch whose visiting order is `order`. */
  private start(order: Int32Array, b: number, epochIndex: number): InFlight {
    const {batchSize} = this.settings;
    const indices = order.subarray(b * batchSize, Math.min(order.length, (b + 1) * batchSize));
    const result = this.dispatch(indices, epochIndex);
    result.catch(() => undefined); // awaited when consumed; avoids an unhandled rejection if it never is
    return {indices, result};
  }

  async *epoch(epochIndex: number): AsyncGenerator<HostBatch> {
    if (!Number.isInteger(epochIndex) || epochIndex < 0) throw usageError(`epoch index must be an integer >= 0, got ${epochIndex}`);
    this.tally = new SkipTally();
    this.fresh = [];
    const order = this.order(epochIndex);
    const {prefetch} = this.settings;
    // the batches the previous epoch started for this one (another epoch's are dropped: nobody consumes them)
    const queue: InFlight[] = this.ahead?.epoch === epochIndex ? this.ahead.queue : [];
    this.ahead = undefined;
    let next = queue.length;
    let loaded = 0;
    const fill = () => {
      while (queue.length < prefetch && next < this.numBatches) queue.push(this.start(order, next++, epochIndex));
      // everything of this epoch is under way: a train split's free prefetch slots start epoch + 1's first batches
      // (not val's: its batches are larger and it is evaluated once an epoch, so they would wait in memory)
      if (next < this.numBatches || !this.settings.shuffle) return;
      const epoch = epochIndex + 1;
      this.ahead ??= {epoch, order: this.order(epoch), queue: []};
      const ahead = this.ahead;
      while (queue.length + ahead.queue.length < prefetch && ahead.queue.length < this.numBatches) ahead.queue.push(this.start(ahead.order, ahead.queue.length, epoch));
    };
    fill();
    while (queue.length > 0) {
      const {indices, result} = queue.shift()!;
      const done = await result;
      fill();
      this.account(indices, done);
      if (done.batch) {
        loaded += done.batch.shape[0];
        yield done.batch;
      }
    }
    checkSkips(this.tally, this.numSamples, this.dataset, this.limits, true, loaded);
    this.warnNew(epochIndex);
  }

  /** Starts the task of one batch (preflight failures left out) on the pool or on this thread. */
  private dispatch(indices: Int32Array, epochIndex: number): Promise<BatchResult> {
    const {dataset, pipeline, settings} = this;
    const items: TaskItem[] = [];
    for (const index of indices) {
      if (this.unloadable.has(index)) continue;
      const sample = dataset.samples[index];
      const cached = this.cache.get(index);
      if (dataset.raw) items.push({index, label: sample.label, input: {raw: dataset.raw(index)}});
      else if (cached) items.push({index, label: sample.label, input: {cached}});
      else items.push({index, label: sample.label, input: {file: path.join(dataset.root, sample.file)}, keep: this.cache.wants(index)});
    }
    const task: BatchTask = {steps: pipeline.steps, mean: pipeline.mean, std: pipeline.std, cropBottom: dataset.cropBottom ?? 0, seed: settings.seed, epoch: epochIndex, items, inflight: INFLIGHT};
    if (items.length === 0) return Promise.resolve({failed: [], decoded: []});
    return this.threads > 0 ? sharedPool(this.threads).run(task) : runBatch(task);
  }

  /** Counts a batch's skipped samples in visiting order, enforces the limits and fills the cache. */
  private account(indices: Int32Array, result: BatchResult): void {
    const failedAt = new Map<number, {kind: SkippedFile['kind']; reason: string}>();
    let item = 0;
    const positions: number[] = [];
    for (const index of indices) if (!this.unloadable.has(index)) positions[item++] = index;
    for (const f of result.failed) failedAt.set(positions[f.item], f);
    for (const index of indices) {
      const pre = this.unloadable.get(index);
      const failed = failedAt.get(index);
      if (pre) this.tally.add(pre);
      else if (failed) {
        const sample = this.dataset.samples[index];
        const file: SkippedFile = {path: path.join(this.dataset.root, sample.file), reason: failed.reason, kind: failed.kind, where: sample.where};
        if (this.settings.strict) throw strictError(file);
        this.tally.add(file);
        if (!this.warned.has(index)) {
          this.warned.add(index);
          this.fresh.push(file);
        }
      }
    }
    for (const {index, image} of result.decoded) this.cache.add(index, image);
    checkSkips(this.tally, this.numSamples, this.dataset, this.limits, false, 1);
  }

  /** Warns once about the files that failed while decoding in this epoch and were not named before. */
  private warnNew(epochIndex: number): void {
    const fresh = this.fresh.splice(0);
    if (fresh.length === 0) return;
    const tally = new SkipTally();
    fresh.forEach((f) => tally.add(f));
    const n = fresh.length;
    this.warn(`${this.settings.at}, epoch ${epochIndex + 1}: ${n} image${n === 1 ? '' : 's'} could not be read or decoded and ${n === 1 ? 'was' : 'were'} skipped (${tally.reasons()}): ${tally.examples()}`);
  }

  /**
   * Before any epoch: every listed file must be a non-empty regular file (`stat`, no read), and list entries that
   * leave the root (`../x.png`) are counted. Warns about both; fails under strict, or past the skip limits.
   */
  private checkFiles(): void {
    const {dataset, settings} = this;
    const root = path.resolve(dataset.root);
    const outside: string[] = [];
    dataset.samples.forEach((sample, index) => {
      const file = path.join(dataset.root, sample.file);
      const rel = path.relative(root, path.resolve(file));
      if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
        this.outsideRoot++;
        if (outside.length < EXAMPLES_SHOWN) outside.push(`${JSON.stringify(sample.file)} at ${sample.where}`);
      }
      let problem: {kind: SkippedFile['kind']; reason: string} | undefined;
      try {
        const stat = fs.statSync(file);
        if (!stat.isFile()) problem = classify(new SampleError('not-a-file', stat.isDirectory() ? 'is a directory' : 'not a regular file'));
        else if (stat.size === 0) problem = classify(new SampleError('zero-byte', 'zero-byte file'));
      } catch (error) {
        problem = classify(error);
      }
      if (problem) {
        const skipped: SkippedFile = {path: file, ...problem, where: sample.where};
        this.unloadable.set(index, skipped);
        this.preflight.add(skipped);
      }
    });
    if (this.outsideRoot > 0) {
      const message = `${settings.at}: ${this.outsideRoot} list entr${this.outsideRoot === 1 ? 'y leaves' : 'ies leave'} the image root ${dataset.root || '(the current directory)'} (${outside.join('; ')})`;
      if (settings.strict) throw dataError(`${message}; strict mode refuses paths outside the root`);
      this.warn(`${message}; they are read from outside it`);
    }
    checkSkips(this.preflight, this.numSamples, dataset, this.limits, false, 1);
    if (this.preflight.count > 0) {
      this.warn(
        `${settings.at}: ${this.preflight.count} of ${this.numSamples} images cannot be loaded and will be skipped (${this.preflight.reasons()}); ` +
          `${sourceWords(dataset)}; e.g. ${this.preflight.examples()}`,
      );
      for (const index of this.unloadable.keys()) this.warned.add(index);
    }
  }
}

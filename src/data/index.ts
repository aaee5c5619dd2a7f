/**
 * The data room's public surface (stable names; the engine and commands import only from here):
 *
 * - `createLoader(dataCfg, split, opts) -> Loader` with `numSamples`, `numBatches`, `batchSize`, `numClasses?`,
 *   `skipped`, `skippedFiles`, `report()` and `epoch(epochIndex): AsyncIterable<HostBatch>`;
 *   `HostBatch = {images: Float32Array (N*H*W*C, normalised, NHWC), shape: [N, H, W, C], labels: Int32Array}`.
 * - `openDataset(dataCfg, split)`: the split's samples without decoding (counts, labels).
 * - Readers: `readImageList`, `readCub200`, `readAircraft`, `readINaturalist`, `readPlaces205`, `readImageFolder`,
 *   `readMnist`, `readFashionMnist`, `readIdx`, `makeSynthetic`; `prepareData` (the `mixup prepare-data` command's logic).
 * - Workers: `closeDataWorkers()` stops the decode threads (they never keep the process alive when idle).
 * - Pipeline: `parsePipeline`, `planSample`, `decodeView`, `IMAGENET_MEAN`, `IMAGENET_STD`.
 */
import {usageError, showValue} from '../errors';
import type {CacheMode} from './cache';
import {defaultCacheBudgetMB} from './cache';
import {Fields, asFields, checkKnownKeys, optBool, optInt, optNumber} from './fields';
import {DatasetLoader} from './loader';
import {openSource} from './sources';
import {Pipeline, parsePipeline} from './transforms';
import type {Dataset, Loader} from './types';

export type {Dataset, HostBatch, Loader, LoaderReport, RawImage, Sample, SkippedFile} from './types';
export {SKIP_KINDS} from './skips';
export type {SkipKind, SkipSummary} from './skips';
export {closeDataWorkers} from './pool';
export {defaultCacheBudgetMB} from './cache';
export {DatasetLoader} from './loader';
export {SPLITORS, formatImageList, readImageList} from './list-file';
export type {Splitor} from './list-file';
export {readCub200} from './sources/cub200';
export {readAircraft, AIRCRAFT_BANNER_PX} from './sources/aircraft';
export {readINaturalist} from './sources/inaturalist';
export {readPlaces205} from './sources/places205';
export {readImageFolder} from './sources/image-folder';
export {readMnist} from './sources/mnist';
export {readFashionMnist, FASHION_MNIST_ROOT, FASHION_MNIST_CLASSES} from './sources/fashion-mnist';
export {readIdx} from './idx';
export {makeSynthetic} from './sources/synthetic';
export {SOURCES} from './sources';
export {IMAGENET_MEAN, IMAGENET_STD, parsePipeline, planSample, randomResizedCropParams} from './transforms';
export type {Pipeline, Plan, Step} from './transforms';
export {decodeView, normaliseInto, readImageFile} from './decode';
export {prepareData, PREPARE_DATASETS, DATA_LAYOUTS, DEFAULT_DATA_ROOT} from './prepare';
export type {PrepareResult, PrepareDataset, DataLayout} from './prepare';

/** Options of `createLoader`. */
export interface LoaderOptions {
  /** Run seed: the train order of epoch e and every sample's augmentation derive from (seed, e, index). */
  seed: number;
  /** Fail on the first missing or corrupt image (default `data.strict`, else false: skip it, count it in `skipped`). */
  strict?: boolean;
  /** Decode worker threads (0: on the caller's thread); default `data.workers_per_gpu`, else 2. */
  workers?: number;
  /** Batch size; default `data.imgs_per_gpu`. */
  batchSize?: number;
  /** The model's class count: a label >= numClasses is an error here, before training starts. */
  numClasses?: number;
  /** Batches decoded ahead of the consumer (default `max(2, workers + 1)`). */
  prefetch?: number;
  /** Where the loader's warnings go (skipped files, paths outside the root, a source's notice); default stderr. */
  warn?: (message: string) => void;
}

/** The `data` fields the loader reads: exactly those of the config schema's `data` (validate ≡ train; tested). */
export const LOADER_DATA_KEYS: readonly string[] = ['imgs_per_gpu', 'workers_per_gpu', 'drop_last', 'train', 'val', 'strict', 'max_skip_fraction', 'cache', 'cache_budget_mb'];
/** The fields of `data.train` / `data.val` the loader reads (likewise the schema's). */
export const LOADER_SPLIT_KEYS: readonly string[] = ['type', 'data_source', 'pipeline'];

/** Default share of a split's samples that may be skipped (`data.max_skip_fraction`): 1% of train, none of val. */
export const DEFAULT_MAX_SKIP_FRACTION = {train: 0.01, val: 0} as const;

/** `data.max_skip_fraction.<split>`, `data.cache`, `data.cache_budget_mb`: the loader's skip and cache settings. */
function loaderFields(data: Fields, split: 'train' | 'val'): {maxSkipFraction: number; cache: CacheMode; cacheBudgetMB: number} {
  let maxSkipFraction: number = DEFAULT_MAX_SKIP_FRACTION[split];
  if (data.obj.max_skip_fraction !== undefined) {
    const f = asFields(data.obj.max_skip_fraction, `${data.at}.max_skip_fraction`);
    checkKnownKeys(f, ['train', 'val']);
    maxSkipFraction = optNumber(f, split, 0, 1, maxSkipFraction);
  }
  const cache = data.obj.cache ?? 'auto';
  if (cache !== 'auto' && typeof cache !== 'boolean') throw usageError(`${data.at}.cache must be "auto", true or false, got ${showValue(cache)}`);
  return {maxSkipFraction, cache, cacheBudgetMB: optInt(data, 'cache_budget_mb', 0, defaultCacheBudgetMB())};
}

function splitFields(dataCfg: unknown, split: 'train' | 'val'): {data: Fields; cfg: Fields} {
  const data = asFields(dataCfg, 'data');
  checkKnownKeys(data, LOADER_DATA_KEYS);
  const cfg = asFields(data.obj[split], `data.${split}`);
  checkKnownKeys(cfg, LOADER_SPLIT_KEYS);
  if (cfg.obj.type !== undefined && cfg.obj.type !== 'ClassificationDataset') {
    throw usageError(`data.${split}.type must be "ClassificationDataset", got ${showValue(cfg.obj.type)}`);
  }
  return {data, cfg};
}

/** Reads the samples of `data.<split>` (no decoding): counts and labels for reports and checks. */
export function openDataset(dataCfg: unknown, split: 'train' | 'val'): {dataset: Dataset; pipeline: Pipeline} {
  const {cfg} = splitFields(dataCfg, split);
  const pipeline = parsePipeline(cfg.obj.pipeline ?? [], `data.${split}.pipeline`);
  return {dataset: openSource(asFields(cfg.obj.data_source, `data.${split}.data_source`), split), pipeline};
}

/**
 * Builds the loader of one split of a config's `data` section.
 * Train: seeded shuffle per epoch and `data.drop_last`; val: fixed order, last batch kept. Every listed file is
 * checked (`stat`) here, before any epoch.
 * @throws MixupError (usage) for invalid fields, (data) for unreadable lists, a label >= `opts.numClasses`, or more
 *   unloadable files than `data.max_skip_fraction` allows (any under strict).
 */
export function createLoader(dataCfg: unknown, split: 'train' | 'val', opts: LoaderOptions): Loader {
  if (split !== 'train' && split !== 'val') throw usageError(`split must be "train" or "val", got ${showValue(split)}`);
  if (!Number.isInteger(opts.seed)) throw usageError(`seed must be an integer, got ${opts.seed}`);
  const {data} = splitFields(dataCfg, split);
  const {dataset, pipeline} = openDataset(dataCfg, split);
  const at = `data.${split}`;
  const batchSize = opts.batchSize ?? optInt(data, 'imgs_per_gpu', 1);
  const workers = opts.workers ?? optInt(data, 'workers_per_gpu', 0, 2);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw usageError(`batch size must be an integer >= 1, got ${batchSize}`);
  if (!Number.isInteger(workers) || workers < 0) throw usageError(`workers must be an integer >= 0, got ${workers}`);
  return new DatasetLoader(dataset, pipeline, {
    at,
    shuffle: split === 'train',
    dropLast: split === 'train' && optBool(data, 'drop_last', false),
    batchSize,
    workers,
    prefetch: Math.max(1, opts.prefetch ?? Math.max(2, workers + 1)),
    seed: opts.seed,
    strict: opts.strict ?? optBool(data, 'strict', false),
    numClasses: opts.numClasses,
    ...loaderFields(data, split),
    skipField: `data.max_skip_fraction.${split}`,
    warn: opts.warn,
  });
}

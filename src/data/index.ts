/**
 * The data room's public surface (stable names; the engine and commands import only from here):
 *
 * - `createLoader(dataCfg, split, opts) -> Loader` with `numSamples`, `numBatches`, `batchSize`, `numClasses?`,
 *   `skipped`, `skippedFiles` and `epoch(epochIndex): AsyncIterable<HostBatch>`;
 *   `HostBatch = {images: Float32Array (N*H*W*C, normalised, NHWC), shape: [N, H, W, C], labels: Int32Array}`.
 * - `openDataset(dataCfg, split)`: the split's samples without decoding (counts, labels).
 * - Readers: `readImageList`, `readCub200`, `readAircraft`, `readINaturalist`, `readPlaces205`, `readImageFolder`,
 *   `readMnist`, `makeSynthetic`; `prepareData` (the `mixup prepare-data` command's logic).
 * - Pipeline: `parsePipeline`, `planSample`, `decodeView`, `IMAGENET_MEAN`, `IMAGENET_STD`.
 */
import {usageError} from '../errors';
import {Fields, asFields, checkKnownKeys, optBool, optInt} from './fields';
import {DatasetLoader} from './loader';
import {openSource} from './sources';
import {Pipeline, parsePipeline} from './transforms';
import type {Dataset, Loader} from './types';

export type {Dataset, HostBatch, Loader, RawImage, Sample, SkippedFile} from './types';
export {DatasetLoader} from './loader';
export {SPLITORS, formatImageList, readImageList} from './list-file';
export type {Splitor} from './list-file';
export {readCub200} from './sources/cub200';
export {readAircraft, AIRCRAFT_BANNER_PX} from './sources/aircraft';
export {readINaturalist} from './sources/inaturalist';
export {readPlaces205} from './sources/places205';
export {readImageFolder} from './sources/image-folder';
export {readMnist} from './sources/mnist';
export {makeSynthetic} from './sources/synthetic';
export {SOURCES} from './sources';
export {IMAGENET_MEAN, IMAGENET_STD, parsePipeline, planSample, randomResizedCropParams} from './transforms';
export type {Pipeline, Plan, Step} from './transforms';
export {decodeView, normaliseInto} from './decode';
export {prepareData, PREPARE_DATASETS} from './prepare';
export type {PrepareResult, PrepareDataset} from './prepare';

/** Options of `createLoader`. */
export interface LoaderOptions {
  /** Run seed: the train order of epoch e and every sample's augmentation derive from (seed, e, index). */
  seed: number;
  /** Fail on the first missing or corrupt image (default: skip it, count it in `skipped`). */
  strict?: boolean;
  /** Images decoded at once; default `data.workers_per_gpu`, else 2. */
  workers?: number;
  /** Batch size; default `data.imgs_per_gpu`. */
  batchSize?: number;
  /** The model's class count: a label >= numClasses is an error here, before training starts. */
  numClasses?: number;
  /** Batches decoded ahead of the consumer (default 2). */
  prefetch?: number;
}

const DATA_KEYS = ['imgs_per_gpu', 'workers_per_gpu', 'drop_last', 'train', 'val', 'test', 'sampler'];

function splitFields(dataCfg: unknown, split: 'train' | 'val'): {data: Fields; cfg: Fields} {
  const data = asFields(dataCfg, 'data');
  checkKnownKeys(data, DATA_KEYS);
  const cfg = asFields(data.obj[split], `data.${split}`);
  checkKnownKeys(cfg, ['type', 'data_source', 'pipeline', 'prefetch']);
  if (cfg.obj.type !== undefined && cfg.obj.type !== 'ClassificationDataset') {
    throw usageError(`data.${split}.type must be "ClassificationDataset", got ${JSON.stringify(cfg.obj.type)}`);
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
 * Train: seeded shuffle per epoch and `data.drop_last`; val: fixed order, last batch kept.
 * @throws MixupError (usage) for invalid fields, (data) for unreadable lists or a label >= `opts.numClasses`.
 */
export function createLoader(dataCfg: unknown, split: 'train' | 'val', opts: LoaderOptions): Loader {
  if (split !== 'train' && split !== 'val') throw usageError(`split must be "train" or "val", got ${JSON.stringify(split)}`);
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
    workers: Math.max(1, workers),
    prefetch: Math.max(1, opts.prefetch ?? 2),
    seed: opts.seed,
    strict: opts.strict ?? false,
    numClasses: opts.numClasses,
  });
}

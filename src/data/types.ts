/**
 * Types shared by the data room: samples, datasets (readers' output), host batches (the loader's output).
 */
import type {SkipKind, SkipSummary} from './skips';

/** One labelled image of a dataset. */
export interface Sample {
  /** Path relative to the dataset's image root (`Dataset.root`), as written in reference list files; an id for in-memory sources. */
  file: string;
  /** 0-based class index. */
  label: number;
  /** Where the sample was declared, for error messages: `"data/meta/CUB200/train_labeled.txt:12"`. */
  where: string;
}

/** 8-bit RGB pixels, row-major, `data.length === width * height * 3`. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** What a reader returns: the labelled samples of one split and what is known about the classes. */
export interface Dataset {
  /** Human description used in messages and reports, e.g. `CUB200 train (data/CUB200/CUB_200_2011)`. */
  description: string;
  /** Directory the sample paths are relative to (`''` for in-memory sources). */
  root: string;
  samples: Sample[];
  /** Number of classes when the dataset declares it (class list file, categories); undefined for bare lists. */
  numClasses?: number;
  /** Class names indexed by label, when known. */
  classNames?: string[];
  /** Pixels to drop from the image's bottom before any transform (FGVC-Aircraft's copyright banner, 20 px). */
  cropBottom?: number;
  /** In-memory sources (MNIST, Synthetic) give pixels directly instead of files. */
  raw?: (index: number) => RawImage;
  /** The file that lists the samples (reference list, `images.txt`, annotation file), for messages. */
  listFile?: string;
  /**
   * Set when the source serves other data than the config names (FashionMNIST falling back to the MNIST digits):
   * the loader prints it and the run's log meta records it.
   */
  notice?: string;
}

/** A batch on the host, ready to become a tensor: images NHWC normalised float32, labels int32. */
export interface HostBatch {
  /** `N*H*W*C` floats, NHWC, normalised by the pipeline's Normalize step (or scaled to [0, 1] without one). */
  images: Float32Array;
  /** `[N, H, W, C]`; N may be smaller than the batch size for the last val batch or when images were skipped. */
  shape: [number, number, number, number];
  /** `N` 0-based class indices. */
  labels: Int32Array;
}

/** A file that could not be read or decoded and was skipped (non-strict mode). */
export interface SkippedFile {
  path: string;
  /** why, in a user's words: `file not found`, `zero-byte file`, `truncated image: ...` */
  reason: string;
  /** why, as a category (counted per reason in warnings and the log meta) */
  kind: SkipKind;
  /** the list line that names the file, when known */
  where?: string;
}

/** What a loader reports about its split (the run's log meta `data.<split>`). */
export interface LoaderReport {
  /** the source, e.g. `ImageList data/meta/CUB200/train_labeled.txt` */
  source: string;
  root: string;
  samples: number;
  batches: number;
  /** decode work: `main thread` or `N worker threads` */
  decode: string;
  /** the decoded cache's mode and budget */
  cache: string;
  /** samples found unloadable before the first epoch (missing, zero-byte, not a file) */
  skipped: SkipSummary;
  /** list entries whose path leaves `root` (`../x.png`) */
  outside_root: number;
  /** the source's notice (data other than the config names), if any */
  notice?: string;
}

/** The batch loader the engine consumes (see `createLoader` in `src/data/index.ts`). */
export interface Loader {
  /** Samples in the split (before skipping unreadable files). */
  readonly numSamples: number;
  /** Batches per epoch (`floor` with drop_last, else `ceil`). */
  readonly numBatches: number;
  readonly batchSize: number;
  /** Number of classes when known (from `opts.numClasses` or the dataset). */
  readonly numClasses?: number;
  /** Class names indexed by label, when the dataset has them (`classes.txt`, categories, folder names). */
  readonly classNames?: readonly string[];
  /** Files skipped in the most recent epoch (reset when an epoch starts). */
  readonly skipped: number;
  readonly skippedFiles: readonly SkippedFile[];
  /** Batches of one epoch; train: seeded shuffle from (seed, epoch), val: fixed order. */
  epoch(epochIndex: number): AsyncIterable<HostBatch>;
  /** The split's source, settings and what was found unloadable before the first epoch. */
  report(): LoaderReport;
}

/**
 * The published top-1 accuracies (%) of OpenMixup's "Mixup Fine-grained and Scenic Classification Benchmarks" page
 * (median of the last 10 of 200 epochs for CUB-200/Aircraft, last 5 of 100 for iNat/Places205), copied as data
 * for `mixup compare`. `null` = no published number (`-` on the page). Rows keep the page's order and Beta α.
 */

import {BENCHMARKS} from '../config/benchmarks';

/** One published table column group: a dataset and its backbones, and one row per method. */
export interface PublishedTable {
  /** dataset id (`src/summary/runinfo.ts` DATASETS) */
  dataset: string;
  /** backbone ids, in the page's column order */
  backbones: string[];
  rows: PublishedRow[];
}

/** One method row of a published table. */
export interface PublishedRow {
  /** method name of `src/config/methods.ts` */
  method: string;
  /** the Beta α column (`null` for Vanilla) */
  alpha: number | null;
  /** top-1 per backbone, same order as `backbones` */
  top1: (number | null)[];
}

/**
 * Datasets with published numbers, in the page's order. The numbers live once, in the benchmark catalog
 * (`src/config/benchmarks.ts`, which gen-configs also reads for the α column); this view reshapes them per table.
 */
export const PUBLISHED: readonly PublishedTable[] = BENCHMARKS.filter((b) => !b.demo).map((b) => ({
  dataset: b.name,
  backbones: [...b.backbones],
  rows: b.methods.map((method) => ({method, alpha: b.alphas[method] ?? null, top1: [...(b.reference[method] ?? b.backbones.map(() => null))]})),
}));

/** Dataset ids accepted by `mixup compare --reference`. */
export const PUBLISHED_DATASETS: readonly string[] = PUBLISHED.map((t) => t.dataset);

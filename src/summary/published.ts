/**
 * The published top-1 accuracies (%) of OpenMixup's "Mixup Fine-grained and Scenic Classification Benchmarks" page
 * (median of the last 10 of 200 epochs for CUB-200/Aircraft, last 5 of 100 for iNat/Places205), copied as data
 * for `mixup compare`. `null` = no published number (`-` on the page). Rows keep the page's order and Beta α.
 */

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

const row = (method: string, alpha: number | null, ...top1: (number | null)[]): PublishedRow => ({method, alpha, top1});

/** Datasets with published numbers, in the page's order. */
export const PUBLISHED: readonly PublishedTable[] = [
  {
    dataset: 'cub200',
    backbones: ['r18', 'rx50'],
    rows: [
      row('vanilla', null, 77.68, 83.01),
      row('mixup', 0.2, 78.39, 84.58),
      row('cutmix', 1, 78.4, 85.68),
      row('manifoldmix', 0.5, 79.76, 86.38),
      row('saliencymix', 0.2, 77.95, 83.29),
      row('fmix', 0.2, 77.28, 84.06),
      row('puzzlemix', 1, 78.63, 84.51),
      row('resizemix', 1, 78.5, 84.77),
      row('automix', 2, 79.87, 86.56),
      row('samix', 2, 81.11, 86.83),
    ],
  },
  {
    dataset: 'aircraft',
    backbones: ['r18', 'rx50'],
    rows: [
      row('vanilla', null, 80.23, 85.1),
      row('mixup', 0.2, 79.52, 85.18),
      row('cutmix', 1, 78.84, 84.55),
      row('manifoldmix', 0.5, 80.68, 86.6),
      row('saliencymix', 0.2, 80.02, 84.31),
      row('fmix', 0.2, 79.36, 86.23),
      row('puzzlemix', 1, 80.76, 86.23),
      row('resizemix', 1, 78.1, 84.08),
      row('automix', 2, 81.37, 86.72),
      row('samix', 2, 82.15, 86.8),
    ],
  },
  {
    dataset: 'inat2017',
    backbones: ['r18', 'r50', 'rx101'],
    rows: [
      row('vanilla', null, 51.79, 60.23, 63.7),
      row('mixup', 0.2, 51.4, 61.22, 66.27),
      row('cutmix', 1, 51.24, 62.34, 67.59),
      row('manifoldmix', 0.2, 51.83, 61.47, 66.08),
      row('saliencymix', 1, 51.29, 62.51, 67.2),
      row('fmix', 1, 52.01, 61.9, 66.64),
      row('puzzlemix', 1, null, 62.66, 67.72),
      row('resizemix', 1, 51.21, 62.29, 66.82),
      row('automix', 2, 52.84, 63.08, 68.03),
      row('samix', 2, 53.42, 63.32, 68.26),
    ],
  },
  {
    dataset: 'inat2018',
    backbones: ['r50', 'rx101'],
    rows: [
      row('vanilla', null, 62.53, 66.94),
      row('mixup', 0.2, 62.69, 67.56),
      row('cutmix', 1, 63.91, 69.75),
      row('manifoldmix', 0.2, 63.46, 69.3),
      row('saliencymix', 1, 64.27, 70.01),
      row('fmix', 1, 63.71, 69.46),
      row('puzzlemix', 1, 64.36, 70.12),
      row('resizemix', 1, 64.12, 69.3),
      row('automix', 2, 64.73, 70.49),
      row('samix', 2, 64.84, 70.54),
    ],
  },
  {
    dataset: 'places205',
    backbones: ['r18', 'r50'],
    rows: [
      row('vanilla', null, 59.63, 63.1),
      row('mixup', 0.2, 59.33, 63.01),
      row('cutmix', 0.2, 59.21, 63.75),
      row('manifoldmix', 0.2, 59.46, 63.23),
      row('saliencymix', 0.2, 59.5, 63.33),
      row('fmix', 0.2, 59.51, 63.63),
      row('puzzlemix', 1, 59.62, 63.91),
      row('resizemix', 1, 59.66, 63.88),
      row('automix', 2, 59.74, 64.06),
      row('samix', 2, 59.86, 64.27),
    ],
  },
];

/** Dataset ids accepted by `mixup compare --reference`. */
export const PUBLISHED_DATASETS: readonly string[] = PUBLISHED.map((t) => t.dataset);

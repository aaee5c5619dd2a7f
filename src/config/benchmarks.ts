/**
 * The benchmark catalog: for each dataset of OpenMixup's "Mixup Fine-grained and Scenic Classification Benchmarks"
 * page (`../shared/reference/mixup-fine-grained-benchmarks.txt`), its class count, the backbones and methods of its
 * reference table, the Beta α the table lists per method, the published top-1 results and the training protocol.
 * Plus `demo`, a small in-memory benchmark (10 classes, 32×32) that runs on a laptop CPU.
 *
 * Data only. `generate.ts` turns an entry into configs: the hand-written base of a (dataset, backbone) is
 * `configs/<dataset>/<backbone>_mixups_CE_none.json` (a method may name another base through `variants`: PuzzleMix's
 * soft-CE head, and the learned mixers' `<backbone>_automix.json` / `<backbone>_samix.json` AutoMixup configs). The
 * demo lists automix/samix only in `alphas`/`variants` (`gen-configs --dataset demo --methods automix`), not in its
 * default methods.
 */
import {usageError} from '../errors';
import {DEMO_METHODS, LEARNED_METHODS, REFERENCE_TABLE_METHODS} from './methods';

/** Backbone keys used in file names (`r18_mixups_CE_none.json`), as in OpenMixup's config names. */
export const BACKBONES = {
  r18: 'ResNet-18',
  r50: 'ResNet-50',
  rx50: 'ResNeXt-50 (32x4d)',
  rx101: 'ResNeXt-101 (32x4d)',
} as const;

/** A key of `BACKBONES` (`r18`, `r50`, `rx50`, `rx101`). */
export type BackboneKey = keyof typeof BACKBONES;

/** How a benchmark trains (the reference protocol; the values also sit in the base configs, which win). */
export interface Protocol {
  /** ImageNet-pretrained torchvision weights (transfer) or from scratch */
  init: 'torchvision' | 'scratch';
  lr: number;
  weightDecay: number;
  /** images per GPU; the reference batch is imgsPerGpu × gpus */
  imgsPerGpu: number;
  /** GPUs of the reference runs */
  gpus: number;
  /** training crop size (pixels) */
  cropSize: number;
  /** the published number is the median top-1 of the last N epochs */
  medianLastEpochs: number;
}

/** One benchmark: a dataset with its reference table and protocol. */
export interface Benchmark {
  /** `--dataset` value */
  name: string;
  /** display name of the reference table */
  label: string;
  numClasses: number;
  /** backbones of the reference table, in its column order */
  backbones: BackboneKey[];
  /**
   * backbones OpenMixup ships base configs for that the reference table has no column for (CUB-200 / Aircraft
   * `r50_mixups_CE_none.py`): `gen-configs --backbone` accepts them, the default and `compare` leave them out, and
   * they have no published numbers. Only the methods whose base config exists for them are generated.
   */
  extraBackbones?: BackboneKey[];
  /** methods of the reference table, in its row order (config names of `src/config/methods.ts`) */
  methods: string[];
  /** Beta α the table lists per method (`null` for vanilla: no mixing) */
  alphas: Record<string, number | null>;
  /** published median top-1 (%) per method, one entry per backbone (same order); null = "-" in the table */
  reference: Record<string, Array<number | null>>;
  defaultEpochs: number;
  protocol: Protocol;
  /**
   * methods whose reference config is not `<backbone>_mixups_CE_none.json` but `<backbone>_<variant>.json`; every
   * benchmark maps the learned mixers (automix, samix) to their AutoMixup bases
   */
  variants: Record<string, string>;
  /** true for the small built-in benchmark that has no published table */
  demo?: boolean;
}

/**
 * The learned mixers' bases: `<backbone>_automix.json` / `<backbone>_samix.json`, `model.type: "AutoMixup"` configs
 * after OpenMixup's `configs/classification/<dataset>/{automix,samix}/` (see docs/config.md for the derived ones).
 */
const LEARNED: Record<string, string> = Object.fromEntries(LEARNED_METHODS.map((name) => [name, name]));

/** The reference tables' rows: the catalog's `referenceTable` entries, in catalog order. */
const TABLE_METHODS = [...REFERENCE_TABLE_METHODS];

const FINE_GRAINED: Protocol = {init: 'torchvision', lr: 0.001, weightDecay: 5e-4, imgsPerGpu: 16, gpus: 1, cropSize: 224, medianLastEpochs: 10};
const LARGE_SCALE: Protocol = {init: 'scratch', lr: 0.1, weightDecay: 1e-4, imgsPerGpu: 64, gpus: 4, cropSize: 224, medianLastEpochs: 5};

/** α column of the CUB-200 / Aircraft table */
const ALPHA_FINE_GRAINED = {vanilla: null, mixup: 0.2, cutmix: 1, manifoldmix: 0.5, saliencymix: 0.2, fmix: 0.2, puzzlemix: 1, resizemix: 1, automix: 2, samix: 2};
/** α column of the iNat2017 / iNat2018 table */
const ALPHA_INAT = {vanilla: null, mixup: 0.2, cutmix: 1, manifoldmix: 0.2, saliencymix: 1, fmix: 1, puzzlemix: 1, resizemix: 1, automix: 2, samix: 2};
/** α column of the Places205 table */
const ALPHA_PLACES = {vanilla: null, mixup: 0.2, cutmix: 0.2, manifoldmix: 0.2, saliencymix: 0.2, fmix: 0.2, puzzlemix: 1, resizemix: 1, automix: 2, samix: 2};

/** Splits a reference table (rows in TABLE_METHODS order, columns = datasets × backbones) into per-dataset rows. */
function columns(rows: Array<Array<number | null>>, from: number, to: number): Record<string, Array<number | null>> {
  return Object.fromEntries(TABLE_METHODS.map((method, i) => [method, rows[i].slice(from, to)]));
}

// Transfer learning table: CUB-200 R-18, RX-50 | Aircraft R-18, RX-50
const FINE_GRAINED_TABLE = [
  [77.68, 83.01, 80.23, 85.1],
  [78.39, 84.58, 79.52, 85.18],
  [78.4, 85.68, 78.84, 84.55],
  [79.76, 86.38, 80.68, 86.6],
  [77.95, 83.29, 80.02, 84.31],
  [77.28, 84.06, 79.36, 86.23],
  [78.63, 84.51, 80.76, 86.23],
  [78.5, 84.77, 78.1, 84.08],
  [79.87, 86.56, 81.37, 86.72],
  [81.11, 86.83, 82.15, 86.8],
];
// Large-scale table: iNat2017, RX-101 | iNat2018 R-50, RX-101
const INAT_TABLE = [
  [51.79, 60.23, 63.7, 62.53, 66.94],
  [51.4, 61.22, 66.27, 62.69, 67.56],
  [51.24, 62.34, 67.59, 63.91, 69.75],
  [51.83, 61.47, 66.08, 63.46, 69.3],
  [51.29, 62.51, 67.2, 64.27, 70.01],
  [52.01, 61.9, 66.64, 63.71, 69.46],
  [null, 62.66, 67.72, 64.36, 70.12],
  [51.21, 62.29, 66.82, 64.12, 69.3],
  [52.84, 63.08, 68.03, 64.73, 70.49],
  [53.42, 63.32, 68.26, 64.84, 70.54],
];
// Scenic table: Places205
const PLACES_TABLE = [
  [59.63, 63.1],
  [59.33, 63.01],
  [59.21, 63.75],
  [59.46, 63.23],
  [59.5, 63.33],
  [59.51, 63.63],
  [59.62, 63.91],
  [59.66, 63.88],
  [59.74, 64.06],
  [59.86, 64.27],
];

/** Every benchmark `gen-configs --dataset` knows. */
export const BENCHMARKS: readonly Benchmark[] = [
  {
    name: 'cub200', label: 'CUB-200', numClasses: 200, backbones: ['r18', 'rx50'], extraBackbones: ['r50'], methods: TABLE_METHODS, alphas: ALPHA_FINE_GRAINED,
    reference: columns(FINE_GRAINED_TABLE, 0, 2), defaultEpochs: 200, protocol: FINE_GRAINED, variants: {puzzlemix: 'puzzlemix_CE_soft', ...LEARNED},
  },
  {
    name: 'aircraft', label: 'FGVC-Aircraft', numClasses: 100, backbones: ['r18', 'rx50'], extraBackbones: ['r50'], methods: TABLE_METHODS, alphas: ALPHA_FINE_GRAINED,
    reference: columns(FINE_GRAINED_TABLE, 2, 4), defaultEpochs: 200, protocol: FINE_GRAINED, variants: {puzzlemix: 'puzzlemix_CE_soft', ...LEARNED},
  },
  {
    name: 'inat2017', label: 'iNat2017', numClasses: 5089, backbones: ['r18', 'r50', 'rx101'], methods: TABLE_METHODS, alphas: ALPHA_INAT,
    reference: columns(INAT_TABLE, 0, 3), defaultEpochs: 100, protocol: LARGE_SCALE, variants: LEARNED,
  },
  {
    name: 'inat2018', label: 'iNat2018', numClasses: 8142, backbones: ['r50', 'rx101'], methods: TABLE_METHODS, alphas: ALPHA_INAT,
    reference: columns(INAT_TABLE, 3, 5), defaultEpochs: 100, protocol: LARGE_SCALE, variants: LEARNED,
  },
  {
    name: 'places205', label: 'Places205', numClasses: 205, backbones: ['r18', 'r50'], methods: TABLE_METHODS, alphas: ALPHA_PLACES,
    reference: columns(PLACES_TABLE, 0, 2), defaultEpochs: 100, protocol: LARGE_SCALE, variants: LEARNED,
  },
  {
    name: 'demo', label: 'demo (MNIST 32×32, 10 classes)', numClasses: 10, backbones: ['r18'],
    methods: [...DEMO_METHODS],
    alphas: {vanilla: null, mixup: 1, cutmix: 1, fmix: 1, resizemix: 1, manifoldmix: 1, automix: 2, samix: 2},
    reference: {}, defaultEpochs: 4, variants: LEARNED, demo: true,
    protocol: {init: 'scratch', lr: 0.1, weightDecay: 5e-4, imgsPerGpu: 64, gpus: 1, cropSize: 32, medianLastEpochs: 1},
  },
];

/** Dataset names, for flag help and error messages. */
export const BENCHMARK_NAMES: readonly string[] = BENCHMARKS.map((b) => b.name);

/**
 * The catalog entry of a dataset.
 * @throws MixupError (usage) naming the value and listing the known datasets
 */
export function getBenchmark(name: string): Benchmark {
  const found = BENCHMARKS.find((b) => b.name === name);
  if (!found) throw usageError(`unknown dataset ${JSON.stringify(name)}; known datasets: ${BENCHMARK_NAMES.join(', ')}`);
  return found;
}

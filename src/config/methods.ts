/**
 * The catalog of mixing methods the benchmark names: config names, table labels, papers and the default
 * `mix_args` of the reference configs (OpenMixup `configs/classification/cub200/mixups/basic/r18_mixups_CE_none.py`).
 *
 * This is data only (no tensors): the config schema validates `mix_mode` against these names, `gen-configs` reads
 * the reference alphas from `src/config/benchmarks.ts`, and `src/mixups/index.ts` registers one implementation per
 * name. Whether a method is implemented is decided by the mixups registry, never here.
 *
 * `args` is the one description of a method's `model.mix_args.<name>` (defaults and bounds): `validate` and the
 * mixer that trains with them both read them through `readMethodArgs`, so a config `validate` accepts is one the
 * mixer accepts, with the same message when it is not.
 */
import {defaultsOf, readArgs, type ArgSpecs} from './args';

export type MethodKind =
  /** no mixing */
  | 'none'
  /** mixes input images from random draws only */
  | 'static'
  /** mixes input images using a saliency map of the images (no model) */
  | 'saliency'
  /** mixes using features or gradients of a model (the current one or a frozen extractor) */
  | 'model'
  /** mixes hidden features inside the backbone */
  | 'feature'
  /** a learned mixer trained jointly with the classifier (its own classifier type) */
  | 'learned';

export interface MethodInfo {
  /** config name (`model.mix_mode`) */
  name: string;
  /** row label in the reference tables (`*` = arXiv pre-print reproduced by OpenMixup) */
  label: string;
  kind: MethodKind;
  /** paper title and link */
  paper: string;
  /** the fields of `model.mix_args[name]`, with the reference configs' defaults and the bounds the mixer needs */
  args: ArgSpecs;
  /** default `model.mix_args[name]` of the reference configs (from `args`) */
  defaultArgs: Record<string, unknown>;
  /** a row of the benchmark page's reference tables (which list these rows in catalog order) */
  referenceTable?: true;
  /** position among the methods `mixup demo` (and `gen-configs --dataset demo`) train by default (1 = first) */
  demoOrder?: number;
  /**
   * the method whose model this one refines (SAMix: AutoMix's Mix Block plus `value_neck_cfg` / `x_qk_concat`): a run
   * that one source names by the base method and another by this one is this one
   */
  variantOf?: string;
}

/** A catalog entry without `defaultArgs` (derived from `args`). */
type MethodEntry = Omit<MethodInfo, 'defaultArgs'>;

const int = (min: number, max?: number) => ({min, integer: true, ...(max === undefined ? {} : {max})});
const positive = {min: 0, exclusiveMin: true};
const nonNegative = {min: 0};

const ENTRIES: readonly MethodEntry[] = [
  {name: 'vanilla', label: 'Vanilla', kind: 'none', paper: 'no mixing (ERM)', args: {}, referenceTable: true, demoOrder: 1},
  {name: 'mixup', label: 'MixUp', kind: 'static', paper: 'mixup: Beyond Empirical Risk Minimization, https://arxiv.org/abs/1710.09412', args: {}, referenceTable: true, demoOrder: 2},
  {name: 'cutmix', label: 'CutMix', kind: 'static', paper: 'CutMix: Regularization Strategy to Train Strong Classifiers with Localizable Features, https://arxiv.org/abs/1905.04899', args: {}, referenceTable: true, demoOrder: 3},
  {name: 'manifoldmix', label: 'ManifoldMix', kind: 'feature', paper: 'Manifold Mixup: Better Representations by Interpolating Hidden States, https://arxiv.org/abs/1806.05236', args: {layer: {type: 'range', default: [0, 3], rule: int(0, 5), halfOpen: true}}, referenceTable: true, demoOrder: 6},
  {name: 'saliencymix', label: 'SaliencyMix', kind: 'saliency', paper: 'SaliencyMix: A Saliency Guided Data Augmentation Strategy for Better Regularization, https://arxiv.org/abs/2006.01791', args: {}, referenceTable: true},
  {name: 'fmix', label: 'FMix*', kind: 'static', paper: 'FMix: Enhancing Mixed Sample Data Augmentation, https://arxiv.org/abs/2002.12047', args: {
    decay_power: {type: 'number', default: 3, rule: positive},
    size: {type: 'range', default: [224, 224], rule: int(1)},
    max_soft: {type: 'number', default: 0, rule: {min: 0, max: 0.5}},
    reformulate: {type: 'bool', default: false},
  }, referenceTable: true, demoOrder: 4},
  {name: 'puzzlemix', label: 'PuzzleMix', kind: 'model', paper: 'Puzzle Mix: Exploiting Saliency and Local Statistics for Optimal Mixup, https://arxiv.org/abs/2009.06962', args: {
    transport: {type: 'bool', default: true},
    t_batch_size: {type: 'nullableNumber', default: 32, rule: int(1)},
    t_size: {type: 'number', default: -1, rule: int(-1)},
    mp: {type: 'nullableNumber', default: null, rule: int(0)},
    block_num: {type: 'number', default: 4, rule: int(2, 8)},
    beta: {type: 'number', default: 1.2, rule: nonNegative},
    gamma: {type: 'number', default: 0.5, rule: nonNegative},
    eta: {type: 'number', default: 0.2, rule: nonNegative},
    neigh_size: {type: 'number', default: 4, rule: int(1)},
    n_labels: {type: 'number', default: 3, rule: int(2, 8)},
    t_eps: {type: 'number', default: 0.8, rule: nonNegative},
  }, referenceTable: true},
  {name: 'resizemix', label: 'ResizeMix*', kind: 'static', paper: 'ResizeMix: Mixing Data with Preserved Object Information and True Labels, https://arxiv.org/abs/2012.11101', args: {scope: {type: 'range', default: [0.1, 0.8], rule: {min: 0, max: 1}}, use_alpha: {type: 'bool', default: true}}, referenceTable: true, demoOrder: 5},
  {name: 'gridmix', label: 'GridMix', kind: 'static', paper: 'GridMix: Strong regularization through local context mapping, Pattern Recognition 2021 (doi:10.1016/j.patcog.2020.107594)', args: {
    n_holes: {type: 'range', default: [2, 6], rule: int(1)},
    hole_aspect_ratio: {type: 'range', default: 1, rule: positive},
    cut_area_ratio: {type: 'range', default: [0.5, 1], rule: {...positive, max: 1}},
    cut_aspect_ratio: {type: 'range', default: [0.5, 2], rule: positive},
  }},
  {name: 'smoothmix', label: 'SmoothMix', kind: 'static', paper: 'SmoothMix: a Simple Yet Effective Data Augmentation to Train Robust Classifiers, CVPR Workshops 2020', args: {}},
  {name: 'attentivemix', label: 'AttentiveMix+', kind: 'model', paper: 'Attentive CutMix: An Enhanced Data Augmentation Approach for Deep Learning Based Image Classification, https://arxiv.org/abs/2003.13048', args: {grid_size: {type: 'number', default: 32, rule: int(1)}, top_k: {type: 'nullableNumber', default: null, rule: int(1)}, beta: {type: 'number', default: 8, rule: positive}}},
  {name: 'alignmix', label: 'AlignMix', kind: 'feature', paper: 'AlignMix: Improving representation by interpolating aligned features, https://arxiv.org/abs/2103.15375', args: {eps: {type: 'number', default: 0.1, rule: positive}, max_iter: {type: 'number', default: 100, rule: int(1)}}},
  {name: 'automix', label: 'AutoMix', kind: 'learned', paper: 'AutoMix: Unveiling the Power of Mixup for Stronger Classifiers, https://arxiv.org/abs/2103.13027', args: {mask_adjust: {type: 'number', default: 0, rule: {min: 0, max: 1}}, lam_margin: {type: 'number', default: 0, rule: {min: 0, max: 0.5}}}, referenceTable: true},
  {name: 'samix', label: 'SAMix*', kind: 'learned', paper: 'Boosting Discriminative Visual Representation Learning with Scenario-Agnostic Mixup, https://arxiv.org/abs/2111.15454', args: {mask_adjust: {type: 'number', default: 0, rule: {min: 0, max: 1}}, lam_margin: {type: 'number', default: 0.08, rule: {min: 0, max: 0.5}}}, referenceTable: true, variantOf: 'automix'},
];

export const METHODS: readonly MethodInfo[] = ENTRIES.map((m) => ({...m, defaultArgs: defaultsOf(m.args)}));

export const METHOD_NAMES: readonly string[] = METHODS.map((m) => m.name);

export function findMethod(name: string): MethodInfo | undefined {
  return METHODS.find((m) => m.name === name);
}

/** The rows of the benchmark page's reference tables, in their order (`referenceTable` entries). */
export const REFERENCE_TABLE_METHODS: readonly string[] = METHODS.filter((m) => m.referenceTable).map((m) => m.name);

/** The methods `mixup demo` trains by default, in `demoOrder`. */
export const DEMO_METHODS: readonly string[] = METHODS.filter((m) => m.demoOrder !== undefined)
  .sort((a, b) => a.demoOrder! - b.demoOrder!)
  .map((m) => m.name);

/** The learned mixers (kind `learned`: their own classifier, `model.type: "AutoMixup"`). */
export const LEARNED_METHODS: readonly string[] = METHODS.filter((m) => m.kind === 'learned').map((m) => m.name);

/** True when `method` (a catalog name, or undefined / a mixed policy `a+b`) is of kind `none`: it does not mix, so it has no α. */
export function mixesNothing(method: string | undefined): boolean {
  return method !== undefined && findMethod(method)?.kind === 'none';
}

/** True when `method` is a learned mixer (kind `learned`). */
export function isLearned(method: string | undefined): boolean {
  return method !== undefined && findMethod(method)?.kind === 'learned';
}

/**
 * Table row order: the reference tables' rows first, then the rest of the catalog (each in catalog order), then
 * unknown names (mixed policies).
 */
export function methodOrder(method: string | undefined): number {
  const i = REFERENCE_TABLE_METHODS.indexOf(method ?? '');
  if (i >= 0) return i;
  const j = METHODS.findIndex((m) => m.name === method);
  return j >= 0 ? REFERENCE_TABLE_METHODS.length + j : REFERENCE_TABLE_METHODS.length + METHODS.length;
}

/**
 * `model.mix_args[name]` read with the catalog's `args` (defaults filled in, bounds checked, unknown fields refused).
 * @throws MixupError (usage) naming `model.mix_args.<name>.<field>`, what was expected and the value
 */
export function readMethodArgs(name: string, raw: Record<string, unknown>): Record<string, unknown> {
  const method = findMethod(name);
  if (!method) throw new Error(`readMethodArgs: "${name}" is not in the method catalog`);
  return readArgs(method.args, raw, `model.mix_args.${name}`);
}

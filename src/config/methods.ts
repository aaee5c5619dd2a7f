/**
 * The catalog of mixing methods the benchmark names: config names, table labels, papers and the default
 * `mix_args` of the reference configs (OpenMixup `configs/classification/cub200/mixups/basic/r18_mixups_CE_none.py`).
 *
 * This is data only (no tensors): the config schema validates `mix_mode` against these names, `gen-configs` reads
 * the reference alphas from `src/config/benchmarks.ts`, and `src/mixups/index.ts` registers one implementation per
 * name. Whether a method is implemented is decided by the mixups registry, never here.
 */
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
  /** default `model.mix_args[name]` of the reference configs */
  defaultArgs: Record<string, unknown>;
}

export const METHODS: readonly MethodInfo[] = [
  {name: 'vanilla', label: 'Vanilla', kind: 'none', paper: 'no mixing (ERM)', defaultArgs: {}},
  {name: 'mixup', label: 'MixUp', kind: 'static', paper: 'mixup: Beyond Empirical Risk Minimization, https://arxiv.org/abs/1710.09412', defaultArgs: {}},
  {name: 'cutmix', label: 'CutMix', kind: 'static', paper: 'CutMix: Regularization Strategy to Train Strong Classifiers with Localizable Features, https://arxiv.org/abs/1905.04899', defaultArgs: {}},
  {name: 'manifoldmix', label: 'ManifoldMix', kind: 'feature', paper: 'Manifold Mixup: Better Representations by Interpolating Hidden States, https://arxiv.org/abs/1806.05236', defaultArgs: {layer: [0, 3]}},
  {name: 'saliencymix', label: 'SaliencyMix', kind: 'saliency', paper: 'SaliencyMix: A Saliency Guided Data Augmentation Strategy for Better Regularization, https://arxiv.org/abs/2006.01791', defaultArgs: {}},
  {name: 'fmix', label: 'FMix*', kind: 'static', paper: 'FMix: Enhancing Mixed Sample Data Augmentation, https://arxiv.org/abs/2002.12047', defaultArgs: {decay_power: 3, size: [224, 224], max_soft: 0, reformulate: false}},
  {name: 'puzzlemix', label: 'PuzzleMix', kind: 'model', paper: 'Puzzle Mix: Exploiting Saliency and Local Statistics for Optimal Mixup, https://arxiv.org/abs/2009.06962', defaultArgs: {transport: true, t_batch_size: 32, t_size: -1, mp: null, block_num: 4, beta: 1.2, gamma: 0.5, eta: 0.2, neigh_size: 4, n_labels: 3, t_eps: 0.8}},
  {name: 'resizemix', label: 'ResizeMix*', kind: 'static', paper: 'ResizeMix: Mixing Data with Preserved Object Information and True Labels, https://arxiv.org/abs/2012.11101', defaultArgs: {scope: [0.1, 0.8], use_alpha: true}},
  {name: 'gridmix', label: 'GridMix', kind: 'static', paper: 'GridMix: Strong regularization through local context mapping, Pattern Recognition 2021 (doi:10.1016/j.patcog.2020.107594)', defaultArgs: {n_holes: [2, 6], hole_aspect_ratio: 1, cut_area_ratio: [0.5, 1], cut_aspect_ratio: [0.5, 2]}},
  {name: 'smoothmix', label: 'SmoothMix', kind: 'static', paper: 'SmoothMix: a Simple Yet Effective Data Augmentation to Train Robust Classifiers, CVPR Workshops 2020', defaultArgs: {}},
  {name: 'attentivemix', label: 'AttentiveMix+', kind: 'model', paper: 'Attentive CutMix: An Enhanced Data Augmentation Approach for Deep Learning Based Image Classification, https://arxiv.org/abs/2003.13048', defaultArgs: {grid_size: 32, top_k: null, beta: 8}},
  {name: 'alignmix', label: 'AlignMix', kind: 'feature', paper: 'AlignMix: Improving representation by interpolating aligned features, https://arxiv.org/abs/2103.15375', defaultArgs: {eps: 0.1, max_iter: 100}},
  {name: 'automix', label: 'AutoMix', kind: 'learned', paper: 'AutoMix: Unveiling the Power of Mixup for Stronger Classifiers, https://arxiv.org/abs/2103.13027', defaultArgs: {mask_adjust: 0, lam_margin: 0}},
  {name: 'samix', label: 'SAMix*', kind: 'learned', paper: 'Boosting Discriminative Visual Representation Learning with Scenario-Agnostic Mixup, https://arxiv.org/abs/2111.15454', defaultArgs: {mask_adjust: 0, lam_margin: 0.08}},
];

export const METHOD_NAMES: readonly string[] = METHODS.map((m) => m.name);

export function findMethod(name: string): MethodInfo | undefined {
  return METHODS.find((m) => m.name === name);
}

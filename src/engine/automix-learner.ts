/**
 * The training step of the learned mixers AutoMix and SAMix: OpenMixup's `AutoMixup.forward_train`
 * (`openmixup/models/classifiers/automix.py`), bi-level in one backward pass.
 *
 * Papers: Liu et al., "AutoMix: Unveiling the Power of Mixup for Stronger Classifiers", ECCV 2022
 * (https://arxiv.org/abs/2103.13027); Li et al., "Boosting Discriminative Visual Representation Learning with
 * Scenario-Agnostic Mixup" (https://arxiv.org/abs/2111.15454).
 *
 * Per iteration t, with x the batch and y its labels:
 *
 *     λ_mb, λ_bb ~ Beta(α, α)                       two draws: one for the Mix Block (mb), one for the backbone (bb)
 *     π_mb, π_bb                                      pairings (π_mb without fixed points when mix_shuffle_no_repeat)
 *     z = f_k^{(l)}(x)                                momentum encoder's stage-l features (a constant here)
 *     M_mb = MixBlock(z, π_mb, λ_mb)                  trained by this step
 *     M_bb = sg(MixBlock(z, π_bb, λ_bb)), or λ_bb everywhere when λ_bb or 1 − λ_bb <= lam_margin
 *     x_mb = M_mb ⊙ x + (1 − M_mb) ⊙ x[π_mb],   x_bb = M_bb ⊙ x + (1 − M_bb) ⊙ x[π_bb]
 *
 *     L = w_mix_q · ℓ_mix(h_mix_q(f_q(x_bb)), y, y[π_bb], λ_bb)        trains the online encoder q and its heads
 *       + w_one_q · ℓ_CE(h_one_q(f_q(x)), y)
 *       + w_mix_k · ℓ_mix_k(h_mix_k(f_k(x_mb)), y, y[π_mb], λ_mb)      trains the Mix Block through x_mb (k is frozen)
 *       + μ(t) · L_mask(M_mb, λ_mb)                                      keeps mean(M_mb) near λ_mb (μ cosine 0.1 → 0)
 *
 * Gradients flow to q's parameters from the first two terms only and to the Mix Block from the last two only, so
 * one backward pass over both groups equals OpenMixup's single `loss.backward()`; each group then takes its own
 * momentum-SGD step with its own learning rate (`optimizer.paramwise_options.mix_block`, `addtional_scheduler`).
 * After the step the momentum encoder follows q: θ_k ← m(t)·θ_k + (1 − m(t))·θ_q (`CosineScheduleHook`).
 *
 * SAMix's η-balanced loss is ℓ_mix_k with `model.head_mix_k.loss` = soft decoupled CE with `eta_weight` η
 * (`src/mixups/loss.ts`): ℓ_η = ℓ_local (mixed soft CE) + η · ℓ_global.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {AutoMixConfig, CustomHookConfig} from '../config/schema';
import {notImplemented} from '../errors';
import {accuracyTop1Device, mixLoss, type LossConfig} from '../mixups';
import type {LabelMix} from '../mixups/types';
import {backboneMask, cosineSchedule, cosineScheduleHookMomentum, maskLoss, mixImages, type AutoMixModel} from '../models';
import type {Rng} from '../rng';
import {evaluateHeads, gradsByName, type EvalOptions, type EvalResult, type HostBatchLike, type Learner, type LoaderLike, type StepContext, type StepResult} from './learner';
import {GradAccumulation, type AccumulationState} from './grad-accumulation';
import {buildLrSchedule, type LrSchedule} from './lr';
import {Sgd, type SgdOptions} from './sgd';

/** The schedules of one AutoMix run. */
export interface AutoMixSchedules {
  /** learning rate of the online encoder group (`lr_config`) */
  lr: LrSchedule;
  /** learning rate of the Mix Block group (`paramwise_options.mix_block.lr` with `addtional_scheduler`) */
  mixBlockLr: LrSchedule;
  /** weight μ(t) of the mask loss (`CustomCosineAnnealingHook` on `mask_loss`) */
  maskLossWeight(epoch: number, iter: number): number;
  /** EMA momentum m(t) (`CosineScheduleHook`) */
  momentum(iter: number): number;
}

/** Options of {@link AutoMixLearner}. */
export interface AutoMixLearnerOptions {
  model: AutoMixModel;
  schedules: AutoMixSchedules;
  /** online encoder group */
  sgd: SgdOptions;
  /** Mix Block group */
  mixBlockSgd: SgdOptions;
  /** `optimizer_config.update_interval`: both groups step on the summed gradients (default: every iteration) */
  accumulation?: GradAccumulation;
}

/**
 * A pairing of 0..n−1 without fixed points where possible (OpenMixup `_no_repeat_shuffle_idx`): up to 10 random
 * permutations; if all have a fixed point, `ignoreFailure` keeps the last one, else the shift i → (i + s) mod n
 * with s ~ U{1, …, n − 2} (OpenMixup's `np.random.randint(1, n − 1)`; s = 1 for n = 2).
 */
export function noRepeatPermutation(rng: Rng, n: number, ignoreFailure: boolean): Int32Array {
  let perm = rng.permutation(n);
  for (let attempt = 0; attempt < 10; attempt++) {
    if (!perm.some((v, i) => v === i)) return perm;
    perm = rng.permutation(n);
  }
  if (!perm.some((v, i) => v === i) || ignoreFailure || n < 2) return perm;
  const shift = n === 2 ? 1 : rng.intRange(1, n - 1); // numpy's randint(1, 1) would fail for n = 2: the only shift is 1
  return Int32Array.from({length: n}, (_, i) => (i + shift) % n);
}

/** `custom_hooks` of a config turned into the μ(t) and m(t) schedules. */
export function hookSchedules(config: AutoMixConfig, maxEpochs: number, itersPerEpoch: number): Pick<AutoMixSchedules, 'maskLossWeight' | 'momentum'> {
  const hooks: CustomHookConfig[] = config.custom_hooks ?? [];
  const maxIters = maxEpochs * itersPerEpoch;
  const base = config.model.momentum;
  const maskHook = hooks.find((h) => h.type === 'CustomCosineAnnealingHook');
  const momentumHook = hooks.find((h) => h.type === 'CosineScheduleHook');
  const maskLossWeight = (epoch: number, iter: number): number => {
    if (!maskHook || maskHook.type !== 'CustomCosineAnnealingHook') return config.model.mask_loss;
    // validate lets exactly one of min_attr and min_attr_ratio through
    const min = maskHook.min_attr_ratio !== undefined ? maskHook.attr_base * maskHook.min_attr_ratio : maskHook.min_attr ?? 0;
    return maskHook.by_epoch ? cosineSchedule(maskHook.attr_base, min, epoch, maxEpochs) : cosineSchedule(maskHook.attr_base, min, Math.min(iter, maxIters), maxIters);
  };
  const momentum = (iter: number): number => {
    if (!momentumHook || momentumHook.type !== 'CosineScheduleHook') return base;
    return cosineScheduleHookMomentum(Math.min(iter, maxIters), maxIters, base, momentumHook.end_momentum, momentumHook.adjust_scope, momentumHook.warming_up);
  };
  return {maskLossWeight, momentum};
}

/**
 * The learning-rate schedules of the two groups: the online encoder follows `lr_config` from `optimizer.lr`; the Mix
 * Block starts from `paramwise_options.mix_block.lr` and follows `addtional_scheduler` (OpenMixup's spelling) when
 * given, else `lr_config`.
 */
export function groupLrSchedules(config: AutoMixConfig, maxEpochs: number, itersPerEpoch: number): Pick<AutoMixSchedules, 'lr' | 'mixBlockLr'> {
  const lr = buildLrSchedule(config.lr_config, config.optimizer.lr, maxEpochs, itersPerEpoch);
  const mixBlockLr = buildLrSchedule(config.addtional_scheduler ?? config.lr_config, config.optimizer.paramwise_options.mix_block.lr, maxEpochs, itersPerEpoch);
  return {lr, mixBlockLr};
}

/** OpenMixup `AutoMixup`: see the module comment. */
export class AutoMixLearner implements Learner {
  readonly params: Map<string, tf.Variable>;
  readonly buffers: Map<string, tf.Variable>;
  private readonly sgdQ: Sgd;
  private readonly sgdMixBlock: Sgd;
  private readonly accumulation: GradAccumulation;
  private readonly varNames: Map<string, string>;
  private readonly losses: {one: LossConfig; mix: LossConfig; mixK: LossConfig};

  constructor(private readonly opts: AutoMixLearnerOptions) {
    const {model} = opts;
    if (model.settings.maskAdjust > 0) {
      throw notImplemented(`model.mask_adjust ${model.settings.maskAdjust} is not implemented (every reference AutoMix/SAMix config uses 0); set it to 0`);
    }
    this.params = model.params;
    this.buffers = model.buffers;
    this.sgdQ = new Sgd(model.online, opts.sgd);
    this.sgdMixBlock = new Sgd(model.mixBlockParams, opts.mixBlockSgd);
    this.accumulation = opts.accumulation ?? new GradAccumulation(1, Number.MAX_SAFE_INTEGER);
    this.varNames = new Map([...model.online, ...model.mixBlockParams].map(([name, v]) => [v.name, name]));
    const loss = (head: object): LossConfig => ((head as {loss?: LossConfig}).loss ?? {}) as LossConfig;
    this.losses = {one: loss(model.settings.heads.one), mix: loss(model.settings.heads.mix), mixK: loss(model.settings.heads.mixK)};
  }

  lrAt(epoch: number, iter: number): number {
    return this.opts.schedules.lr.lrAt(epoch, iter);
  }

  async step(batch: HostBatchLike, ctx: StepContext): Promise<StepResult> {
    const {model, schedules} = this.opts;
    const s = model.settings;
    const {rng, epoch, iter} = ctx;
    const [n, H, W] = batch.shape;
    const y = batch.labels;
    const lamMb = rng.beta(s.alpha, s.alpha);
    const lamBb = rng.beta(s.alpha, s.alpha);
    const indexBb = s.mixShuffleNoRepeat ? noRepeatPermutation(rng, n, true) : rng.permutation(n);
    const indexMb = s.mixShuffleNoRepeat ? noRepeatPermutation(rng, n, false) : rng.permutation(n);
    const pair = (index: Int32Array, lam: number): LabelMix => ({yA: y, yB: Int32Array.from(index, (j) => y[j]), lam, perm: index});
    const labelsMb = pair(indexMb, lamMb);
    const labelsBb = pair(indexBb, lamBb);
    const w = s.headWeights;
    const mu = s.maskLoss > 0 ? schedules.maskLossWeight(epoch, iter) : 0;
    const numClasses = model.numClasses;

    const x = tf.tensor4d(batch.images, batch.shape);
    // z = f_k^{(l)}(x): computed outside the gradient tape, so it is a constant of the step (k is not trained)
    const features = model.maskFeatures(x, {training: true});
    const kept: Record<string, tf.Tensor2D> = {};
    const keep = (name: string, t: tf.Tensor2D): tf.Tensor2D => {
      kept[name] = tf.keep(t);
      return t;
    };
    // M_bb: the backbone's mask, a constant of the step (OpenMixup computes it and detaches it)
    const maskBb = tf.tidy(() => backboneMask(model.mixBlock.mask(features, indexBb, lamBb, [H, W], {training: true, rng}), lamBb, s.lamMargin));
    const {value, grads} = tf.variableGrads(() => {
      const maskMb = model.mixBlock.mask(features, indexMb, lamMb, [H, W], {training: true, rng});
      const terms: tf.Scalar[] = [];
      if (w.head_mix_q > 0) {
        const z = keep('mixQ', model.logits(mixImages(x, indexBb, maskBb), 'q', 'mix', {training: true}));
        terms.push(tf.mul(mixLoss(z, labelsBb, numClasses, this.losses.mix), w.head_mix_q));
      }
      if (w.head_one_q > 0) {
        const z = keep('oneQ', model.logits(x, 'q', 'one', {training: true}));
        terms.push(tf.mul(mixLoss(z, {yA: y, yB: y, lam: 1}, numClasses, this.losses.one), w.head_one_q));
      }
      if (w.head_mix_k > 0) {
        const z = keep('mixK', model.logits(mixImages(x, indexMb, maskMb), 'k', 'mix', {training: true}));
        terms.push(tf.mul(mixLoss(z, labelsMb, numClasses, this.losses.mixK), w.head_mix_k));
      }
      if (mu > 0 && s.maskLossMode !== 'none') terms.push(tf.mul(maskLoss(maskMb, lamMb, s.maskLossMargin, s.maskLossMode), mu));
      return (terms.length === 1 ? terms[0] : tf.addN(terms)) as tf.Scalar;
    }, [...model.online.values(), ...model.mixBlockParams.values()]);
    this.accumulation.add(gradsByName(grads, this.varNames), iter, (named) => {
      const pick = (names: Map<string, tf.Variable>) => Object.fromEntries([...names.keys()].filter((k) => named[k] !== undefined).map((k) => [k, named[k]]));
      this.sgdQ.step(pick(model.online), schedules.lr.lrAt(epoch, iter));
      this.sgdMixBlock.step(pick(model.mixBlockParams), schedules.mixBlockLr.lrAt(epoch, iter));
    });
    // every iteration, also between optimizer steps: OpenMixup's CosineScheduleHook (update_interval 1) runs after each iteration
    model.momentumUpdate(schedules.momentum(iter));

    const metrics: Record<string, tf.Scalar | number> = {};
    if (kept.mixQ) metrics.acc_mix_q = accuracyTop1Device(kept.mixQ, y);
    if (kept.oneQ) metrics.acc_one_q = accuracyTop1Device(kept.oneQ, y);
    // without the k head the log repeats acc_mix_q (the same scalar: the loop disposes each one once)
    metrics.acc_mix_k = kept.mixK ? accuracyTop1Device(kept.mixK, y) : metrics.acc_mix_q ?? 0;
    tf.dispose([x, features, maskBb, ...Object.values(kept), ...Object.values(grads)]);
    return {loss: value, metrics};
  }

  optimizerState(): ReadonlyMap<string, tf.Tensor> {
    return new Map([...this.sgdQ.state(), ...this.sgdMixBlock.state()]);
  }

  loadOptimizerState(entries: ReadonlyMap<string, tf.Tensor>, source: string): void {
    const {model} = this.opts;
    const q = new Map([...entries].filter(([k]) => !model.mixBlockParams.has(k)));
    const mb = new Map([...entries].filter(([k]) => model.mixBlockParams.has(k)));
    this.sgdQ.loadState(q, source);
    this.sgdMixBlock.loadState(mb, source);
  }

  accumulationState(): AccumulationState | undefined {
    return this.accumulation.state();
  }

  loadAccumulationState(state: AccumulationState, source: string): void {
    this.accumulation.load(state, this.params, source);
  }

  /** OpenMixup `simple_test`: `acc_mix_k`, `acc_one_k`, `acc_mix_q`, `acc_one_q`, each `_top<k>`. */
  evaluate(loader: LoaderLike, topk: readonly number[], opts?: EvalOptions): Promise<EvalResult> {
    return evaluateHeads(loader, topk, (x) => this.opts.model.testLogits(x), opts);
  }

  dispose(): void {
    this.sgdQ.dispose();
    this.sgdMixBlock.dispose();
    this.accumulation.dispose();
  }
}

/**
 * What the epoch runner (`trainer.ts`) trains: a `Learner` owns a model's optimisation step, its optimizer state and
 * its validation, so the same loop, logs, checkpoints and resume serve every classifier type of the reference:
 *
 * - `ClassifierLearner`: OpenMixup's `MixUpClassification` — one network, a mixing schedule picks a method per
 *   iteration, mixed CE, momentum-SGD; validation keys `head0_top<k>`.
 * - `AutoMixLearner` (`automix-learner.ts`): OpenMixup's `AutoMixup` — online and momentum encoders plus a learned Mix
 *   Block, trained bi-level; validation keys `acc_{mix,one}_{k,q}_top<k>`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {FeaturePlan, LabelMix, MixMethod, MixOutput, ModelHooks} from '../mixups/types';
import type {Rng} from '../rng';
import {GradAccumulation, type AccumulationState} from './grad-accumulation';
import type {LrSchedule} from './lr';
import {Sgd, type SgdOptions} from './sgd';
import {argmaxLowest, ClassCounts} from './class-counts';

/** A host batch (`src/data` `HostBatch`). */
export interface HostBatchLike {
  images: Float32Array;
  shape: [number, number, number, number];
  labels: Int32Array;
}

/** What the trainer needs of a loader (`src/data` `Loader`). */
export interface LoaderLike {
  readonly numSamples: number;
  readonly numBatches: number;
  epoch(epochIndex: number): AsyncIterable<HostBatchLike>;
}

/** One training step's outcome: device scalars (or numbers), read by the loop only at log intervals. */
export interface StepResult {
  loss: tf.Scalar;
  /** train-log metrics in log order (`acc`, `acc_mix` | `acc_mix_q`, `acc_one_q`, `acc_mix_k`), in percent */
  metrics: Record<string, tf.Scalar | number>;
}

/** Validation outcome: metrics in percent, number of batches (mmcv's val `iter`) and samples. */
export interface EvalResult {
  metrics: Record<string, number>;
  iters: number;
  samples: number;
  /** per head, when asked for (`EvalOptions.perClass`): images, top-k hits and top-1 confusion per class */
  perClass?: Map<string, ClassCounts>;
}

/** What an evaluation counts besides the top-k accuracies. */
export interface EvalOptions {
  /** count per class too (`EvalResult.perClass`) */
  perClass?: boolean;
}

/** Where the loop is when it asks for a step. */
export interface StepContext {
  rng: Rng;
  /** 0-based epoch */
  epoch: number;
  /** 0-based global iteration */
  iter: number;
}

/** A trainable model with its optimisation step, optimizer state and validation. */
export interface Learner {
  /** every variable saved in a checkpoint as a parameter, by name */
  readonly params: Map<string, tf.Variable>;
  /** non-trainable state (BN running statistics), by name */
  readonly buffers: Map<string, tf.Variable>;
  /** learning rate of the main parameter group (the logged `lr`) */
  lrAt(epoch: number, iter: number): number;
  /** one optimisation step on a batch (async: mixers read tensors with `await t.data()`) */
  step(batch: HostBatchLike, ctx: StepContext): Promise<StepResult>;
  /** the optimizer's momentum buffers, by parameter name (saved in checkpoints) */
  optimizerState(): ReadonlyMap<string, tf.Tensor>;
  /** restores buffers saved by `optimizerState` */
  loadOptimizerState(entries: ReadonlyMap<string, tf.Tensor>, source: string): void;
  /** gradients summed towards the next optimizer step (`optimizer_config.update_interval` > 1), saved in checkpoints; undefined when none are pending */
  accumulationState(): AccumulationState | undefined;
  /** restores a group saved by `accumulationState` */
  loadAccumulationState(state: AccumulationState, source: string): void;
  /** validation metrics on a loader */
  evaluate(loader: LoaderLike, topk: readonly number[], opts?: EvalOptions): Promise<EvalResult>;
  /** frees the optimizer state (the model belongs to the caller) */
  dispose(): void;
}

/** What the classifier learner needs of a classifier (`src/models` `Classifier`). */
export interface TrainableModel {
  readonly numClasses: number;
  readonly params: Map<string, tf.Variable>;
  readonly buffers: Map<string, tf.Variable>;
  forward(x: tf.Tensor4D, opts: {training: boolean; plan?: FeaturePlan}): tf.Tensor2D;
}

/** One mixing choice of an iteration. */
export interface MixPick {
  method: MixMethod;
  alpha: number;
  args: Record<string, unknown>;
}

/** The mixing schedule: the picks of one iteration (more than one with `mix_repeat`). */
export interface MixPlanner {
  pick(rng: Rng): MixPick[];
}

/** Losses and metrics (`src/mixups`): device scalars, or numbers. */
export interface Criteria {
  loss(logits: tf.Tensor2D, labels: LabelMix): tf.Scalar;
  /** top-1 accuracy (percent) against yA */
  acc(logits: tf.Tensor2D, labels: Int32Array): tf.Scalar | number;
  /** λ-weighted top-1 accuracy (percent) against yA and yB */
  accMix(logits: tf.Tensor2D, labels: LabelMix): tf.Scalar | number;
}

/**
 * Adds, per key of `named`, how many rows rank their label within the top k (ties broken towards the lower class
 * index, deterministically) to `correct[key][k]`, and, given `perClass`, each row to that head's `ClassCounts`.
 */
export async function countTopK(named: ReadonlyMap<string, tf.Tensor2D>, labels: Int32Array, topk: readonly number[], correct: Map<string, Map<number, number>>, perClass?: Map<string, ClassCounts>): Promise<void> {
  for (const [key, logits] of named) {
    const values = (await logits.data()) as Float32Array;
    const n = labels.length;
    const c = values.length / n;
    const counts = correct.get(key) ?? new Map(topk.map((k) => [k, 0]));
    correct.set(key, counts);
    let classes = perClass?.get(key);
    if (perClass && !classes) perClass.set(key, (classes = new ClassCounts(c, topk)));
    for (let i = 0; i < n; i++) {
      const row = values.subarray(i * c, (i + 1) * c);
      const target = row[labels[i]];
      let higher = 0;
      for (let j = 0; j < c; j++) if (row[j] > target || (row[j] === target && j < labels[i])) higher++;
      for (const k of topk) if (higher < k) counts.set(k, (counts.get(k) ?? 0) + 1);
      classes?.add(labels[i], higher, argmaxLowest(row));
    }
  }
}

/**
 * Top-k accuracies (percent) of every head `headLogits` returns for a batch, over a loader: keys
 * `<head>_top<k>` in head order, then k order.
 */
export async function evaluateHeads(loader: LoaderLike, topk: readonly number[], headLogits: (x: tf.Tensor4D) => Map<string, tf.Tensor2D>, opts: EvalOptions = {}): Promise<EvalResult> {
  const correct = new Map<string, Map<number, number>>();
  const perClass = opts.perClass ? new Map<string, ClassCounts>() : undefined;
  let samples = 0;
  let iters = 0;
  for await (const batch of loader.epoch(0)) {
    const x = tf.tensor4d(batch.images, batch.shape);
    const named = headLogits(x);
    x.dispose();
    try {
      await countTopK(named, batch.labels, topk, correct, perClass);
    } finally {
      tf.dispose([...named.values()]);
    }
    samples += batch.shape[0];
    iters++;
  }
  const metrics: Record<string, number> = {};
  for (const [key, counts] of correct) for (const k of topk) metrics[`${key}_top${k}`] = samples === 0 ? 0 : ((counts.get(k) ?? 0) * 100) / samples;
  return {metrics, iters, samples, ...(perClass ? {perClass} : {})};
}

/**
 * Top-k accuracies (percent, as `head0_top<k>`) of a classifier on a loader, with the number of batches (mmcv's
 * val `iter`) and samples.
 */
export async function evaluate(model: TrainableModel, loader: LoaderLike, topk: readonly number[] = [1, 5], opts: EvalOptions = {}): Promise<EvalResult> {
  const result = await evaluateHeads(loader, topk, (x) => new Map([['head0', tf.tidy(() => model.forward(x, {training: false}))]]), opts);
  if (result.samples === 0) result.metrics = Object.fromEntries(topk.map((k) => [`head0_top${k}`, 0]));
  return result;
}

/** Names of the gradients `tf.variableGrads` returns (tf variable names) mapped back to parameter names. */
export function gradsByName(grads: tf.NamedTensorMap, varNames: ReadonlyMap<string, string>): Record<string, tf.Tensor> {
  const named: Record<string, tf.Tensor> = {};
  for (const [varName, grad] of Object.entries(grads)) named[varNames.get(varName) ?? varName] = grad;
  return named;
}

/** Everything a `MixUpClassification` run trains with. */
export interface ClassifierLearnerOptions {
  model: TrainableModel;
  planner: MixPlanner;
  criteria: Criteria;
  hooks: ModelHooks;
  lr: LrSchedule;
  sgd: SgdOptions;
  /** `optimizer_config.update_interval` (default: a step every iteration) */
  accumulation?: GradAccumulation;
}

/**
 * OpenMixup's `MixUpClassification` step: the mixing schedule picks a method and α, the method mixes the batch
 * (input-level: new images; feature-level: a plan the backbone applies), the mixed loss is differentiated with
 * `tf.variableGrads` over the classifier's parameters, and momentum-SGD updates them (every iteration, or every
 * `optimizer_config.update_interval` iterations on the summed gradients: `grad-accumulation.ts`).
 */
export class ClassifierLearner implements Learner {
  readonly params: Map<string, tf.Variable>;
  readonly buffers: Map<string, tf.Variable>;
  private readonly sgd: Sgd;
  private readonly accumulation: GradAccumulation;
  private readonly varNames: Map<string, string>;

  constructor(private readonly opts: ClassifierLearnerOptions) {
    this.params = opts.model.params;
    this.buffers = opts.model.buffers;
    this.sgd = new Sgd(opts.model.params, opts.sgd);
    this.accumulation = opts.accumulation ?? new GradAccumulation(1, Number.MAX_SAFE_INTEGER);
    this.varNames = new Map([...opts.model.params].map(([name, v]) => [v.name, name]));
  }

  lrAt(epoch: number, iter: number): number {
    return this.opts.lr.lrAt(epoch, iter);
  }

  async step(batch: HostBatchLike, ctx: StepContext): Promise<StepResult> {
    const {model, planner, criteria, hooks} = this.opts;
    const {rng} = ctx;
    const images = tf.tensor4d(batch.images, batch.shape);
    const picks = planner.pick(rng);
    const outputs: MixOutput[] = [];
    for (const p of picks) outputs.push(await p.method.mix({images, labels: batch.labels}, {rng, alpha: p.alpha, args: p.args, hooks}));
    let firstLogits: tf.Tensor2D | undefined;
    const {value, grads} = tf.variableGrads(() => {
      const losses = outputs.map((out, r) => {
        const logits = model.forward(out.images, {training: true, plan: out.kind === 'feature' ? out.plan : undefined});
        if (r === 0) firstLogits = tf.keep(logits);
        return criteria.loss(logits, out.labels);
      });
      return (losses.length === 1 ? losses[0] : tf.div(tf.addN(losses), losses.length)) as tf.Scalar;
    }, [...model.params.values()]);
    this.accumulation.add(gradsByName(grads, this.varNames), ctx.iter, (g) => this.sgd.step(g, this.lrAt(ctx.epoch, ctx.iter)));
    const logits = firstLogits!;
    const acc = criteria.acc(logits, batch.labels);
    const accMix = criteria.accMix(logits, outputs[0].labels);
    tf.dispose([logits, images, ...Object.values(grads)]);
    for (const out of outputs) {
      if (out.images !== images) out.images.dispose();
      if (out.kind === 'input' && out.mask) out.mask.dispose();
    }
    return {loss: value, metrics: {acc, acc_mix: accMix}};
  }

  optimizerState(): ReadonlyMap<string, tf.Tensor> {
    return this.sgd.state();
  }

  loadOptimizerState(entries: ReadonlyMap<string, tf.Tensor>, source: string): void {
    this.sgd.loadState(entries, source);
  }

  accumulationState(): AccumulationState | undefined {
    return this.accumulation.state();
  }

  loadAccumulationState(state: AccumulationState, source: string): void {
    this.accumulation.load(state, this.params, source);
  }

  evaluate(loader: LoaderLike, topk: readonly number[], opts?: EvalOptions): Promise<EvalResult> {
    return evaluate(this.opts.model, loader, topk, opts);
  }

  dispose(): void {
    this.sgd.dispose();
    this.accumulation.dispose();
  }
}

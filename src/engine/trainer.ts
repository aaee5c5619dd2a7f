/**
 * The epoch runner (mmcv's `EpochBasedRunner` as OpenMixup uses it): per iteration the mixing schedule picks a
 * method and α, the method mixes the batch (input-level: new images; feature-level: a plan the backbone applies),
 * the mixed loss is differentiated with `tf.variableGrads` over the classifier's parameters, and momentum-SGD
 * updates them. Validation (top-1/top-5 in percent) every `evaluation.interval` epochs and at the last epoch.
 *
 * Loop overhead is kept off the device's critical path: loss and accuracies accumulate as device scalars and are
 * read (one sync) only at log intervals and at the end of an epoch; the loader decodes the next batches while a
 * step runs. After every epoch the state (params, BN buffers, momentum, Rng) goes to `latest.safetensors`, so a run
 * killed mid-epoch loses at most that epoch.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {displayPath} from '../config/files';
import {MixupError} from '../errors';
import type {FeaturePlan, LabelMix, MixMethod, MixOutput, ModelHooks} from '../mixups/types';
import {Rng} from '../rng';
import {CheckpointMeta, saveCheckpoint} from './checkpoint';
import type {LrSchedule} from './lr';
import type {RunLogger} from './logger';
import {Sgd, SgdOptions} from './sgd';

/** What the trainer needs of a classifier (`src/models` `Classifier`). */
export interface TrainableModel {
  readonly numClasses: number;
  readonly params: Map<string, tf.Variable>;
  readonly buffers: Map<string, tf.Variable>;
  forward(x: tf.Tensor4D, opts: {training: boolean; plan?: FeaturePlan}): tf.Tensor2D;
}

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

/** Everything one run trains with. */
export interface TrainSetup {
  model: TrainableModel;
  train: LoaderLike;
  val: LoaderLike;
  planner: MixPlanner;
  criteria: Criteria;
  hooks: ModelHooks;
  lr: LrSchedule;
  sgd: SgdOptions;
  maxEpochs: number;
  logInterval: number;
  evalInterval: number;
  /** `evaluation.eval_param.topk` */
  topk: readonly number[];
  /** `checkpoint_config.interval` (epochs) */
  ckptInterval: number;
  /** `checkpoint_config.max_keep_ckpts`; < 0 keeps all */
  maxKeep: number;
  workDir: string;
  logger: RunLogger;
  /** fields copied into each checkpoint */
  ckptMeta: Pick<CheckpointMeta, 'seed' | 'configHash' | 'configPath' | 'mixupVersion'>;
  /** where training starts: 0-based epoch, global iteration, Rng of the mixing stream, saved SGD momentum */
  start: {epoch: number; iter: number; rng: Rng; momentum?: ReadonlyMap<string, tf.Tensor>; source?: string};
  /** receives progress: per iteration (no sync) and each log/val line */
  progress?: ProgressSink;
  /** test hook: called before each iteration; throwing simulates a kill mid-epoch */
  beforeIteration?(epoch: number, iterInEpoch: number): void;
}

/** Where progress goes (the command's progress bar or plain lines). */
export interface ProgressSink {
  iteration(done: number, total: number, imagesPerSecond: number): void;
  line(text: string, values?: {loss?: number; lr?: number}): void;
}

/** The outcome of a finished run. */
export interface TrainResult {
  epochs: number;
  iters: number;
  /** val metrics of the last epoch (`head0_top<k>`) */
  val: Record<string, number>;
  /** mean training throughput (images/s, full loop) */
  imagesPerSecond: number;
  seconds: number;
  latest: string;
}

/**
 * Top-k accuracies (percent, as `head0_top<k>`) of a model on a loader, with the number of batches (mmcv's val
 * `iter`) and samples.
 */
export async function evaluate(model: TrainableModel, loader: LoaderLike, topk: readonly number[] = [1, 5]): Promise<{metrics: Record<string, number>; iters: number; samples: number}> {
  const correct: Record<number, number> = Object.fromEntries(topk.map((k) => [k, 0]));
  let samples = 0;
  let iters = 0;
  for await (const batch of loader.epoch(0)) {
    const logits = tf.tidy(() => model.forward(tf.tensor4d(batch.images, batch.shape), {training: false}));
    const values = logits.dataSync();
    logits.dispose();
    const [n, c] = [batch.shape[0], values.length / batch.shape[0]];
    for (let i = 0; i < n; i++) {
      const row = values.subarray(i * c, (i + 1) * c);
      const target = row[batch.labels[i]];
      // rank of the true class: classes scoring higher, and equal-scoring classes with a lower index (deterministic ties)
      let higher = 0;
      for (let j = 0; j < c; j++) if (row[j] > target || (row[j] === target && j < batch.labels[i])) higher++;
      for (const k of topk) if (higher < k) correct[k]++;
    }
    samples += n;
    iters++;
  }
  const metrics = Object.fromEntries(topk.map((k) => [`head0_top${k}`, samples === 0 ? 0 : (correct[k] * 100) / samples]));
  return {metrics, iters, samples};
}

/** Adds a device scalar or number into a running device sum (the old sum is disposed). */
function accumulate(sum: tf.Scalar | undefined, value: tf.Scalar | number): tf.Scalar {
  const next = sum === undefined ? (typeof value === 'number' ? tf.scalar(value) : tf.clone(value)) : tf.add(sum, value);
  sum?.dispose();
  return next as tf.Scalar;
}

/** Running device sums of one logging window. */
class Window {
  loss?: tf.Scalar;
  acc?: tf.Scalar;
  accMix?: tf.Scalar;
  count = 0;
  dataTime = 0;
  time = 0;

  add(loss: tf.Scalar, acc: tf.Scalar | number, accMix: tf.Scalar | number, dataTime: number, time: number): void {
    this.loss = accumulate(this.loss, loss);
    this.acc = accumulate(this.acc, acc);
    this.accMix = accumulate(this.accMix, accMix);
    this.count++;
    this.dataTime += dataTime;
    this.time += time;
  }

  /** Reads the averages (one sync) and resets. */
  flush(): {loss: number; acc: number; acc_mix: number; data_time: number; time: number} {
    const n = Math.max(1, this.count);
    const read = (t?: tf.Scalar) => (t === undefined ? 0 : t.dataSync()[0] / n);
    const out = {loss: read(this.loss), acc: read(this.acc), acc_mix: read(this.accMix), data_time: this.dataTime / n, time: this.time / n};
    for (const t of [this.loss, this.acc, this.accMix]) t?.dispose();
    this.loss = this.acc = this.accMix = undefined;
    this.count = 0;
    this.dataTime = this.time = 0;
    return out;
  }
}

/** Epoch checkpoints `epoch_<N>.safetensors` in a work dir, oldest first. */
export function epochCheckpoints(workDir: string): string[] {
  if (!fs.existsSync(workDir)) return [];
  return fs
    .readdirSync(workDir)
    .map((f) => /^epoch_(\d+)\.safetensors$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map((m) => path.join(workDir, m[0]));
}

/** Runs one training step; returns the loss and metrics as device scalars (no sync). */
function trainStep(setup: TrainSetup, varNames: Map<string, string>, sgd: Sgd, rng: Rng, batch: HostBatchLike, lr: number) {
  const {model, planner, criteria, hooks} = setup;
  const images = tf.tensor4d(batch.images, batch.shape);
  const picks = planner.pick(rng);
  const outputs: MixOutput[] = picks.map((p) => p.method.mix({images, labels: batch.labels}, {rng, alpha: p.alpha, args: p.args, hooks}));
  let firstLogits: tf.Tensor2D | undefined;
  const {value, grads} = tf.variableGrads(() => {
    const losses = outputs.map((out, r) => {
      const logits = model.forward(out.images, {training: true, plan: out.kind === 'feature' ? out.plan : undefined});
      if (r === 0) firstLogits = tf.keep(logits);
      return criteria.loss(logits, out.labels);
    });
    return (losses.length === 1 ? losses[0] : tf.div(tf.addN(losses), losses.length)) as tf.Scalar;
  }, [...model.params.values()]);
  const named: Record<string, tf.Tensor> = {};
  for (const [varName, grad] of Object.entries(grads)) named[varNames.get(varName) ?? varName] = grad;
  sgd.step(named, lr);
  const logits = firstLogits!;
  const acc = criteria.acc(logits, batch.labels);
  const accMix = criteria.accMix(logits, outputs[0].labels);
  tf.dispose([logits, images, ...Object.values(grads)]);
  for (const out of outputs) {
    if (out.images !== images) out.images.dispose();
    if (out.kind === 'input' && out.mask) out.mask.dispose();
  }
  return {loss: value, acc, accMix};
}

/**
 * Trains from `setup.start` to `setup.maxEpochs`, logging, validating and checkpointing.
 * @throws MixupError (train) when the loss becomes NaN/Inf; the last good checkpoint is kept
 */
export async function train(setup: TrainSetup): Promise<TrainResult> {
  const {model, logger, maxEpochs, workDir} = setup;
  const sgd = new Sgd(model.params, setup.sgd);
  const varNames = new Map([...model.params].map(([name, v]) => [v.name, name]));
  const latest = path.join(workDir, 'latest.safetensors');
  const rng = setup.start.rng;
  let globalIter = setup.start.iter;
  let lr = setup.lr.lrAt(setup.start.epoch, globalIter);
  let lastVal: Record<string, number> = {};
  const itersPerEpoch = setup.train.numBatches;
  const totalIters = maxEpochs * itersPerEpoch;
  const t0 = Date.now();
  let images = 0;
  try {
    if (setup.start.momentum) sgd.loadState(setup.start.momentum, setup.start.source ?? 'checkpoint');
    for (let epoch = setup.start.epoch; epoch < maxEpochs; epoch++) {
      const window = new Window();
      let epochLoss: tf.Scalar | undefined;
      let epochCount = 0;
      const iterator = setup.train.epoch(epoch)[Symbol.asyncIterator]();
      let inner = 0;
      for (;;) {
        const tData = performance.now();
        const next = await iterator.next();
        const dataTime = (performance.now() - tData) / 1000;
        if (next.done) break;
        setup.beforeIteration?.(epoch, inner);
        lr = setup.lr.lrAt(epoch, globalIter);
        const {loss, acc, accMix} = trainStep(setup, varNames, sgd, rng, next.value, lr);
        epochLoss = accumulate(epochLoss, loss);
        epochCount++;
        window.add(loss, acc, accMix, dataTime, (performance.now() - tData) / 1000);
        tf.dispose([loss, acc, accMix].filter((x): x is tf.Scalar => typeof x !== 'number'));
        inner++;
        globalIter++;
        images += next.value.shape[0];
        const elapsed = (Date.now() - t0) / 1000;
        setup.progress?.iteration(globalIter, totalIters, images / Math.max(elapsed, 1e-9));
        if (inner % setup.logInterval === 0) {
          const avg = window.flush();
          checkFinite(avg.loss, epoch, inner, latest);
          const eta = ((totalIters - globalIter) * elapsed) / Math.max(1, globalIter - setup.start.iter);
          const line = logger.train({epoch: epoch + 1, iter: inner, lr, ...avg}, itersPerEpoch, eta);
          setup.progress?.line(line, {loss: avg.loss, lr});
        }
      }
      if (window.count > 0) window.flush();
      const meanLoss = epochLoss === undefined ? 0 : epochLoss.dataSync()[0] / epochCount;
      epochLoss?.dispose();
      checkFinite(meanLoss, epoch, inner, latest);
      const last = epoch + 1 === maxEpochs;
      let val: CheckpointMeta['val'];
      if ((epoch + 1) % setup.evalInterval === 0 || last) {
        const {metrics, iters} = await evaluate(model, setup.val, setup.topk);
        lastVal = metrics;
        val = {iter: iters, metrics};
      }
      // checkpoint first, then the val line: a kill in between loses the line (the resume writes it from the
      // checkpoint) instead of duplicating the epoch
      saveCheckpoints(setup, sgd, {epoch: epoch + 1, iter: globalIter, rng: rng.getState(), lr, val}, last);
      if (val) {
        const line = logger.val({epoch: epoch + 1, iter: val.iter, lr, metrics: val.metrics});
        setup.progress?.line(line);
      }
    }
  } finally {
    sgd.dispose();
  }
  const seconds = (Date.now() - t0) / 1000;
  return {epochs: maxEpochs, iters: globalIter, val: lastVal, imagesPerSecond: images / Math.max(seconds, 1e-9), seconds, latest};
}

function checkFinite(loss: number, epoch: number, inner: number, latest: string): void {
  if (Number.isFinite(loss)) return;
  const keep = fs.existsSync(latest) ? `the last good checkpoint ${displayPath(latest)} is kept` : 'no checkpoint was written yet';
  throw new MixupError('train', `loss became ${loss} in epoch ${epoch + 1} (by iteration ${inner}); training stopped and ${keep}`, {
    suggestions: ['Lower optimizer.lr, set optimizer_config.grad_clip = {"max_norm": 10}, or check the data normalisation.'],
  });
}

/** Writes `latest` every epoch and `epoch_<N>` every `ckptInterval` epochs (and at the end), keeping `maxKeep`. */
function saveCheckpoints(setup: TrainSetup, sgd: Sgd, state: Omit<CheckpointMeta, 'format' | 'seed' | 'configHash' | 'configPath' | 'mixupVersion'>, last: boolean): void {
  const meta: CheckpointMeta = {format: 1, ...setup.ckptMeta, ...state};
  const latest = path.join(setup.workDir, 'latest.safetensors');
  saveCheckpoint(latest, {params: setup.model.params, buffers: setup.model.buffers, momentum: sgd.state()}, meta);
  if (state.epoch % setup.ckptInterval === 0 || last) {
    // a copy of latest, made atomic the same way (temp + rename)
    const file = path.join(setup.workDir, `epoch_${state.epoch}.safetensors`);
    fs.copyFileSync(latest, `${file}.tmp-${process.pid}`);
    fs.renameSync(`${file}.tmp-${process.pid}`, file);
    const all = epochCheckpoints(setup.workDir);
    if (setup.maxKeep > 0) for (const old of all.slice(0, Math.max(0, all.length - setup.maxKeep))) fs.rmSync(old, {force: true});
  }
}

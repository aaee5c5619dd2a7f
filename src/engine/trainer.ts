/**
 * The epoch runner (mmcv's `EpochBasedRunner` as OpenMixup uses it): per iteration the `Learner` (learner.ts:
 * a `MixUpClassification` or an `AutoMixup` model with its optimizer) takes one step on the next batch; validation
 * every `evaluation.interval` epochs and at the last epoch.
 *
 * Loop overhead is kept off the device's critical path: loss and metrics accumulate as device scalars and are
 * read (one sync) only at log intervals and at the end of an epoch; the loader decodes the next batches while a
 * step runs. After every epoch the state (params, BN buffers, momentum, Rng, and the gradients summed so far
 * towards an `optimizer_config.update_interval` step) goes to `latest.safetensors`, so a run killed mid-epoch loses
 * at most that epoch and resumes exactly.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {displayPath} from '../config/files';
import {MixupError} from '../errors';
import {Rng} from '../rng';
import {copyFileAtomic} from '../io/write';
import {CheckpointMeta, saveCheckpoint} from './checkpoint';
import type {AccumulationState} from './grad-accumulation';
import type {Learner, LoaderLike} from './learner';
import type {RunLogger} from './logger';
import {pruneCheckpoints, workDirIdentity} from './workdir';


/** Everything one run trains with. */
export interface TrainSetup {
  learner: Learner;
  train: LoaderLike;
  val: LoaderLike;
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
  ckptMeta: Pick<CheckpointMeta, 'seed' | 'configHash' | 'configPath' | 'mixupVersion' | 'workDir'>;
  /** where training starts: 0-based epoch, global iteration, Rng of the mixing stream, saved optimizer momentum */
  start: {epoch: number; iter: number; rng: Rng; momentum?: ReadonlyMap<string, tf.Tensor>; accumulation?: AccumulationState; source?: string};
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
  /** val metrics of the last epoch (`head0_top<k>`, or AutoMix's `acc_*_top<k>`) */
  val: Record<string, number>;
  /** mean training throughput (images/s, full loop) */
  imagesPerSecond: number;
  seconds: number;
  latest: string;
}

/** Adds a device scalar or number into a running device sum (the old sum is disposed). */
function accumulate(sum: tf.Scalar | undefined, value: tf.Scalar | number): tf.Scalar {
  const next = sum === undefined ? (typeof value === 'number' ? tf.scalar(value) : tf.clone(value)) : tf.add(sum, value);
  sum?.dispose();
  return next as tf.Scalar;
}

/** Running device sums of one logging window. */
class Window {
  private sums = new Map<string, tf.Scalar>();
  count = 0;
  dataTime = 0;
  time = 0;

  add(values: Record<string, tf.Scalar | number>, dataTime: number, time: number): void {
    for (const [key, value] of Object.entries(values)) this.sums.set(key, accumulate(this.sums.get(key), value));
    this.count++;
    this.dataTime += dataTime;
    this.time += time;
  }

  /** Reads the averages (one read per value, `await data()`) and resets. */
  async flush(): Promise<{data_time: number; time: number; values: Record<string, number>}> {
    const n = Math.max(1, this.count);
    const values: Record<string, number> = {};
    for (const [key, sum] of this.sums) {
      values[key] = (await sum.data())[0] / n;
      sum.dispose();
    }
    const out = {data_time: this.dataTime / n, time: this.time / n, values};
    this.sums = new Map();
    this.count = 0;
    this.dataTime = this.time = 0;
    return out;
  }
}

/**
 * Trains from `setup.start` to `setup.maxEpochs`, logging, validating and checkpointing.
 * @throws MixupError (train) when the loss becomes NaN/Inf; the last good checkpoint is kept
 */
export async function train(setup: TrainSetup): Promise<TrainResult> {
  const {learner, logger, maxEpochs, workDir} = setup;
  const latest = path.join(workDir, 'latest.safetensors');
  const rng = setup.start.rng;
  let globalIter = setup.start.iter;
  let lr = learner.lrAt(setup.start.epoch, globalIter);
  let lastVal: Record<string, number> = {};
  const itersPerEpoch = setup.train.numBatches;
  const totalIters = maxEpochs * itersPerEpoch;
  const t0 = Date.now();
  let images = 0;
  try {
    if (setup.start.momentum) learner.loadOptimizerState(setup.start.momentum, setup.start.source ?? 'checkpoint');
    if (setup.start.accumulation) learner.loadAccumulationState(setup.start.accumulation, setup.start.source ?? 'checkpoint');
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
        lr = learner.lrAt(epoch, globalIter);
        const {loss, metrics} = await learner.step(next.value, {rng, epoch, iter: globalIter});
        epochLoss = accumulate(epochLoss, loss);
        epochCount++;
        window.add({loss, ...metrics}, dataTime, (performance.now() - tData) / 1000);
        tf.dispose([loss, ...Object.values(metrics)].filter((x): x is tf.Scalar => typeof x !== 'number'));
        inner++;
        globalIter++;
        images += next.value.shape[0];
        const elapsed = (Date.now() - t0) / 1000;
        setup.progress?.iteration(globalIter, totalIters, images / Math.max(elapsed, 1e-9));
        if (inner % setup.logInterval === 0) {
          const avg = await window.flush();
          const {loss: meanLoss, ...values} = avg.values;
          checkFinite(meanLoss, epoch, inner, latest);
          const eta = ((totalIters - globalIter) * elapsed) / Math.max(1, globalIter - setup.start.iter);
          const line = logger.train({epoch: epoch + 1, iter: inner, step: globalIter, lr, data_time: avg.data_time, time: avg.time, loss: meanLoss, metrics: values}, itersPerEpoch, eta);
          setup.progress?.line(line, {loss: meanLoss, lr});
        }
      }
      if (window.count > 0) await window.flush();
      const meanLoss = epochLoss === undefined ? 0 : (await epochLoss.data())[0] / epochCount;
      epochLoss?.dispose();
      checkFinite(meanLoss, epoch, inner, latest);
      const last = epoch + 1 === maxEpochs;
      let val: CheckpointMeta['val'];
      if ((epoch + 1) % setup.evalInterval === 0 || last) {
        const {metrics, iters} = await learner.evaluate(setup.val, setup.topk);
        lastVal = metrics;
        val = {iter: iters, metrics};
      }
      // checkpoint first, then the val line: a kill in between loses the line (the resume writes it from the
      // checkpoint) instead of duplicating the epoch
      await saveCheckpoints(setup, {epoch: epoch + 1, iter: globalIter, rng: rng.getState(), lr, val}, last);
      if (val) {
        const line = logger.val({epoch: epoch + 1, iter: val.iter, step: globalIter, lr, metrics: val.metrics});
        setup.progress?.line(line);
      }
    }
  } finally {
    learner.dispose();
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

/**
 * Writes `latest` every epoch and `epoch_<N>` every `ckptInterval` epochs (and at the end), keeping `maxKeep` of
 * this work dir's epoch checkpoints (others are never deleted: `pruneCheckpoints`). Every file is written atomically.
 */
async function saveCheckpoints(setup: TrainSetup, state: Omit<CheckpointMeta, 'format' | 'seed' | 'configHash' | 'configPath' | 'mixupVersion' | 'workDir'>, last: boolean): Promise<void> {
  const accumulation = setup.learner.accumulationState();
  const meta: CheckpointMeta = {format: 1, ...setup.ckptMeta, ...state, ...(accumulation ? {accumulation: {iters: accumulation.iters, factor: accumulation.factor}} : {})};
  const latest = path.join(setup.workDir, 'latest.safetensors');
  await saveCheckpoint(latest, {params: setup.learner.params, buffers: setup.learner.buffers, momentum: setup.learner.optimizerState(), accumulated: accumulation?.grads}, meta);
  if (state.epoch % setup.ckptInterval === 0 || last) {
    copyFileAtomic(latest, path.join(setup.workDir, `epoch_${state.epoch}.safetensors`), {overwrite: true});
    pruneCheckpoints(setup.workDir, setup.maxKeep, setup.ckptMeta.workDir ?? workDirIdentity(setup.workDir));
  }
}

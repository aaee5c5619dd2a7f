/**
 * `optimizer_config.update_interval`: N batches of B summed into one step equal one step on the N·B batch, the last
 * group of a run divides by its own size, and a run resumed mid-group takes the same steps as an uninterrupted one.
 *
 * The model is linear (no BatchNorm): in training mode BN normalises each batch with its own statistics, so with BN
 * N batches of B are not the N·B batch (OpenMixup's hook warns about exactly this); everything else is linear in the
 * per-batch mean losses, which is what the equality checks.
 */
import * as path from 'node:path';
import {fillDefaults} from '../../src/config/normalise';
import {LrSchema} from '../../src/config/schema';
import * as tf from '@tensorflow/tfjs-core';
import {selectBackend} from '../../src/engine/backend';
import {readCheckpoint} from '../../src/engine/checkpoint';
import {AutoMixLearner} from '../../src/engine/automix-learner';
import {GradAccumulation} from '../../src/engine/grad-accumulation';
import {ClassifierLearner, type HostBatchLike, type LoaderLike, type TrainableModel} from '../../src/engine/learner';
import {RunLogger} from '../../src/engine/logger';
import {buildLrSchedule} from '../../src/engine/lr';
import {train, type TrainSetup} from '../../src/engine/trainer';
import {loadConfig} from '../../src/config/validate';
import type {AutoMixConfig} from '../../src/config/schema';
import {buildAutoMix} from '../../src/models';
import {accuracyMixDevice, accuracyTop1, mixLoss, MixSchedule, registry} from '../../src/mixups';
import {Rng} from '../../src/rng';
import {readJsonLog, tmpDir, writeTinyAutoMixConfig} from './helpers';

const B = 4;
const CLASSES = 3;

/** `count` images of 2×2×2 with labels, from a seed. */
function samples(count: number, seed: number): HostBatchLike {
  const rng = new Rng(seed);
  return {images: Float32Array.from({length: count * 8}, () => rng.normal()), shape: [count, 2, 2, 2], labels: Int32Array.from({length: count}, (_, i) => (i * 7 + seed) % CLASSES)};
}

/** Rows [from, to) of a batch. */
function rows(batch: HostBatchLike, from: number, to: number): HostBatchLike {
  return {images: batch.images.slice(from * 8, to * 8), shape: [to - from, 2, 2, 2], labels: batch.labels.slice(from, to)};
}

function linearModel(): TrainableModel {
  const init = new Rng(11);
  const w = tf.variable(tf.tensor2d(Float32Array.from({length: 8 * CLASSES}, () => 0.3 * init.normal()), [8, CLASSES]));
  const b = tf.variable(tf.zeros([CLASSES]));
  return {
    numClasses: CLASSES,
    params: new Map([['fc.weight', w], ['fc.bias', b]]),
    buffers: new Map(),
    forward: (x) => tf.tidy(() => tf.add(tf.matMul(tf.reshape(x, [x.shape[0], 8]), w), b) as tf.Tensor2D),
  };
}

function learner(model: TrainableModel, interval: number, totalIters: number, maxGradNorm?: number): ClassifierLearner {
  return new ClassifierLearner({
    model,
    planner: new MixSchedule({mix_mode: 'vanilla', alpha: 1, mix_prob: null, mix_repeat: 1, mix_args: {}}, registry),
    criteria: {loss: (z, y) => mixLoss(z, y, CLASSES), acc: accuracyTop1, accMix: accuracyMixDevice},
    hooks: {},
    lr: buildLrSchedule(fillDefaults(LrSchema, {policy: 'fixed'}), 0.5, 1, totalIters),
    sgd: {momentum: 0.9, weightDecay: 1e-2, maxGradNorm},
    accumulation: new GradAccumulation(interval, totalIters),
  });
}

const values = (model: TrainableModel) => [...model.params.values()].flatMap((v) => [...v.dataSync()]);

async function stepAll(l: ClassifierLearner, batches: HostBatchLike[]): Promise<number[]> {
  const losses: number[] = [];
  for (const [i, batch] of batches.entries()) {
    const {loss, metrics} = await l.step(batch, {rng: new Rng(0), epoch: 0, iter: i});
    losses.push(loss.dataSync()[0]);
    tf.dispose([loss, ...Object.values(metrics).filter((m): m is tf.Scalar => typeof m !== 'number')]);
  }
  return losses;
}

function expectClose(a: number[], b: number[], tol: number): void {
  expect(a).toHaveLength(b.length);
  const worst = Math.max(...a.map((x, i) => Math.abs(x - b[i]) / Math.max(1, Math.abs(b[i]))));
  expect(worst).toBeLessThan(tol);
}

describe('gradient accumulation (optimizer_config.update_interval)', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it.each([[undefined], [0.05]])('4 batches of 4 summed = one step on the batch of 16 (momentum, weight decay, grad_clip %s), twice', async (clip) => {
    const data = [samples(16, 1), samples(16, 2)];
    const small = linearModel();
    const big = linearModel();
    const lSmall = learner(small, 4, 8, clip);
    const lBig = learner(big, 1, 2, clip);
    const start = values(small);
    // the first three iterations only sum gradients: the parameters do not move
    await stepAll(lSmall, [0, 1, 2].map((i) => rows(data[0], i * B, (i + 1) * B)));
    expect(values(small)).toEqual(start);
    await stepAll(lSmall, [rows(data[0], 12, 16), ...[0, 1, 2, 3].map((i) => rows(data[1], i * B, (i + 1) * B))]);
    await stepAll(lBig, data);
    expect(values(small)).not.toEqual(start);
    expectClose(values(small), values(big), 1e-6);
    lSmall.dispose();
    lBig.dispose();
  });

  it('the last group of a run divides by its own size (6 iterations, N 4: a group of 4, then one of 2)', async () => {
    const data = samples(24, 3);
    const small = linearModel();
    const big = linearModel();
    const lSmall = learner(small, 4, 6);
    const lBig = learner(big, 1, 2);
    const losses = await stepAll(lSmall, [0, 1, 2, 3, 4, 5].map((i) => rows(data, i * B, (i + 1) * B)));
    await stepAll(lBig, [rows(data, 0, 16), rows(data, 16, 24)]);
    expectClose(values(small), values(big), 1e-6);
    // the loss a step reports is the batch's own mean loss (logged before OpenMixup's division by N)
    const ref = linearModel();
    const lRef = learner(ref, 1, 1);
    const [first] = await stepAll(lRef, [rows(data, 0, B)]);
    expect(losses[0]).toBeCloseTo(first, 6);
    for (const l of [lSmall, lBig, lRef]) l.dispose();
  });

  it('a run resumed from a checkpoint taken inside a group ends with the parameters of an uninterrupted run', async () => {
    // 6 iterations an epoch, N 4: epoch 1 ends with 2 iterations summed (the checkpoint holds them)
    const data = samples(24, 5);
    const loader: LoaderLike = {
      numSamples: 24,
      numBatches: 6,
      async *epoch(e: number) {
        for (let i = 0; i < 6; i++) yield rows(data, ((i + e) % 6) * B, (((i + e) % 6) + 1) * B);
      },
    };
    const run = async (dir: string, model: TrainableModel, start: TrainSetup['start'], kill?: boolean) => {
      const logger = new RunLogger(dir, {env_info: '', config: {}, config_path: 'toy', seed: 0, exp_name: 'toy', backend: {name: 'cpu', reason: 'test'}, mixup_version: '0'});
      return train({
        learner: learner(model, 4, 18),
        train: loader,
        val: loader,
        maxEpochs: 3,
        logInterval: 3,
        evalInterval: 10,
        topk: [1],
        ckptInterval: 10,
        maxKeep: 1,
        workDir: dir,
        logger,
        ckptMeta: {seed: 0, configHash: 'x', configPath: 'toy', mixupVersion: '0'},
        start,
        beforeIteration: kill ? (epoch) => {
          if (epoch === 1) throw new Error('killed');
        } : undefined,
      }).then(() => logger.jsonPath);
    };
    const whole = linearModel();
    const wholeLog = await run(tmpDir(), whole, {epoch: 0, iter: 0, rng: new Rng(0)});

    const dir = tmpDir();
    await expect(run(dir, linearModel(), {epoch: 0, iter: 0, rng: new Rng(0)}, true)).rejects.toThrow('killed');
    const ckpt = readCheckpoint(path.join(dir, 'latest.safetensors'));
    expect([ckpt.meta.epoch, ckpt.meta.iter, ckpt.meta.accumulation]).toEqual([1, 6, {iters: 2, factor: 4}]);
    expect([...ckpt.tensors.accumulated!.keys()]).toEqual(['fc.weight', 'fc.bias']);
    const resumed = linearModel();
    for (const [name, v] of resumed.params) v.assign(ckpt.tensors.params.get(name)!);
    await run(dir, resumed, {
      epoch: 1, iter: 6, rng: Rng.fromState(ckpt.meta.rng), momentum: ckpt.tensors.momentum,
      accumulation: {...ckpt.meta.accumulation!, grads: ckpt.tensors.accumulated!}, source: 'latest',
    });
    expect(values(resumed)).toEqual(values(whole));
    // log lines count data iterations (every 3 of the 6 per epoch), as OpenMixup's do
    expect(readJsonLog(wholeLog).filter((r) => r.mode === 'train').map((r) => [r.epoch, r.iter])).toEqual([[1, 3], [1, 6], [2, 3], [2, 6], [3, 3], [3, 6]]);
    // an epoch that ends on a group boundary leaves nothing pending (iter 12 = 3 groups of 4)
    expect(readCheckpoint(path.join(dir, 'latest.safetensors')).meta.accumulation).toBeUndefined();
  });

  it('refuses a checkpoint whose summed gradients do not fit the run', () => {
    const model = linearModel();
    const grads = new Map([['fc.weight', tf.zeros([8, CLASSES])]]);
    expect(() => new GradAccumulation(1, 10).load({iters: 2, factor: 4, grads}, model.params, 'x.safetensors')).toThrow(
      'x.safetensors: holds gradients of 2 iteration(s) accumulated towards an optimizer step, but optimizer_config.update_interval is 1 in this config',
    );
    expect(() => new GradAccumulation(2, 10).load({iters: 2, factor: 4, grads}, model.params, 'x.safetensors')).toThrow(
      'x.safetensors: accumulation of 2 iteration(s) towards a step of 4 does not fit optimizer_config.update_interval 2',
    );
    expect(() => new GradAccumulation(4, 10).load({iters: 1, factor: 4, grads: new Map([['fc.w', tf.zeros([1])]])}, model.params, 'x.safetensors')).toThrow(
      'x.safetensors: accumulated gradient "fc.w" has no matching parameter',
    );
  });

  it('AutoMix: both groups (online encoder, Mix Block) step only when a group closes', async () => {
    const config = loadConfig(writeTinyAutoMixConfig(tmpDir())) as AutoMixConfig;
    const model = buildAutoMix(config.model, {seed: 1, source: 'tiny'});
    const sgd = {momentum: 0.9, weightDecay: 0};
    const l = new AutoMixLearner({
      model, sgd, mixBlockSgd: sgd, accumulation: new GradAccumulation(2, 4),
      schedules: {lr: {lrAt: () => 0.05}, mixBlockLr: {lrAt: () => 0.1}, maskLossWeight: () => 0.1, momentum: () => 0.9},
    });
    const groups = () => [model.online, model.mixBlockParams].map((g) => [...g.values()].flatMap((v) => [...v.dataSync()]));
    const batch = (seed: number): HostBatchLike => {
      const rng = new Rng(seed);
      return {images: Float32Array.from({length: 4 * 16 * 16 * 3}, () => rng.normal()), shape: [4, 16, 16, 3], labels: Int32Array.from([0, 1, 2, 3])};
    };
    const before = groups();
    const step = async (iter: number) => {
      const {loss, metrics} = await l.step(batch(iter), {rng: new Rng(iter), epoch: 0, iter});
      tf.dispose([loss, ...Object.values(metrics).filter((m): m is tf.Scalar => typeof m !== 'number')]);
    };
    await step(0);
    expect(groups()).toEqual(before);
    expect(l.accumulationState()?.iters).toBe(1);
    await step(1);
    const after = groups();
    after.forEach((g, i) => expect(g).not.toEqual(before[i]));
    expect(l.accumulationState()).toBeUndefined();
    l.dispose();
    model.dispose();
  });
});

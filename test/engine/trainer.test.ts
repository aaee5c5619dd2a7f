/** The epoch runner on a stand-in linear model and a learnable toy set (fast, backend-independent). */
import {fillDefaults} from '../../src/config/normalise';
import {LrSchema} from '../../src/config/schema';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {selectBackend} from '../../src/engine/backend';
import {RunLogger} from '../../src/engine/logger';
import {buildLrSchedule} from '../../src/engine/lr';
import {ClassifierLearner, evaluate, type HostBatchLike, type LoaderLike, type TrainableModel} from '../../src/engine/learner';
import {train} from '../../src/engine/trainer';
import {accuracyMixDevice, accuracyTop1, mixLoss, MixSchedule, registry} from '../../src/mixups';
import {Rng} from '../../src/rng';
import {readJsonLog, tmpDir} from './helpers';

/** 4×4×1 images; class c = the bright quadrant c, plus noise. */
function toyLoader(n: number, batch: number, seed: number): LoaderLike {
  const rng = new Rng(seed);
  const images = new Float32Array(n * 16);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 4;
    for (let p = 0; p < 16; p++) {
      const quadrant = (Math.floor(p / 8) * 2) + (Math.floor((p % 4) / 2));
      images[i * 16 + p] = (quadrant === labels[i] ? 1 : 0) + 0.3 * rng.normal();
    }
  }
  return {
    numSamples: n,
    numBatches: n / batch,
    async *epoch(): AsyncIterable<HostBatchLike> {
      for (let b = 0; b < n / batch; b++) {
        yield {images: images.slice(b * batch * 16, (b + 1) * batch * 16), shape: [batch, 4, 4, 1], labels: labels.slice(b * batch, (b + 1) * batch)};
      }
    },
  };
}

function linearModel(): TrainableModel {
  const w = tf.variable(tf.zeros([16, 4]));
  const b = tf.variable(tf.zeros([4]));
  return {
    numClasses: 4,
    params: new Map([['fc.weight', w], ['fc.bias', b]]),
    buffers: new Map(),
    forward: (x) => tf.tidy(() => tf.add(tf.matMul(tf.reshape(x, [x.shape[0], 16]), w), b) as tf.Tensor2D),
  };
}

describe('train (epoch runner)', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('makes the loss fall on a learnable toy set and validates each epoch', async () => {
    const dir = tmpDir();
    const model = linearModel();
    const schedule = new MixSchedule({mix_mode: ['vanilla', 'mixup'], alpha: [1, 0.2], mix_prob: null, mix_repeat: 1, mix_args: {}}, registry);
    const logger = new RunLogger(dir, {env_info: '', config: {}, config_path: 'toy', seed: 0, exp_name: 'toy', backend: {name: 'cpu', reason: 'test'}, mixup_version: '0'});
    const before = await evaluate(model, toyLoader(32, 8, 2));
    const learner = new ClassifierLearner({
      model,
      planner: schedule,
      criteria: {loss: (z, y) => mixLoss(z, y, 4), acc: accuracyTop1, accMix: accuracyMixDevice},
      hooks: {},
      lr: buildLrSchedule(fillDefaults(LrSchema, {policy: 'fixed'}), 0.1, 5, 8),
      sgd: {momentum: 0.9, weightDecay: 1e-4},
    });
    const result = await train({
      learner,
      train: toyLoader(64, 8, 1),
      val: toyLoader(32, 8, 2),
      maxEpochs: 5,
      logInterval: 4,
      evalInterval: 2,
      topk: [1, 2],
      ckptInterval: 5,
      maxKeep: 1,
      workDir: dir,
      logger,
      ckptMeta: {seed: 0, configHash: 'x', configPath: 'toy', mixupVersion: '0'},
      start: {epoch: 0, iter: 0, rng: new Rng(0)},
    });
    const records = readJsonLog(logger.jsonPath);
    const losses = records.filter((r) => r.mode === 'train').map((r) => r.loss as number);
    expect(losses).toHaveLength(10);
    const first = records.find((r) => r.mode === 'train')!;
    expect(Object.keys(first)).toEqual(['mode', 'epoch', 'iter', 'lr', 'data_time', 'time', 'loss', 'acc', 'acc_mix']);
    expect(first.acc_mix).toBeGreaterThanOrEqual(0);
    expect(first.acc_mix).toBeLessThanOrEqual(100);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.5);
    // evaluation.interval 2 plus the last epoch
    expect(records.filter((r) => r.mode === 'val').map((r) => r.epoch)).toEqual([2, 4, 5]);
    expect(before.metrics.head0_top1).toBe(25); // all-zero logits: ties broken towards class 0
    expect(result.val.head0_top1).toBeGreaterThan(90);
    expect(Object.keys(result.val)).toEqual(['head0_top1', 'head0_top2']);
    expect(path.basename(result.latest)).toBe('latest.safetensors');
    expect(result.iters).toBe(40);
  });
});

/** The AutoMix training step (bi-level, two parameter groups, EMA encoder) and its schedules, on tiny models. */
import * as tf from '@tensorflow/tfjs-core';
import {loadConfig} from '../../src/config/validate';
import type {AutoMixConfig} from '../../src/config/schema';
import {selectBackend} from '../../src/engine/backend';
import {AutoMixLearner, groupLrSchedules, hookSchedules, noRepeatPermutation, type AutoMixSchedules} from '../../src/engine/automix-learner';
import type {HostBatchLike} from '../../src/engine/learner';
import {buildAutoMix} from '../../src/models';
import {Rng} from '../../src/rng';
import {tmpDir, writeTinyAutoMixConfig} from './helpers';

function batch(seed: number, n = 8, size = 16, classes = 6): HostBatchLike {
  const rng = new Rng(seed);
  return {
    images: Float32Array.from({length: n * size * size * 3}, () => rng.normal()),
    shape: [n, size, size, 3],
    labels: Int32Array.from({length: n}, (_, i) => i % classes),
  };
}

const snapshot = (vars: Map<string, tf.Variable>) => new Map([...vars].map(([k, v]) => [k, v.dataSync().slice() as Float32Array]));
const constant = (lr: number) => ({lrAt: () => lr});

describe('AutoMixLearner', () => {
  let config: AutoMixConfig;
  beforeAll(async () => {
    await selectBackend('auto'); // native when built (fast), else wasm/cpu
    config = loadConfig(writeTinyAutoMixConfig(tmpDir())) as AutoMixConfig;
  });

  function learnerWith(lrQ: number, lrMb: number, momentum = 0.99): {learner: AutoMixLearner; model: ReturnType<typeof buildAutoMix>} {
    const model = buildAutoMix(config.model, {seed: 1, source: 'tiny'});
    const schedules: AutoMixSchedules = {lr: constant(lrQ), mixBlockLr: constant(lrMb), maskLossWeight: () => 0.1, momentum: () => momentum};
    const sgd = {momentum: 0.9, weightDecay: 0};
    return {learner: new AutoMixLearner({model, schedules, sgd, mixBlockSgd: sgd}), model};
  }

  it('one step updates the online encoder and the Mix Block, each with its own learning rate, and moves k by EMA', async () => {
    const deltas = async (lrQ: number, lrMb: number) => {
      const {learner, model} = learnerWith(lrQ, lrMb, 0.99);
      const q0 = snapshot(model.online);
      const mb0 = snapshot(model.mixBlockParams);
      const k0 = snapshot(model.momentumParams);
      const {loss, metrics} = await learner.step(batch(3), {rng: new Rng(5), epoch: 0, iter: 0});
      expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
      expect(Object.keys(metrics)).toEqual(['acc_mix_q', 'acc_one_q', 'acc_mix_k']);
      const diff = (vars: Map<string, tf.Variable>, before: Map<string, Float32Array>) =>
        new Map([...vars].map(([k, v]) => [k, Float32Array.from(v.dataSync(), (x, i) => x - before.get(k)![i])]));
      const out = {dq: diff(model.online, q0), dmb: diff(model.mixBlockParams, mb0), q1: snapshot(model.online), k0, k1: snapshot(model.momentumParams)};
      tf.dispose([loss, ...Object.values(metrics).filter((m): m is tf.Scalar => typeof m !== 'number')]);
      learner.dispose();
      model.dispose();
      return out;
    };
    const a = await deltas(0.01, 0.1);
    const b = await deltas(0.02, 0.3);
    // first step: update = −lr·g (fresh momentum buffers, no weight decay), with the same gradients in both runs
    const ratio = (x: Map<string, Float32Array>, y: Map<string, Float32Array>) => {
      let num = 0;
      let den = 0;
      for (const [k, v] of x) v.forEach((d, i) => { num += d * y.get(k)![i]; den += d * d; });
      return num / den; // least-squares factor y ≈ factor·x
    };
    expect(ratio(a.dq, b.dq)).toBeCloseTo(2, 3);
    expect(ratio(a.dmb, b.dmb)).toBeCloseTo(3, 3);
    const norm = (m: Map<string, Float32Array>) => Math.sqrt([...m.values()].reduce((s, v) => s + v.reduce((t, d) => t + d * d, 0), 0));
    expect(norm(a.dq)).toBeGreaterThan(0);
    expect(norm(a.dmb)).toBeGreaterThan(0);
    // k ← m·k + (1 − m)·q with m = 0.99, for the backbone and both heads (k started as a copy of q)
    for (const [name, k1] of a.k1) {
      const qName = name.replace(/^backbone_k\./, 'backbone_q.').replace(/^head_(one|mix)_k\./, 'head_$1_q.');
      const q1 = a.q1.get(qName)!;
      const k0 = a.k0.get(name)!;
      k1.forEach((v, i) => expect(v).toBeCloseTo(0.99 * k0[i] + 0.01 * q1[i], 5));
    }
  });

  it('a zero learning rate leaves that group unchanged', async () => {
    const {learner, model} = learnerWith(0, 0.1);
    const q0 = snapshot(model.online);
    const {loss} = await learner.step(batch(4), {rng: new Rng(6), epoch: 0, iter: 0});
    loss.dispose();
    for (const [k, v] of model.online) expect(Array.from(v.dataSync())).toEqual(Array.from(q0.get(k)!));
    learner.dispose();
    model.dispose();
  });

  it('keeps optimizer state for both groups under their parameter names and restores it', async () => {
    const {learner, model} = learnerWith(0.01, 0.1);
    (await learner.step(batch(5), {rng: new Rng(7), epoch: 0, iter: 0})).loss.dispose();
    const state = learner.optimizerState();
    expect(new Set(state.keys())).toEqual(new Set([...model.online.keys(), ...model.mixBlockParams.keys()]));
    const copy = new Map([...state].map(([k, v]) => [k, v.clone()]));
    const other = learnerWith(0.01, 0.1);
    other.learner.loadOptimizerState(copy, 'test');
    expect(new Set(other.learner.optimizerState().keys())).toEqual(new Set(state.keys()));
    tf.dispose([...copy.values()]);
    for (const x of [learner, other.learner]) x.dispose();
    model.dispose();
    other.model.dispose();
  });

  it('validates with the reference keys acc_{mix,one}_{k,q}_top<k>', async () => {
    const {learner, model} = learnerWith(0.01, 0.1);
    const b = batch(9);
    const loader = {numSamples: 8, numBatches: 1, async *epoch() { yield b; }};
    const {metrics, iters, samples} = await learner.evaluate(loader, [1, 5]);
    expect(Object.keys(metrics)).toEqual(['acc_mix_k_top1', 'acc_mix_k_top5', 'acc_one_k_top1', 'acc_one_k_top5', 'acc_mix_q_top1', 'acc_mix_q_top5', 'acc_one_q_top1', 'acc_one_q_top5']);
    for (const v of Object.values(metrics)) expect(v).toBeGreaterThanOrEqual(0);
    expect([iters, samples]).toEqual([1, 8]);
    learner.dispose();
    model.dispose();
  });
});

describe('AutoMix schedules', () => {
  let config: AutoMixConfig;
  beforeAll(() => {
    config = loadConfig(writeTinyAutoMixConfig(tmpDir())) as AutoMixConfig;
  });

  it('mask-loss weight: cosine 0.1 -> 0 by iteration; momentum: constant 0.999 for the first 10 %, then cosine to 0.99999', async () => {
    const {maskLossWeight, momentum} = hookSchedules(config, 10, 100); // 1000 iterations
    expect(maskLossWeight(0, 0)).toBeCloseTo(0.1, 10);
    expect(maskLossWeight(5, 500)).toBeCloseTo(0.05, 10);
    expect(maskLossWeight(9, 1000)).toBeCloseTo(0, 10);
    expect(momentum(0)).toBe(0.999);
    expect(momentum(99)).toBe(0.999);
    // inside the scope: m = end − (end − base)·(cos(π·t/T) + 1)/2 with T = 1000 (OpenMixup's formula uses t/T)
    expect(momentum(500)).toBeCloseTo(0.99999 - (0.99999 - 0.999) * 0.5, 10);
    expect(momentum(1000)).toBeCloseTo(0.99999, 10);
  });

  it('the Mix Block group starts at its own lr and anneals to addtional_scheduler.min_lr', async () => {
    const {lr, mixBlockLr} = groupLrSchedules(config, 10, 100);
    expect(lr.lrAt(0, 0)).toBeCloseTo(config.optimizer.lr, 10);
    expect(mixBlockLr.lrAt(0, 0)).toBeCloseTo(0.1, 10);
    expect(mixBlockLr.lrAt(10, 1000)).toBeCloseTo(0.001, 10);
    expect(lr.lrAt(10, 1000)).toBeCloseTo(0, 10);
  });
});

describe('noRepeatPermutation', () => {
  it('pairs every image with another one (no fixed points) for the Mix Block, for n >= 2', async () => {
    const rng = new Rng(1);
    for (const n of [2, 3, 4, 8, 16]) {
      for (let t = 0; t < 50; t++) {
        const p = noRepeatPermutation(rng, n, false);
        expect([...p].sort((a, b) => a - b)).toEqual(Array.from({length: n}, (_, i) => i));
        expect(p.some((v, i) => v === i)).toBe(false);
      }
    }
  });
});

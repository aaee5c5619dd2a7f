/**
 * The fused, in-place momentum-SGD step (src/backend/native/sgd.ts, native/src/kernels/Sgd.cc) that `Sgd` uses on
 * `native`, against the tfjs-op update on the cpu backend: the same numbers, in place, no new tensors, and momentum
 * buffers that save and restore.
 */
import * as tf from '@tensorflow/tfjs-core';
import {Sgd, type SgdOptions} from '../../../src/engine/sgd';
import {missingAddonFunctions} from '../../../src/backend/native/addon';
import {describeNative, nativeAddon, randomValues} from './helpers';

/** Tiny parameters, one above the addon's threading threshold (65,536 elements). */
const SHAPES: Record<string, number[]> = {conv: [3, 3, 2, 4], bias: [4], big: [70_001]};
const STEPS = 4;

interface Run {
  params: Record<string, Float32Array>;
  buffers: Record<string, Float32Array>;
}

/** STEPS steps of `opts` on `backend` from seeded parameters and gradients, the lr changing every step. */
function train(backend: string, opts: SgdOptions, steps = STEPS): Run {
  tf.setBackend(backend);
  const vars = new Map(Object.entries(SHAPES).map(([name, shape], i) => [name, tf.variable(tf.tensor(randomValues(shape, 10 + i), shape))]));
  const sgd = new Sgd(vars, opts);
  for (let step = 0; step < steps; step++) {
    const grads = Object.fromEntries(Object.entries(SHAPES).map(([name, shape], i) => [name, tf.tensor(randomValues(shape, 100 * step + i), shape)]));
    sgd.step(grads, 0.1 / (step + 1));
    tf.dispose(Object.values(grads));
  }
  const read = (m: ReadonlyMap<string, tf.Tensor>) => Object.fromEntries([...m].map(([k, v]) => [k, v.dataSync() as Float32Array]));
  const run = {params: read(vars), buffers: read(sgd.state())};
  sgd.dispose();
  tf.dispose([...vars.values()]);
  return run;
}

/** Max |a − b| over every entry of two runs. */
function maxDiff(a: Run, b: Run): number {
  let diff = 0;
  for (const group of ['params', 'buffers'] as const) {
    expect(Object.keys(a[group]).sort()).toEqual(Object.keys(b[group]).sort());
    for (const k of Object.keys(a[group])) {
      const x = a[group][k], y = b[group][k];
      expect(x.length).toBe(y.length);
      for (let i = 0; i < x.length; i++) diff = Math.max(diff, Math.abs(x[i] - y[i]));
    }
  }
  return diff;
}

describeNative('fused momentum-SGD on native', () => {
  // tolerance 0 = bit for bit. With grad_clip the gradient norm is a sum over 70,000 squares, which oneDNN's
  // reduction adds in another order than the cpu kernel: the clip factor (and so the update) may differ in the last bit.
  const cases: Array<[string, SgdOptions, number]> = [
    ['momentum 0.9, weight decay 1e-4', {momentum: 0.9, weightDecay: 1e-4}, 0],
    ['momentum 0.9, weight decay 5e-4, dampening 0.1, nesterov', {momentum: 0.9, weightDecay: 5e-4, dampening: 0.1, nesterov: true}, 0],
    ['no momentum, weight decay 1e-2', {momentum: 0, weightDecay: 1e-2}, 0],
    ['momentum 0.5, no weight decay, grad_clip max_norm 0.5', {momentum: 0.5, weightDecay: 0, maxGradNorm: 0.5}, 1e-6],
  ];
  test.each(cases)('%s: the same parameters and buffers as the tfjs ops on cpu (max difference %p)', (_, opts, tol) => {
    const spy = jest.spyOn(nativeAddon(), 'sgdStep');
    const native = train('native', opts);
    expect(spy).toHaveBeenCalledTimes(STEPS);
    spy.mockRestore();
    const cpu = train('cpu', opts);
    expect(maxDiff(native, cpu)).toBeLessThanOrEqual(tol);
    // the run really moved the parameters (a step that did nothing would also match a step that did nothing)
    expect(cpu.params.conv[0]).not.toBe(randomValues(SHAPES.conv, 10)[0]);
  });

  test('updates in place: the same buffers every step, no tensor created after the first step', () => {
    tf.setBackend('native');
    const w = tf.variable(tf.tensor(randomValues([5, 7], 1), [5, 7]));
    const sgd = new Sgd(new Map([['w', w]]), {momentum: 0.9, weightDecay: 1e-4});
    const grad = tf.tensor(randomValues([5, 7], 2), [5, 7]);
    sgd.step({w: grad}, 0.1);
    const dataId = w.dataId, bufferId = sgd.state().get('w')!.dataId, tensors = tf.memory().numTensors;
    sgd.step({w: grad}, 0.1);
    sgd.step({w: grad}, 0.1);
    expect({same: w.dataId === dataId, sameBuffer: sgd.state().get('w')!.dataId === bufferId, tensors: tf.memory().numTensors})
      .toEqual({same: true, sameBuffer: true, tensors});
    tf.dispose([w, grad]);
    sgd.dispose();
  });

  test('a parameter sharing its data with another tensor (tf.variable / assign) gets its own copy first', () => {
    tf.setBackend('native');
    const q = tf.variable(tf.tensor1d([1, 2, 3]));
    const k = tf.variable(tf.tensor1d([0, 0, 0]));
    k.assign(q); // the AutoMix momentum encoder starts as such a copy
    const sgd = new Sgd(new Map([['q', q]]), {momentum: 0.9, weightDecay: 0});
    const g = tf.tensor1d([1, 1, 1]);
    sgd.step({q: g}, 0.5);
    expect({q: Array.from(q.dataSync()), k: Array.from(k.dataSync())}).toEqual({q: [0.5, 1.5, 2.5], k: [1, 2, 3]});
    tf.dispose([q, k, g]);
    sgd.dispose();
  });

  test('two groups with their own lr and options (the AutoMix online encoder and Mix Block) match cpu', () => {
    const twoGroups = (backend: string): number[][] => {
      tf.setBackend(backend);
      const a = tf.variable(tf.tensor(randomValues([6, 6], 3), [6, 6]));
      const b = tf.variable(tf.tensor(randomValues([9], 4), [9]));
      const groupQ = new Sgd(new Map([['a', a]]), {momentum: 0.9, weightDecay: 1e-4});
      const groupMb = new Sgd(new Map([['b', b]]), {momentum: 0.9, weightDecay: 0});
      for (let step = 0; step < 3; step++) {
        const ga = tf.tensor(randomValues([6, 6], 20 + step), [6, 6]);
        const gb = tf.tensor(randomValues([9], 30 + step), [9]);
        groupQ.step({a: ga}, 0.1);
        groupMb.step({b: gb}, 0.02 * (step + 1));
        tf.dispose([ga, gb]);
      }
      const out = [a, b, groupQ.state().get('a')!, groupMb.state().get('b')!].map((t) => Array.from(t.dataSync()));
      groupQ.dispose();
      groupMb.dispose();
      tf.dispose([a, b]);
      return out;
    };
    expect(twoGroups('native')).toEqual(twoGroups('cpu'));
  });

  test('momentum buffers save and restore: a resumed optimizer continues exactly like the uninterrupted one', () => {
    const opts: SgdOptions = {momentum: 0.9, weightDecay: 1e-4};
    const whole = train('native', opts, 4);
    // two steps, "checkpoint" (copies of the values, as saveCheckpoint stores them), new optimizer, two more steps
    tf.setBackend('native');
    const vars = new Map(Object.entries(SHAPES).map(([name, shape], i) => [name, tf.variable(tf.tensor(randomValues(shape, 10 + i), shape))]));
    const first = new Sgd(vars, opts);
    const gradsAt = (step: number) => Object.fromEntries(Object.entries(SHAPES).map(([name, shape], i) => [name, tf.tensor(randomValues(shape, 100 * step + i), shape)]));
    for (let step = 0; step < 2; step++) {
      const g = gradsAt(step);
      first.step(g, 0.1 / (step + 1));
      tf.dispose(Object.values(g));
    }
    const saved = new Map([...first.state()].map(([k, v]) => [k, tf.tensor(Float32Array.from(v.dataSync()), v.shape)]));
    first.dispose();
    const resumed = new Sgd(vars, opts);
    resumed.loadState(saved, 'ckpt');
    tf.dispose([...saved.values()]);
    for (let step = 2; step < 4; step++) {
      const g = gradsAt(step);
      resumed.step(g, 0.1 / (step + 1));
      tf.dispose(Object.values(g));
    }
    const read = (m: ReadonlyMap<string, tf.Tensor>) => Object.fromEntries([...m].map(([k, v]) => [k, v.dataSync() as Float32Array]));
    expect(maxDiff({params: read(vars), buffers: read(resumed.state())}, whole)).toBe(0);
    resumed.dispose();
    tf.dispose([...vars.values()]);
  });
});

describeNative('the built addon', () => {
  test('has every function the backend calls (it is not out of date)', () => {
    expect(missingAddonFunctions(nativeAddon())).toEqual([]);
  });
});

import '@tensorflow/tfjs'; // registers the gradient functions, as the engine does
import * as tf from '@tensorflow/tfjs-core';
import {manifoldmix} from '../../src/mixups/manifoldmix';
import {Rng} from '../../src/rng';
import {host, makeBatch, useCpu} from './helpers';

beforeAll(useCpu);

describe('manifoldmix', () => {
  test('the stage is drawn from [layer[0], layer[1]) like randint(0, 3)', async () => {
    const rng = new Rng(4);
    const seen = new Set<number>();
    for (let i = 0; i < 60; i++) seen.add(manifoldmix.spec.sampleParams(rng, [4, 8, 8, 3], 1, {layer: [0, 3]}).stage);
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });

  test('the plan interpolates features: λ·h + (1 − λ)·h[perm]; the images stay unmixed', async () => {
    const batch = makeBatch(3, 4, 4);
    const out = await manifoldmix.spec.apply(batch, {lam: 0.3, perm: Int32Array.from([2, 0, 1]), stage: 1}, {layer: [0, 3]}, {});
    if (out.kind !== 'feature') throw new Error('expected a feature plan');
    expect(out.plan.stage).toBe(1);
    expect(host(out.images)).toEqual(host(batch.images));
    const h = tf.tensor4d(Float32Array.from({length: 3 * 2 * 2 * 1}, (_, i) => i), [3, 2, 2, 1]);
    const mixed = host(out.plan.apply(h));
    expect(mixed[0]).toBeCloseTo(0.3 * 0 + 0.7 * 8, 5);
    expect(mixed[4]).toBeCloseTo(0.3 * 4 + 0.7 * 0, 5);
  });

  test('the plan is differentiable: d Σ(w·h̃)/dh_j = λ·w_j + (1 − λ)·w_{perm⁻¹(j)}', async () => {
    const out = await manifoldmix.spec.apply(makeBatch(2, 4, 4), {lam: 0.3, perm: Int32Array.from([1, 0]), stage: 2}, {layer: [0, 3]}, {});
    if (out.kind !== 'feature') throw new Error('expected a feature plan');
    const weights = tf.tensor4d([1, 2], [2, 1, 1, 1]);
    const g = host(tf.grad((h: tf.Tensor) => tf.sum(tf.mul(out.plan.apply(h as tf.Tensor4D), weights)))(tf.ones([2, 1, 1, 1])));
    expect(g[0]).toBeCloseTo(0.3 * 1 + 0.7 * 2, 5);
    expect(g[1]).toBeCloseTo(0.3 * 2 + 0.7 * 1, 5);
  });

  test('layer must be an increasing integer range', async () => {
    expect(() => manifoldmix.parseArgs!({layer: [2, 2]})).toThrow('model.mix_args.manifoldmix.layer must be [low, high) with low < high, got [2,2]');
  });
});

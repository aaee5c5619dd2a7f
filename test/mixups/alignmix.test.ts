import '@tensorflow/tfjs'; // registers the gradient functions, as the engine does
import * as tf from '@tensorflow/tfjs-core';
import {alignedPlan, sinkhornPlan} from '../../src/mixups/alignmix';
import {host, useCpu} from './helpers';

beforeAll(useCpu);

describe('alignmix', () => {
  // 4 well separated points and the same points in another order
  const pts = [[0, 0], [5, 0], [0, 5], [5, 5]];
  const order = [2, 0, 3, 1];
  const a = tf.tensor3d(pts.flat(), [1, 4, 2]);
  const b = tf.tensor3d(order.map((i) => pts[i]).flat(), [1, 4, 2]);

  test('Sinkhorn plan has uniform marginals and matches each point to its copy', () => {
    const {plan} = sinkhornPlan(a, b, 0.1, 100);
    const p = host(plan);
    for (let j = 0; j < 4; j++) {
      let row = 0;
      let col = 0;
      for (let k = 0; k < 4; k++) {
        row += p[j * 4 + k];
        col += p[k * 4 + j];
      }
      expect(row).toBeCloseTo(0.25, 2);
      expect(col).toBeCloseTo(0.25, 2);
      expect(p[j * 4 + order.indexOf(j)]).toBeGreaterThan(0.24);
    }
  });

  test('aligned interpolation of a map with a permuted copy of itself returns the map', () => {
    // sample 1 = sample 0 with its 2×2 positions permuted: aligning undoes the permutation
    const x = tf.concat([tf.reshape(a, [1, 2, 2, 2]), tf.reshape(b, [1, 2, 2, 2])]) as tf.Tensor4D;
    for (const mode of [0, 1] as const) {
      const out = host(alignedPlan({lam: 0.4, perm: Int32Array.from([1, 0]), mode}, {eps: 0.1, max_iter: 100}).apply(x));
      const expected = mode === 0 ? host(x) : host(tf.gather(x, [1, 0]));
      out.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 1));
    }
  });

  test('the plan is differentiable in the features (the transport plan is a constant)', () => {
    const x = tf.randomUniform([2, 2, 2, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const plan = alignedPlan({lam: 0.6, perm: Int32Array.from([1, 0]), mode: 0}, {eps: 0.1, max_iter: 50});
    const g = tf.grad((h: tf.Tensor) => tf.sum(plan.apply(h as tf.Tensor4D)))(x);
    expect(g.shape).toEqual([2, 2, 2, 3]);
    // Σ over the output of λ·A + (1 − λ)·R·B: every feature of A counts λ, every feature of B counts (1 − λ)·(column sum of R = 1)
    host(g).forEach((v) => expect(v).toBeCloseTo(1, 2));
  });
});

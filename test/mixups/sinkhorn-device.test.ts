/**
 * The device Sinkhorn (webgpu's alignmix plan) against the host one, on the cpu backend: same plan, same stopping
 * iteration, and the same feature gradients through alignmix (the plan a constant in both).
 */
import '@tensorflow/tfjs'; // registers the gradient functions, as the engine does
import * as tf from '@tensorflow/tfjs-core';
import {alignedPlan, sinkhornPlan} from '../../src/mixups/alignmix';
import {detachedSinkhornPlan, sinkhornPlanDevice} from '../../src/mixups/sinkhorn-device';
import {relError} from '../backend/webgpu/helpers';
import {host, useCpu} from './helpers';

beforeAll(useCpu);

/** N×n×C seeded features and the same batch in the order `perm`. */
function pair(nb: number, n: number, c: number, seed: number): [tf.Tensor3D, tf.Tensor3D] {
  const a = tf.randomUniform([nb, n, c], 0, 1, 'float32', seed) as tf.Tensor3D;
  return [a, tf.reverse(a, 0) as tf.Tensor3D];
}

describe('device Sinkhorn', () => {
  test.each([[2, 4, 3, 0.1, 1], [3, 9, 8, 0.1, 2], [2, 16, 4, 0.5, 3]])('N=%i n=%i C=%i eps=%f: the host plan and its stopping iteration', (nb, n, c, eps, seed) => {
    const [a, b] = pair(nb, n, c, seed);
    const ref = sinkhornPlan(a, b, eps, 100);
    const got = sinkhornPlanDevice(a, b, eps, 100);
    expect(got.iterations.arraySync()).toBe(ref.iterations);
    expect(ref.iterations).toBeLessThan(100); // the early stop happened: the device froze u and v after it
    expect(relError(host(got.plan), host(ref.plan))).toBeLessThanOrEqual(1e-5);
    // columns sum to 1/n (v is updated last); rows only as far as OpenMixup's threshold lets them, the same as the host
    const p = host(got.plan);
    const q = host(ref.plan);
    for (let i = 0; i < nb; i++) {
      for (let j = 0; j < n; j++) {
        let row = 0;
        let col = 0;
        let rowRef = 0;
        for (let k = 0; k < n; k++) {
          row += p[(i * n + j) * n + k];
          rowRef += q[(i * n + j) * n + k];
          col += p[(i * n + k) * n + j];
        }
        expect(Math.abs(col - 1 / n)).toBeLessThan(1e-5);
        expect(Math.abs(row - rowRef)).toBeLessThan(1e-5);
      }
    }
  });

  test('well separated points: rows and columns of the device plan sum to 1/n', () => {
    const pts = [[0, 0], [5, 0], [0, 5], [5, 5]];
    const a = tf.tensor3d(pts.flat(), [1, 4, 2]);
    const b = tf.tensor3d([2, 0, 3, 1].map((i) => pts[i]).flat(), [1, 4, 2]);
    const p = host(sinkhornPlanDevice(a, b, 0.1, 100).plan);
    for (let j = 0; j < 4; j++) {
      expect(Math.abs(p[j * 4] + p[j * 4 + 1] + p[j * 4 + 2] + p[j * 4 + 3] - 0.25)).toBeLessThan(1e-4);
      expect(Math.abs(p[j] + p[4 + j] + p[8 + j] + p[12 + j] - 0.25)).toBeLessThan(1e-5);
    }
  });

  test('freezing after the stop equals breaking: max_iter = the stopping iteration gives the same plan', () => {
    const [a, b] = pair(3, 9, 8, 2);
    const full = sinkhornPlanDevice(a, b, 0.1, 100);
    const stop = full.iterations.arraySync() as number;
    expect(stop).toBeGreaterThan(1);
    const cut = sinkhornPlanDevice(a, b, 0.1, stop);
    expect(host(cut.plan)).toEqual(host(full.plan));
    // and one iteration less is a different plan (the freeze is what keeps it)
    expect(relError(host(sinkhornPlanDevice(a, b, 0.1, stop - 1).plan), host(full.plan))).toBeGreaterThan(1e-6);
  });

  test('a max_iter below the stop runs max_iter iterations, as the host', () => {
    const [a, b] = pair(2, 4, 3, 1);
    const ref = sinkhornPlan(a, b, 0.1, 2);
    const got = sinkhornPlanDevice(a, b, 0.1, 2);
    expect(got.iterations.arraySync()).toBe(2);
    expect(relError(host(got.plan), host(ref.plan))).toBeLessThanOrEqual(1e-5);
  });

  test('alignmix feature gradients with the device plan equal the host path (the plan a constant)', () => {
    const x = tf.randomUniform([2, 3, 3, 4], 0, 1, 'float32', 5) as tf.Tensor4D;
    const weights = tf.randomNormal([2, 3, 3, 4], 0, 1, 'float32', 6);
    const loss = (plan: ReturnType<typeof alignedPlan>) => (h: tf.Tensor) => tf.sum(tf.mul(plan.apply(h as tf.Tensor4D), weights));
    for (const mode of [0, 1] as const) {
      const params = {lam: 0.6, perm: Int32Array.from([1, 0]), mode};
      const args = {eps: 0.1, max_iter: 100};
      const ref = host(tf.grad(loss(alignedPlan(params, args, 'host')))(x));
      const got = host(tf.grad(loss(alignedPlan(params, args, 'device')))(x));
      expect(relError(got, ref)).toBeLessThanOrEqual(1e-5);
    }
  });

  test('the detached plan has zero gradients to its inputs and the same value', () => {
    const [a, b] = pair(2, 4, 3, 1);
    const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(detachedSinkhornPlan(x as tf.Tensor3D, y as tf.Tensor3D, 0.1, 100))))([a, b]);
    g.forEach((t) => expect(Math.max(...host(tf.abs(t)))).toBe(0));
    expect(host(detachedSinkhornPlan(a, b, 0.1, 100))).toEqual(host(sinkhornPlanDevice(a, b, 0.1, 100).plan));
  });
});

import * as tf from '@tensorflow/tfjs-core';
import {groupedConv2d} from '../../src/models';
import {input, maxAbsDiff, useCpu} from './helpers';

beforeAll(useCpu);

/**
 * Independent reference: a grouped conv equals an ordinary conv whose filter is block-diagonal over the groups
 * (zero where input channel group != output channel group), [kh, kw, C_in, C_out].
 */
function blockDiagonal(w: tf.Tensor4D, groups: number): tf.Tensor4D {
  const [kh, kw, ig, cOut] = w.shape;
  const og = cOut / groups;
  const src = w.arraySync();
  const full = tf.buffer([kh, kw, ig * groups, cOut]);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < ig; i++)
        for (let o = 0; o < cOut; o++) full.set(src[y][x][i][o], y, x, Math.floor(o / og) * ig + i, o);
  return full.toTensor() as tf.Tensor4D;
}

describe('groupedConv2d', () => {
  it.each([
    [4, 1, 1, 8],
    [4, 2, 1, 8],
    [2, 2, 'same' as const, 6],
    [1, 1, 1, 5],
  ])('groups=%s stride=%s pad=%s equals the block-diagonal full conv', (groups, stride, pad, cOut) => {
    const x = input(2, 7, 6, 8);
    const w = input(3, 3, 8 / groups, cOut, 1.3);
    const y = groupedConv2d(x, w, stride, pad, groups);
    const ref = tf.conv2d(x, blockDiagonal(w, groups), stride, pad);
    expect(y.shape).toEqual(ref.shape);
    expect(maxAbsDiff(y, ref)).toBeLessThan(1e-5);
  });

  it('output group g depends only on input group g', () => {
    const x = input(1, 5, 5, 4);
    const w = input(3, 3, 2, 4, 0.5);
    const base = groupedConv2d(x, w, 1, 1, 2);
    // perturb input channels 2..3 (group 1): output channels 0..1 (group 0) must not change
    const x2 = tf.add(x, tf.concat([tf.zeros([1, 5, 5, 2]), tf.ones([1, 5, 5, 2])], 3)) as tf.Tensor4D;
    const moved = groupedConv2d(x2, w, 1, 1, 2);
    const half = (t: tf.Tensor4D, g: number) => tf.slice(t, [0, 0, 0, 2 * g], [1, 5, 5, 2]);
    expect(maxAbsDiff(half(base, 0), half(moved, 0))).toBe(0);
    expect(maxAbsDiff(half(base, 1), half(moved, 1))).toBeGreaterThan(0.1);
  });

  it('its gradients equal those of the block-diagonal conv', () => {
    const x = input(2, 5, 5, 6);
    const w = input(3, 3, 2, 6, 2.1);
    const [gx, gw] = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.square(groupedConv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, 2, 1, 3))))([x, w]);
    const wFull = blockDiagonal(w, 3);
    const [rx, rwFull] = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.square(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, 2, 1))))([x, wFull]);
    expect(maxAbsDiff(gx, rx)).toBeLessThan(1e-4);
    // the grouped filter's gradient is the block-diagonal part of the full filter's gradient
    const expected = tf.concat([0, 1, 2].map((g) => tf.slice(rwFull, [0, 0, 2 * g, 2 * g], [3, 3, 2, 2])), 3);
    expect(maxAbsDiff(gw, expected)).toBeLessThan(1e-4);
  });

  it('refuses a filter that does not fit the groups', () => {
    expect(() => groupedConv2d(input(1, 4, 4, 6), input(3, 3, 3, 6), 1, 1, 4)).toThrow(
      'groupedConv2d: groups 4 does not fit input channels 6 and filter shape [3, 3, 3, 6]',
    );
  });
});

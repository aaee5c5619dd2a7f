/** The native backend's output-buffer pool: reuse after dispose, and never a buffer something else can still see. */
import * as tf from '@tensorflow/tfjs-core';
import {BufferPool, POOL_MIN_ELEMENTS} from '../../../src/backend/native/pool';
import {NativeBackend} from '../../../src/backend/native/backend';
import {describeNative} from './helpers';

describe('BufferPool', () => {
  const n = POOL_MIN_ELEMENTS;
  test('a returned buffer is handed out again for the same length only', () => {
    const pool = new BufferPool();
    const a = pool.takeOutput(n);
    pool.giveBack(a);
    expect(pool.bytesHeld).toBe(4 * n);
    expect(pool.takeOutput(2 * n)).not.toBe(a);
    expect(pool.takeOutput(n)).toBe(a);
    expect(pool.stats).toEqual({reused: 1, allocated: 2});
    expect(pool.bytesHeld).toBe(0);
  });
  test('escaped, foreign and small buffers are never reused', () => {
    const pool = new BufferPool();
    const seen = pool.takeOutput(n);
    pool.escape(seen);
    pool.giveBack(seen);
    pool.giveBack(new Float32Array(n));  // not allocated by the pool (e.g. an array a caller gave tf.tensor)
    const small = pool.takeOutput(n - 1);
    pool.giveBack(small);
    expect(pool.bytesHeld).toBe(0);
    expect(pool.takeOutput(n - 1)).not.toBe(small);
  });
  test('a buffer given back twice is held once', () => {
    const pool = new BufferPool();
    const a = pool.takeOutput(n);
    pool.giveBack(a);
    pool.giveBack(a);
    expect(pool.bytesHeld).toBe(4 * n);
  });
  test('beyond maxBytes the least recently returned lengths are dropped first', () => {
    const pool = new BufferPool();
    pool.maxBytes = 4 * (3 * n);
    const [a, b, c] = [n, 2 * n, n].map((len) => pool.takeOutput(len));
    pool.giveBack(a);
    pool.giveBack(b);
    pool.giveBack(c);  // 4n elements > 3n: length n was returned again after 2n, so 2n goes
    expect(pool.bytesHeld).toBe(4 * (2 * n));
    expect(pool.takeOutput(2 * n)).not.toBe(b);
    expect(pool.takeOutput(n)).toBe(c);
    expect(pool.takeOutput(n)).toBe(a);
  });
});

describeNative('the pool on the native backend', () => {
  const pool = () => (tf.backend() as NativeBackend).pool;
  const x = () => tf.ones([2, 16, 16, 8]) as tf.Tensor4D;
  const w = () => tf.ones([3, 3, 8, 8]) as tf.Tensor4D;
  beforeEach(() => { tf.setBackend('native'); });

  test('a disposed kernel output is the next same-sized output, fully overwritten', () => {
    const [xs, ws] = [x(), w()];
    const y1 = tf.conv2d(xs, ws, 1, 'same');
    const reused = pool().stats.reused;
    y1.dispose();
    const y2 = tf.conv2d(xs, tf.mul(ws, 2) as tf.Tensor4D, 1, 'same');
    expect(pool().stats.reused).toBe(reused + 1);
    const v = y2.dataSync();
    expect(v[0]).toBe(2 * 4 * 8);  // corner: 4 taps inside the image
    expect(v[17 * 8]).toBe(2 * 9 * 8);  // interior
    tf.dispose([xs, ws, y2]);
  });

  test('an array read out with dataSync() keeps its values after its tensor is disposed', () => {
    const [xs, ws] = [x(), w()];
    const y = tf.conv2d(xs, ws, 1, 'same');
    const values = y.dataSync();
    const before = Float32Array.from(values);
    y.dispose();
    const z = tf.conv2d(xs, tf.mul(ws, 3) as tf.Tensor4D, 1, 'same');
    expect(values).toEqual(before);
    tf.dispose([xs, ws, z]);
  });

  test('a contiguous slice (a view of the buffer) keeps its values after the sliced tensor is disposed', () => {
    const [xs, ws] = [x(), w()];
    const y = tf.conv2d(xs, ws, 1, 'same');
    const s = tf.slice(y, [1], [1]);  // the second image: a subarray of y's buffer on the cpu kernel
    y.dispose();
    const z = tf.conv2d(xs, tf.mul(ws, 3) as tf.Tensor4D, 1, 'same');
    expect(s.dataSync()[0]).toBe(4 * 8);
    tf.dispose([xs, ws, z, s]);
  });

  test('a variable made from a kernel output keeps it until the variable is disposed', () => {
    const [xs, ws] = [x(), w()];
    const y = tf.conv2d(xs, ws, 1, 'same');
    const v = tf.variable(y);
    y.dispose();
    const z = tf.conv2d(xs, tf.mul(ws, 3) as tf.Tensor4D, 1, 'same');
    expect(v.dataSync()[0]).toBe(4 * 8);
    tf.dispose([xs, ws, z, v]);
  });
});

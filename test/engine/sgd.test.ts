import * as tf from '@tensorflow/tfjs-core';
import {selectBackend} from '../../src/engine/backend';
import {Sgd} from '../../src/engine/sgd';

/** PyTorch's SGD on plain numbers: d = g + wd·p; buf = d (first) or m·buf + d; p -= lr·buf. */
function reference(p: number, grads: number[], lr: number, m: number, wd: number): number {
  let buf: number | undefined;
  for (const g of grads) {
    const d = g + wd * p;
    buf = buf === undefined ? d : m * buf + d;
    p -= lr * buf;
  }
  return p;
}

describe('Sgd', () => {
  beforeAll(async () => {
    await selectBackend('cpu'); // also checks that tfjs's "install tfjs-node" banner stays silent (jest would print it)
  });

  it('matches torch.optim.SGD (momentum, weight decay added to the gradient) over several steps', () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const sgd = new Sgd(new Map([['w', w]]), {momentum: 0.9, weightDecay: 0.01});
    const grads = [[0.5, 1], [0.25, -1], [-0.5, 0.5]];
    for (const g of grads) sgd.step({w: tf.tensor1d(g)}, 0.1);
    const got = Array.from(w.dataSync());
    expect(got[0]).toBeCloseTo(reference(1, grads.map((g) => g[0]), 0.1, 0.9, 0.01), 6);
    expect(got[1]).toBeCloseTo(reference(-2, grads.map((g) => g[1]), 0.1, 0.9, 0.01), 6);
  });

  it('saves and restores momentum so a restored optimizer continues identically', () => {
    const a = tf.variable(tf.tensor1d([1]));
    const b = tf.variable(tf.tensor1d([1]));
    const sa = new Sgd(new Map([['w', a]]), {momentum: 0.9, weightDecay: 0});
    sa.step({w: tf.tensor1d([1])}, 0.1);
    b.assign(a);
    const sb = new Sgd(new Map([['w', b]]), {momentum: 0.9, weightDecay: 0});
    sb.loadState(sa.state(), 'ckpt');
    sa.step({w: tf.tensor1d([1])}, 0.1);
    sb.step({w: tf.tensor1d([1])}, 0.1);
    expect(b.dataSync()[0]).toBeCloseTo(a.dataSync()[0], 7);
    expect(() => sb.loadState(new Map([['v', tf.tensor1d([1])]]), 'ckpt')).toThrow('ckpt: momentum buffer "v" has no matching parameter');
  });

  it('clips the global gradient norm like clip_grad_norm_', () => {
    const w = tf.variable(tf.tensor1d([0, 0]));
    const sgd = new Sgd(new Map([['w', w]]), {momentum: 0, weightDecay: 0, maxGradNorm: 1});
    sgd.step({w: tf.tensor1d([3, 4])}, 1);
    const got = Array.from(w.dataSync());
    expect(got[0]).toBeCloseTo(-0.6, 5);
    expect(got[1]).toBeCloseTo(-0.8, 5);
  });
});

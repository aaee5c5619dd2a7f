/** src/backend/ops.ts: the analytic-gradient composites (any backend) and their native kernels, against autodiff. */
import * as tf from '@tensorflow/tfjs-core';
import {batchNormTrain, conv2dGrouped} from '../../src/backend/ops';
import {describeNative, expectMatchesCpu, randomValues, relativeError, runOn} from './native/helpers';

/** The autodiff reference: tf.moments + tf.batchNorm (what ops.ts did before the custom gradient). */
function bnReference(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor[] {
  const {mean, variance} = tf.moments(x, [0, 1, 2]);
  return [tf.batchNorm(x as tf.Tensor4D, mean, variance, beta as tf.Tensor1D, gamma as tf.Tensor1D, 1e-5), mean, variance];
}

function bnOps(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor[] {
  const {y, mean, variance} = batchNormTrain(x as tf.Tensor4D, gamma as tf.Tensor1D, beta as tf.Tensor1D, 1e-5);
  return [y, mean, variance];
}

const shapes: number[][] = [[2, 3, 5, 4], [1, 7, 3, 6]];

function bnCase(backend: string, shape: number[]): void {
  const c = shape[3];
  const inputs = [shape, [c], [c]].map((s, i) => ({shape: s, values: randomValues(s, 40 + i)}));
  inputs[1].values = inputs[1].values.map((v) => v + 1.5);  // gamma away from 0
  const ref = runOn('cpu', inputs, bnReference);
  const got = runOn(backend, inputs, bnOps);
  got.forEach((v, i) => expect(relativeError(v, ref[i])).toBeLessThan(1e-4));
  expectMatchesCpu([shape, [c], [c]], (x, g, b) => bnOps(x, g, b)[0], {
    backend, reference: (x, g, b) => bnReference(x, g, b)[0],
    expectCalls: backend === 'native' ? ['batchNormTrain', 'batchNormTrainGrad'] : [],
  });
}

describe('batchNormTrain composite (analytic gradient) on cpu', () => {
  test.each(shapes.map((s) => [s]))('shape %j: y, mean, variance and gradients match autodiff', (shape) => bnCase('cpu', shape));

  test('leaves no tensors behind besides its outputs', () => {
    tf.setBackend('cpu');
    const x = tf.tensor(randomValues([2, 3, 3, 4], 1), [2, 3, 3, 4]) as tf.Tensor4D;
    const g = tf.ones([4]) as tf.Tensor1D, b = tf.zeros([4]) as tf.Tensor1D;
    const before = tf.memory().numTensors;
    tf.tidy(() => { batchNormTrain(x, g, b, 1e-5); });
    const out = batchNormTrain(x, g, b, 1e-5);
    expect(tf.memory().numTensors).toBe(before + 3);
    tf.dispose([out.y, out.mean, out.variance, x, g, b]);
  });
});

describe('conv2dGrouped composite on cpu equals a conv with a block-diagonal filter', () => {
  test('groups 4, stride 2, same', () => {
    tf.setBackend('cpu');
    const [groups, c] = [4, 8];
    const x = tf.tensor(randomValues([2, 5, 7, c], 3), [2, 5, 7, c]) as tf.Tensor4D;
    const w = tf.tensor(randomValues([3, 3, c / groups, c], 4), [3, 3, c / groups, c]) as tf.Tensor4D;
    const dense = tf.buffer([3, 3, c, c]);
    const wv = w.arraySync();
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let o = 0; o < c; o++) {
      const g = Math.floor(o / (c / groups));
      for (let k = 0; k < c / groups; k++) dense.set(wv[i][j][k][o], i, j, g * (c / groups) + k, o);
    }
    const want = tf.conv2d(x, dense.toTensor() as tf.Tensor4D, 2, 'same');
    expect(relativeError(conv2dGrouped(x, w, 2, 'same', groups).dataSync() as Float32Array, want.dataSync() as Float32Array))
      .toBeLessThan(1e-5);
  });
});

describeNative('batchNormTrain on the native backend (oneDNN forward and backward kernels)', () => {
  test.each(shapes.map((s) => [s]))('shape %j: matches the cpu autodiff reference', (shape) => bnCase('native', shape));

  test('leaves no tensors behind besides its outputs', () => {
    tf.setBackend('native');
    const x = tf.tensor(randomValues([2, 3, 3, 4], 1), [2, 3, 3, 4]) as tf.Tensor4D;
    const g = tf.ones([4]) as tf.Tensor1D, b = tf.zeros([4]) as tf.Tensor1D;
    const before = tf.memory().numTensors;
    tf.tidy(() => { tf.grads((xx: tf.Tensor) => tf.sum(batchNormTrain(xx as tf.Tensor4D, g, b, 1e-5).y))([x]); });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, g, b]);
  });
});

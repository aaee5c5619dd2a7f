/** A tiny conv net (conv-bn-relu-pool-conv-bn-relu-GAP-dense) trained a few SGD steps on native and on cpu. */
import * as tf from '@tensorflow/tfjs-core';
import {batchNormTrain} from '../../../src/backend/ops';
import {describeNative, randomValues} from './helpers';

const STEPS = 5;
const SHAPES: Record<string, number[]> = {
  w1: [3, 3, 3, 8], g1: [8], b1: [8], w2: [3, 3, 8, 16], g2: [16], b2: [16], fc: [16, 5], fcb: [5],
};

/** Loss after each of STEPS plain-SGD steps (lr 0.1) from the same seeded weights and batch, on `backend`. */
function trainLosses(backend: string): number[] {
  tf.setBackend(backend);
  const vars = Object.fromEntries(Object.entries(SHAPES).map(([name, shape], i) => {
    let values = randomValues(shape, 500 + i).map((v) => v * 0.5);
    if (name.startsWith('g')) values = values.map((v) => 1 + 0.1 * v);
    return [name, tf.variable(tf.tensor(values, shape), true, `${backend}_${name}`)];
  })) as Record<string, tf.Variable>;
  const x = tf.tensor(randomValues([4, 12, 12, 3], 900), [4, 12, 12, 3]) as tf.Tensor4D;
  const labels = tf.oneHot(tf.tensor1d([0, 3, 1, 4], 'int32'), 5);
  const loss = (): tf.Scalar => {
    const bnRelu = (h: tf.Tensor4D, g: string, b: string) =>
      tf.relu(batchNormTrain(h, vars[g] as tf.Tensor1D, vars[b] as tf.Tensor1D, 1e-5).y);
    let h = bnRelu(tf.conv2d(x, vars.w1 as tf.Tensor4D, 1, 'same'), 'g1', 'b1');
    h = tf.maxPool(h, 2, 2, 'valid');
    h = bnRelu(tf.conv2d(h, vars.w2 as tf.Tensor4D, 2, 'same'), 'g2', 'b2');
    const logits = tf.add(tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, vars.fc as tf.Tensor2D), vars.fcb);
    return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
  };
  const losses: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    tf.tidy(() => {
      const {value, grads} = tf.variableGrads(loss);
      losses.push(value.dataSync()[0]);
      for (const [name, g] of Object.entries(grads)) {
        const v = Object.values(vars).find((t) => t.name === name) as tf.Variable;
        v.assign(tf.sub(v, tf.mul(g, 0.1)));
      }
    });
  }
  tf.dispose([...Object.values(vars), x, labels]);
  return losses;
}

describeNative('training on native follows the cpu loss curve', () => {
  test(`${STEPS} SGD steps from the same weights give the same losses (rel. 1e-4)`, () => {
    const cpu = trainLosses('cpu');
    const native = trainLosses('native');
    expect(cpu[STEPS - 1]).toBeLessThan(cpu[0]);  // it does learn
    native.forEach((l, i) => expect(Math.abs(l - cpu[i]) / Math.abs(cpu[i])).toBeLessThan(1e-4));
  });
});

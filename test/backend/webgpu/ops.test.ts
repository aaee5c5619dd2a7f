/**
 * Parity of every op family the engine trains with, webgpu (on SwiftShader in CI) against the cpu backend, on tiny
 * shapes: convolution forward and gradients (plain, strided, grouped), batch norm in training (output, batch
 * statistics, gradients) and eval mode, max / global-average pooling and their gradients, the mixup loss and its
 * gradient, and two momentum-SGD updates with weight decay.
 */
import * as tf from '@tensorflow/tfjs-core';
import {batchNormTrain, conv2dGrouped} from '../../../src/backend/ops';
import {Sgd} from '../../../src/engine/sgd';
import {mixLoss} from '../../../src/mixups/loss';
import {labelMix} from '../../../src/mixups/common';
import {randomValues, relError, runOn, useWebgpu} from './helpers';

/** float32 on two backends with different summation orders: a few ulps of the largest value. */
const TOL = 1e-4;

const input = (shape: number[], seed: number) => ({shape, values: randomValues(shape, seed)});

/** Runs `f` on cpu and on webgpu and checks every output agrees within TOL. */
async function expectParity(inputs: Array<{shape: number[]; values: Float32Array}>, f: (...xs: tf.Tensor[]) => tf.Tensor[]): Promise<number> {
  const ref = await runOn('cpu', inputs, f);
  const got = await runOn('webgpu', inputs, f);
  expect(got.length).toBe(ref.length);
  let worst = 0;
  got.forEach((g, i) => {
    const e = relError(g, ref[i]);
    worst = Math.max(worst, e);
    if (!(e <= TOL)) throw new Error(`output ${i}: relative error ${e} > ${TOL}`);
  });
  if (process.env.WEBGPU_PARITY_PRINT) console.log(`worst relative error ${worst}`);
  return worst;
}

describe('webgpu op parity with cpu (tiny shapes)', () => {
  beforeAll(async () => {
    await useWebgpu();
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each([
    ['3×3 stride 1', 1, 1],
    ['3×3 stride 2', 2, 1],
    ['grouped (2 groups)', 1, 2],
  ])('conv2d %s: forward and both gradients', async (_title, stride, groups) => {
    const x = input([2, 6, 6, 4], 1);
    const w = input([3, 3, 4 / groups, 6], 2);
    await expectParity([x, w], (xt, wt) => {
      const f = (a: tf.Tensor, b: tf.Tensor) => conv2dGrouped(a as tf.Tensor4D, b as tf.Tensor4D, stride, 'same', groups);
      const y = f(xt, wt);
      const r = tf.tensor(randomValues(y.shape, 3), y.shape);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), r)))([xt, wt]);
      return [y, dx, dw];
    });
  });

  it('batch norm: training output, batch statistics and gradients; eval with running statistics', async () => {
    const x = input([2, 4, 4, 3], 4);
    const gamma = input([3], 5);
    const beta = input([3], 6);
    await expectParity([x, gamma, beta], (xt, g, b) => {
      const {y, mean, variance} = batchNormTrain(xt as tf.Tensor4D, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5);
      const r = tf.tensor(randomValues(y.shape, 7), y.shape);
      const grads = tf.grads((a: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(batchNormTrain(a as tf.Tensor4D, gg as tf.Tensor1D, bb as tf.Tensor1D, 1e-5).y, r)))([xt, g, b]);
      const evalY = tf.batchNorm4d(xt as tf.Tensor4D, tf.mul(mean, 0.5) as tf.Tensor1D, tf.add(variance, 0.3) as tf.Tensor1D, b as tf.Tensor1D, g as tf.Tensor1D, 1e-5);
      return [y, mean, variance, ...grads, evalY];
    });
  });

  it('max pool 3×3/2 and global average pool: forward and gradient', async () => {
    const x = input([2, 8, 8, 3], 8);
    await expectParity([x], (xt) => {
      const pools = (a: tf.Tensor) => [tf.maxPool(a as tf.Tensor4D, 3, 2, 1), tf.mean(a, [1, 2])];
      const outs = pools(xt);
      const rs = outs.map((o, i) => tf.tensor(randomValues(o.shape, 9 + i), o.shape));
      const dx = tf.grad((a: tf.Tensor) => tf.addN(pools(a).map((o, i) => tf.sum(tf.mul(o, rs[i])))))(xt);
      return [...outs, dx];
    });
  });

  it.each([
    ['mixed CE', {}],
    ['soft CE with label smoothing', {use_soft: true, label_smooth_val: 0.1}],
    ['BCE (use_sigmoid)', {use_sigmoid: true}],
    ['mixed CE, per-sample λ', {}, Float32Array.from([0.9, 0.2, 0.5, 0.65])],
  ])('the mixup loss (%s) and its gradient', async (_title, lossCfg, lam: number | Float32Array = 0.7) => {
    const logits = input([4, 5], 10);
    const labels = labelMix(Int32Array.from([0, 3, 1, 4]), Int32Array.from([2, 0, 3, 1]), lam);
    await expectParity([logits], (z) => {
      const {value, grads} = tf.valueAndGrads((a: tf.Tensor) => mixLoss(a as tf.Tensor2D, labels, 5, lossCfg))([z]);
      return [value, grads[0]];
    });
  });

  it('momentum SGD with weight decay: two updates', async () => {
    const p = input([3, 3, 2, 4], 11);
    const g1 = input([3, 3, 2, 4], 12);
    const g2 = input([3, 3, 2, 4], 13);
    await expectParity([p, g1, g2], (pt, a, b) => {
      const param = tf.variable(pt, true, `sgd-parity-${tf.getBackend()}`);
      const sgd = new Sgd(new Map([['w', param]]), {momentum: 0.9, weightDecay: 5e-4, maxGradNorm: 1});
      sgd.step({w: a}, 0.1);
      sgd.step({w: b}, 0.05);
      const out = [tf.clone(param), tf.clone(sgd.state().get('w')!)];
      sgd.dispose();
      param.dispose();
      return out;
    });
  });
});

import * as tf from '@tensorflow/tfjs';
import {Rng} from '../../../src/rng';
import {PATCHES, registerWasmPatches} from '../../../src/backend/wasm';
import {describeWasm, expectClose, initWasm, randn} from './helpers';

/** Initial weights of the tiny net, shared by both backends. */
interface Weights {[name: string]: {values: Float32Array, shape: number[]}}

const N = 4; // batch
const CLASSES = 5;

function initialWeights(rng: Rng): Weights {
  const w = (shape: number[], std: number) => ({values: randn(rng, shape).map((v) => v * std), shape});
  return {
    conv1: w([3, 3, 3, 8], 0.3), gamma1: {values: new Float32Array(8).fill(1), shape: [8]}, beta1: w([8], 0.1),
    conv2: w([3, 3, 8, 16], 0.2), gamma2: {values: new Float32Array(16).fill(1), shape: [16]}, beta2: w([16], 0.1),
    shortcut: w([1, 1, 8, 16], 0.3), dense: w([16, CLASSES], 0.3), bias: w([CLASSES], 0.1),
  };
}

/** conv-bn-relu: batch statistics from tf.moments, normalisation by tf.batchNorm (train mode). */
function convBnRelu(x: tf.Tensor4D, w: tf.Variable, gamma: tf.Variable, beta: tf.Variable, strides: number):
  tf.Tensor4D {
  const y = tf.conv2d(x, w as tf.Tensor4D, strides, 'same');
  const {mean, variance} = tf.moments(y, [0, 1, 2]);
  const [m, v, b, g] = [mean, variance, beta, gamma] as tf.Tensor1D[];
  return tf.relu(tf.batchNorm4d(y, m, v, b, g, 1e-5));
}

/**
 * Trains a tiny residual conv net (conv-bn-relu, max pool, conv-bn-relu stride 2 + 1×1 stride-2 shortcut, avg pool,
 * dense, softmax cross-entropy on mixed labels) with momentum SGD on `backend`; returns the loss of every step and
 * the final first-conv weights.
 */
async function train(backend: 'cpu' | 'wasm', weights: Weights, images: Float32Array, labels: Float32Array,
  steps: number): Promise<{losses: number[], conv1: Float32Array}> {
  await tf.setBackend(backend);
  const v: Record<string, tf.Variable> = {};
  for (const [name, {values, shape}] of Object.entries(weights)) v[name] = tf.variable(tf.tensor(values, shape));
  const x = tf.tensor4d(images, [N, 12, 12, 3]);
  const y = tf.tensor2d(labels, [N, CLASSES]);
  const optimizer = tf.train.momentum(0.05, 0.9);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = optimizer.minimize(() => {
      const h1 = tf.maxPool(convBnRelu(x, v.conv1, v.gamma1, v.beta1, 1), 3, 2, 'same'); // [N, 6, 6, 8]
      const h2 = convBnRelu(h1, v.conv2, v.gamma2, v.beta2, 2); // [N, 3, 3, 16]
      const h = tf.relu(tf.add(h2, tf.conv2d(h1, v.shortcut as tf.Tensor4D, 2, 'valid')));
      const pooled = tf.reshape(tf.avgPool(h as tf.Tensor4D, 3, 1, 'valid'), [N, 16]);
      const logits = tf.add(tf.matMul(pooled, v.dense), v.bias);
      return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
    }, true);
    losses.push((await (loss as tf.Scalar).data())[0]);
    (loss as tf.Scalar).dispose();
  }
  const conv1 = Float32Array.from(await v.conv1.data());
  optimizer.dispose();
  tf.dispose([x, y, ...Object.values(v)]);
  return {losses, conv1};
}

describeWasm('registerWasmPatches', () => {
  beforeAll(initWasm);

  it('registers every patch for wasm, and is idempotent', () => {
    const names = PATCHES.map((c) => c.kernelName);
    expect(names).toEqual(expect.arrayContaining(['Conv2DBackpropFilter', 'Conv2DBackpropInput']));
    expect(registerWasmPatches()).toEqual({registered: names});
    expect(registerWasmPatches()).toEqual({registered: names});
    for (const config of PATCHES) expect(tf.getKernel(config.kernelName, 'wasm')?.kernelFunc).toBe(config.kernelFunc);
  });

  it('lets a conv-bn-relu-pool-dense net train on wasm with the same losses as on cpu', async () => {
    const rng = new Rng(11);
    const weights = initialWeights(rng);
    const images = randn(rng, [N, 12, 12, 3]);
    const labels = new Float32Array(N * CLASSES);
    for (let n = 0; n < N; n++) { // mixup-style labels: 0.7 / 0.3 over two classes
      labels[n * CLASSES + (n % CLASSES)] += 0.7;
      labels[n * CLASSES + ((n + 2) % CLASSES)] += 0.3;
    }
    const cpu = await train('cpu', weights, images, labels, 4);
    const wasm = await train('wasm', weights, images, labels, 4);
    expectClose(Float32Array.from(wasm.losses), Float32Array.from(cpu.losses), 1e-4);
    expectClose(wasm.conv1, cpu.conv1, 1e-4);
    expect(wasm.losses[3]).toBeLessThan(wasm.losses[0]);
  });
});

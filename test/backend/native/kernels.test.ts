/** Every kernel of the `native` backend against the cpu backend: forward and gradients, odd sizes, batch 1. */
import * as tf from '@tensorflow/tfjs-core';
import {elementwise} from '../../../src/backend/native';
import {conv2dGrouped} from '../../../src/backend/ops';
import {describeNative, expectMatchesCpu, nativeAddon} from './helpers';

type Pad = 'same' | 'valid';

describeNative('native backend kernels vs cpu', () => {
  const minSize = elementwise.minSize;
  beforeAll(() => { elementwise.minSize = 1; });  // exercise the element-wise kernels on small tensors too
  afterAll(() => { elementwise.minSize = minSize; });

  describe('Conv2D + Conv2DBackpropInput + Conv2DBackpropFilter', () => {
    const cases: Array<[number[], number[], number, Pad]> = [
      [[1, 7, 9, 3], [3, 3, 3, 5], 1, 'same'],
      [[2, 7, 9, 3], [3, 3, 3, 5], 2, 'same'],
      [[2, 8, 8, 4], [3, 3, 4, 6], 1, 'valid'],
      [[1, 9, 7, 5], [3, 3, 5, 4], 2, 'valid'],
      [[2, 6, 6, 8], [1, 1, 8, 16], 2, 'same'],
      // oneDNN's strided 1x1 backward-weights is wrong below 8 input channels: these take the gemm path
      [[4, 8, 8, 3], [1, 1, 3, 4], 2, 'same'],
      [[4, 8, 8, 4], [1, 1, 4, 8], 2, 'same'],
      [[4, 8, 8, 5], [1, 1, 5, 8], 2, 'same'],
      [[1, 11, 11, 3], [7, 7, 3, 8], 2, 'same'],
    ];
    test.each(cases)('x %j filter %j stride %d pad %s', (xs, ws, s, pad) => {
      expectMatchesCpu([xs, ws], (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, pad),
        {expectCalls: ['conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter']});
    });
    test('dilation 2 (forward only: tfjs has no gradient for dilated conv2d)', () => {
      expectMatchesCpu([[2, 11, 9, 3], [3, 3, 3, 4]],
        (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same', 'NHWC', 2), {withGrads: false, expectCalls: ['conv2d']});
      expectMatchesCpu([[2, 11, 9, 3], [3, 3, 3, 2]],
        (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid', 'NHWC', 2), {withGrads: false, expectCalls: ['conv2d']});
    });
    test('explicit (torch-style) numeric padding', () => {
      expectMatchesCpu([[2, 9, 9, 3], [3, 3, 3, 4]], (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 1),
        {expectCalls: ['conv2d']});
    });
  });

  describe('convolution as im2col + sgemm (weights-heavy shapes, 1×1 backward-weights)', () => {
    // [x, filter, stride, pad, passes on the sgemm path out of forward, forward again under tf.grads, dx, dW]
    const cases: Array<[number[], number[], number, Pad | number, number]> = [
      [[2, 2, 2, 16], [3, 3, 16, 8], 1, 'same', 4],   // M = 8 output pixels, K = 144 taps: every pass
      [[2, 4, 4, 16], [3, 3, 16, 4], 2, 'same', 4],   // asymmetric padding (top 0, bottom 1)
      [[1, 3, 3, 20], [3, 3, 20, 4], 1, 'valid', 4],  // one output pixel
      [[1, 2, 2, 64], [1, 1, 64, 8], 1, 'valid', 4],  // 1×1 stride 1: x is the col matrix
      [[2, 3, 3, 24], [3, 3, 24, 4], 2, 1, 4],        // numeric padding
      [[2, 4, 4, 8], [3, 3, 8, 8], 2, 'same', 1],     // backward-weights only (K = 72 ≥ 2·M = 16)
      [[2, 6, 6, 32], [1, 1, 32, 8], 2, 'same', 1],   // 1×1 stride 2 with 32 input channels: backward-weights only
      [[2, 8, 8, 4], [3, 3, 4, 6], 1, 'valid', 0],    // many pixels per tap: oneDNN for all
    ];
    test.each(cases)('x %j filter %j stride %d pad %s: %d passes on sgemm', (xs, ws, s, pad, passes) => {
      const before = nativeAddon().info().convGemmCalls;
      expectMatchesCpu([xs, ws], (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, pad),
        {expectCalls: ['conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter']});
      expect(nativeAddon().info().convGemmCalls - before).toBe(passes);
    });
    test('bias + relu and dilation 2 (forward)', () => {
      const before = nativeAddon().info().convGemmCalls;
      expectMatchesCpu([[2, 2, 2, 16], [3, 3, 16, 8], [8]], (x, w, b) =>
        tf.fused.conv2d({x: x as tf.Tensor4D, filter: w as tf.Tensor4D, bias: b, strides: 1, pad: 'same', activation: 'relu'}),
      {withGrads: false, expectCalls: ['conv2d']});
      expectMatchesCpu([[1, 5, 5, 16], [3, 3, 16, 4]],
        (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid', 'NHWC', 2), {withGrads: false, expectCalls: ['conv2d']});
      expect(nativeAddon().info().convGemmCalls - before).toBe(2);
    });
  });

  describe('FusedConv2D (bias + relu)', () => {
    test.each([[1, 'same'], [2, 'valid']] as Array<[number, Pad]>)('stride %d pad %s', (s, pad) => {
      expectMatchesCpu([[2, 7, 9, 3], [3, 3, 3, 5], [5]], (x, w, b) =>
        tf.fused.conv2d({x: x as tf.Tensor4D, filter: w as tf.Tensor4D, bias: b, strides: s, pad, activation: 'relu'}),
      {expectCalls: ['conv2d']});
    });
  });

  describe('DepthwiseConv2dNative + gradients', () => {
    test.each([[1, 'same', 1], [2, 'valid', 2], [2, 'same', 1]] as Array<[number, Pad, number]>)(
      'stride %d pad %s multiplier %d', (s, pad, m) => {
        expectMatchesCpu([[2, 9, 7, 4], [3, 3, 4, m]], (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, pad),
          {expectCalls: ['conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter']});
      });
  });

  describe('grouped conv (ops.conv2dGrouped) vs the cpu split/concat composite', () => {
    test.each([[4, 1, 'same'], [2, 2, 'valid'], [32, 2, 'same'], [32, 2, 1]] as Array<[number, number, Pad | number]>)(
      'groups %d stride %d pad %s', (groups, s, pad) => {
        const c = groups === 32 ? 64 : 8;
        expectMatchesCpu([[2, 7, 9, c], [3, 3, c / groups, c]],
          (x, w) => conv2dGrouped(x as tf.Tensor4D, w as tf.Tensor4D, s, pad, groups), {expectCalls: ['conv2d']});
      });
  });

  describe('FusedBatchNorm (tf.batchNorm, eval-mode batch norm): the cpu kernel\'s bits', () => {
    const bn = (x: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s?: tf.Tensor, o?: tf.Tensor, eps?: number) =>
      tf.batchNorm(x, m, tf.abs(v), o, s, eps);
    test('with scale and offset, default and given eps', () => {
      expectMatchesCpu([[2, 5, 3, 7], [7], [7], [7], [7]], (x, m, v, s, o) => bn(x, m, v, s, o),
        {withGrads: false, tol: 0, expectCalls: ['batchNormInference']});
      expectMatchesCpu([[2, 5, 3, 7], [7], [7], [7], [7]], (x, m, v, s, o) => bn(x, m, v, s, o, 1e-5),
        {withGrads: false, tol: 0, expectCalls: ['batchNormInference']});
    });
    test('without scale and offset, and its gradient', () => {
      expectMatchesCpu([[3, 4, 4, 5], [5], [5]], (x, m, v) => bn(x, m, v), {tol: 0, withGrads: false,
        expectCalls: ['batchNormInference']});
      expectMatchesCpu([[3, 4, 4, 5], [5], [5], [5], [5]], (x, m, v, s, o) => bn(x, m, v, s, o),
        {expectCalls: ['batchNormInference']});
    });
    test('a scalar scale runs the cpu kernel', () => {
      const spy = jest.spyOn(nativeAddon(), 'batchNormInference');
      expectMatchesCpu([[2, 5, 3, 7], [7], [7], [1]], (x, m, v, s) => bn(x, m, v, s), {withGrads: false, tol: 0});
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    });
  });

  describe('pooling', () => {
    const cases: Array<[string, number, number, Pad]> = [
      ['max', 3, 2, 'same'], ['max', 2, 2, 'valid'], ['max', 3, 1, 'same'],
      ['avg', 3, 2, 'same'], ['avg', 2, 2, 'valid'], ['avg', 3, 1, 'same'],
    ];
    // tfjs cpu's AvgPoolGrad divides by the full window even where the forward averaged fewer (padded) pixels,
    // so 'same' average pooling is checked against the gradient of an equivalent composite: window sums / counts.
    const avgReference = (k: number, s: number, pad: Pad) => (x: tf.Tensor): tf.Tensor => {
      const ones = tf.ones([k, k, x.shape[3] as number, 1]) as tf.Tensor4D;
      const sums = tf.depthwiseConv2d(x as tf.Tensor4D, ones, s, pad);
      return tf.div(sums, tf.depthwiseConv2d(tf.onesLike(x) as tf.Tensor4D, ones, s, pad));
    };
    test.each(cases)('%s window %d stride %d pad %s', (kind, k, s, pad) => {
      const max = kind === 'max';
      expectMatchesCpu([[2, 9, 7, 3]], (x) => (max ? tf.maxPool : tf.avgPool)(x as tf.Tensor4D, k, s, pad),
        {expectCalls: ['pool', 'poolGrad'], reference: max ? undefined : avgReference(k, s, pad)});
    });
    test('batch 1, odd size, global average pool window', () => {
      expectMatchesCpu([[1, 5, 5, 7]], (x) => tf.avgPool(x as tf.Tensor4D, 5, 1, 'valid'), {expectCalls: ['pool', 'poolGrad']});
    });
  });

  describe('BatchMatMul / _FusedMatMul', () => {
    test.each([[false, false], [true, false], [false, true], [true, true]])('transposeA %s transposeB %s', (ta, tb) => {
      const a = ta ? [3, 5, 7] : [3, 7, 5], b = tb ? [3, 6, 5] : [3, 5, 6];
      expectMatchesCpu([a, b], (x, y) => tf.matMul(x, y, ta, tb), {expectCalls: ['batchMatMul']});
    });
    test('2-D dense layer with a broadcast batch and batch 1', () => {
      expectMatchesCpu([[1, 17], [17, 10]], (x, w) => tf.matMul(x, w), {expectCalls: ['batchMatMul']});
      expectMatchesCpu([[4, 3, 5], [5, 2]], (x, w) => tf.matMul(x, w), {withGrads: false, expectCalls: ['batchMatMul']});
    });
    test('fused bias + relu', () => {
      expectMatchesCpu([[5, 17], [17, 10], [10]], (x, w, b) =>
        tf.fused.matMul({a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b, activation: 'relu'}), {expectCalls: ['batchMatMul']});
    });
  });

  describe('element-wise', () => {
    const ops: Array<[string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor]> = [
      ['add', tf.add], ['sub', tf.sub], ['mul', tf.mul], ['div', tf.div], ['maximum', tf.maximum], ['minimum', tf.minimum],
    ];
    test.each(ops)('%s: same shape and per-channel broadcast', (name, op) => {
      expectMatchesCpu([[2, 5, 3, 7], [2, 5, 3, 7]], op, {expectCalls: ['binary']});
      // tfjs's Maximum/Minimum gradients do not reduce broadcast axes (on any backend): forward only for those
      const withGrads = name !== 'maximum' && name !== 'minimum';
      expectMatchesCpu([[2, 5, 3, 7], [7]], (a, b) => op(a, tf.add(b, 3)), {expectCalls: ['binary'], withGrads});
    });
    test('add with the broadcast operand first (operands swap)', () => {
      expectMatchesCpu([[1, 1, 7], [4, 5, 7]], tf.add, {expectCalls: ['binary']});
    });
    test('relu and its gradient (step)', () => {
      expectMatchesCpu([[3, 5, 7]], tf.relu, {expectCalls: ['relu', 'step']});
    });
    test('addN', () => {
      expectMatchesCpu([[3, 5, 7], [3, 5, 7], [3, 5, 7]], (a, b, c) => tf.addN([a, b, c]), {expectCalls: ['addN']});
    });
  });

  describe('reductions and transpose', () => {
    const cases: Array<[number[], boolean]> = [[[0, 1, 2], false], [[1, 2], true], [[3], false], [[0], true]];
    test.each(cases)('sum and mean over axes %j keepDims %s', (axes, keepDims) => {
      expectMatchesCpu([[2, 5, 3, 7]], (x) => tf.sum(x, axes, keepDims), {expectCalls: ['reduce']});
      expectMatchesCpu([[2, 5, 3, 7]], (x) => tf.mean(x, axes, keepDims), {expectCalls: ['reduce']});
    });
    test.each([[[0, 3, 1, 2]], [[3, 2, 1, 0]], [[0, 2, 1, 3]]])('transpose perm %j', (perm) => {
      expectMatchesCpu([[2, 5, 3, 7]], (x) => tf.transpose(x, perm), {expectCalls: ['transpose']});
    });
  });

  test('the primitive cache reuses a primitive for a repeated shape', () => {
    const addon = nativeAddon();
    tf.setBackend('native');
    const x = tf.ones([1, 13, 13, 3]) as tf.Tensor4D, w = tf.ones([3, 3, 3, 2]) as tf.Tensor4D;
    tf.conv2d(x, w, 1, 'same').dispose();
    const after1 = addon.info().cacheSize;
    tf.conv2d(x, w, 1, 'same').dispose();
    expect(addon.info().cacheSize).toBe(after1);
    tf.conv2d(x, w, 2, 'same').dispose();
    expect(addon.info().cacheSize).toBe(after1 + 1);
    tf.dispose([x, w]);
  });

  test('a wrong buffer size is a JS error, not a crash', () => {
    const params = Int32Array.from([1, 4, 4, 1, 3, 3, 1, 4, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(() => nativeAddon().conv2d(new Float32Array(3), new Float32Array(9), null, false, new Float32Array(16), params))
      .toThrow(/conv2d\(\) argument 0 must be a Float32Array of 16 elements, got 3/);
  });
});

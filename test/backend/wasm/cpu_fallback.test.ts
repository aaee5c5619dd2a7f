import {Rng} from '../../../src/rng';
import {describeWasm, expectClose, HostTensor, initWasm, randn, runKernelOn} from './helpers';

describeWasm('wasm kernels delegated to the cpu backend match it', () => {
  beforeAll(initWasm);

  const rng = new Rng(300);
  // depthwise 3x3, stride 2, same padding, channel multiplier 2: x [2, 7, 7, 3], filter [3, 3, 3, 2], dy [2, 4, 4, 6]
  const x = {values: randn(rng, [2, 7, 7, 3]), shape: [2, 7, 7, 3]};
  const filter = {values: randn(rng, [3, 3, 3, 2]), shape: [3, 3, 3, 2]};
  const dy = {values: randn(rng, [2, 4, 4, 6]), shape: [2, 4, 4, 6]};
  const conv = {strides: 2, pad: 'same', dilations: 1, dimRoundingMode: undefined};
  const cases: Array<[string, Record<string, HostTensor>, object]> = [
    ['DepthwiseConv2dNativeBackpropFilter', {x, dy}, {...conv, filterShape: [3, 3, 3, 2]}],
    ['DepthwiseConv2dNativeBackpropInput', {dy, filter}, {...conv, inputShape: [2, 7, 7, 3]}],
    ['UnsortedSegmentSum', {x: {values: randn(rng, [5, 3]), shape: [5, 3]},
      segmentIds: {values: Int32Array.from([2, 0, 2, 1, 0]), shape: [5]}}, {numSegments: 4}],
  ];

  it.each(cases)('%s', async (kernel, inputs, attrs) => {
    const expected = await runKernelOn('cpu', kernel, inputs, attrs);
    const actual = await runKernelOn('wasm', kernel, inputs, attrs);
    expect(actual.some((v) => v !== 0)).toBe(true);
    expectClose(actual, expected, 1e-6);
  });
});

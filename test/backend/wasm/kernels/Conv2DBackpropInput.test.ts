import {Rng} from '../../../../src/rng';
import {CONV_CASES, convOutShape, describeWasm, expectClose, initWasm, randn, runKernelOn} from '../helpers';

describeWasm('wasm Conv2DBackpropInput (patched) matches the cpu backend', () => {
  beforeAll(initWasm);

  it.each(CONV_CASES.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const rng = new Rng(200 + i);
    const dyShape = convOutShape(c);
    const dy = {values: randn(rng, dyShape), shape: dyShape};
    const inputs = {dy, filter: {values: randn(rng, c.filter), shape: c.filter}};
    const attrs = {strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: c.x};
    const expected = await runKernelOn('cpu', 'Conv2DBackpropInput', inputs, attrs);
    const actual = await runKernelOn('wasm', 'Conv2DBackpropInput', inputs, attrs);
    expectClose(actual, expected);
  });
});

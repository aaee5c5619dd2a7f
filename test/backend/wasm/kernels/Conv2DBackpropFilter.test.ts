import {Rng} from '../../../../src/rng';
import {CONV_CASES, convOutShape, describeWasm, expectClose, initWasm, randn, runKernelOn} from '../helpers';

describeWasm('wasm Conv2DBackpropFilter (patched) matches the cpu backend', () => {
  beforeAll(initWasm);

  async function compare(c: (typeof CONV_CASES)[number], seed: number): Promise<void> {
    const rng = new Rng(seed);
    const dyShape = convOutShape(c);
    const inputs = {x: {values: randn(rng, c.x), shape: c.x}, dy: {values: randn(rng, dyShape), shape: dyShape}};
    const attrs = {strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter};
    const expected = await runKernelOn('cpu', 'Conv2DBackpropFilter', inputs, attrs);
    const actual = await runKernelOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
    expectClose(actual, expected);
  }

  it.each(CONV_CASES.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    await compare(c, 100 + i);
  });

  it('rejects NCHW with a message naming the backend, kernel and fix', async () => {
    const zeros = {values: new Float32Array(16), shape: [1, 4, 4, 1]};
    const attrs = {strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [1, 1, 1, 1]};
    await expect(runKernelOn('wasm', 'Conv2DBackpropFilter', {x: zeros, dy: zeros}, attrs))
      .rejects.toThrow(/wasm backend Conv2DBackpropFilter does not support dataFormat:'NCHW'/);
  });
});

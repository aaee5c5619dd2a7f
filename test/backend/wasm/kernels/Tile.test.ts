import * as tf from '@tensorflow/tfjs';
import {Rng} from '../../../../src/rng';
import {describeWasm, expectClose, initWasm, randn, runKernelOn} from '../helpers';

describeWasm('wasm Tile (patched) matches the cpu backend', () => {
  beforeAll(initWasm);

  const cases: Array<[string, number[], number[], 'float32' | 'int32']> = [
    ['batch-norm broadcast [1,1,1,5] x [3,4,2,1]', [1, 1, 1, 5], [3, 4, 2, 1], 'float32'],
    ['every axis [2,3,2] x [2,3,2]', [2, 3, 2], [2, 3, 2], 'float32'],
    ['innermost axis only [4,3] x [1,5]', [4, 3], [1, 5], 'float32'],
    ['rank 1 int32 [7] x [3]', [7], [3], 'int32'],
    ['no repetition [2,3] x [1,1]', [2, 3], [1, 1], 'float32'],
  ];

  it.each(cases)('%s', async (_name, shape, reps, dtype) => {
    const rng = new Rng(400);
    const values = randn(rng, shape);
    const x = {values: dtype === 'int32' ? Int32Array.from(values, (v) => Math.round(v * 100)) : values, shape};
    const expected = await runKernelOn('cpu', 'Tile', {x}, {reps});
    const actual = await runKernelOn('wasm', 'Tile', {x}, {reps});
    expectClose(actual, expected, 0);
  });

  it('rejects strings with a message naming the backend, kernel and dtype', async () => {
    await tf.setBackend('wasm');
    const words = tf.tensor1d(['a', 'b'], 'string');
    expect(() => tf.tile(words, [2])).toThrow(/wasm backend Tile does not support dtype 'string'/);
    words.dispose();
  });
});

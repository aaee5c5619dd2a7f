/** Layout permutations and strided gathers on raw bytes: equal to tfjs's transpose, bit-exact for every width. */
import * as tf from '@tensorflow/tfjs-core';
import {DENSE_TRANSPOSE, fromFloat32, gatherStrided, HWIO_TO_OIHW, OIHW_TO_HWIO, permuteTensor, toFloat32} from '../../../src/models/torch/tensor';
import {useCpu} from '../helpers';

beforeAll(useCpu);

describe('permuteTensor', () => {
  it('takes HWIO to OIHW and back as tf.transpose does, and transposes dense kernels', () => {
    const shape = [3, 2, 4, 5];
    const data = Float32Array.from({length: 120}, (_, i) => i * 0.5 - 7);
    const oihw = permuteTensor(fromFloat32(shape, data), HWIO_TO_OIHW);
    expect(oihw.shape).toEqual([5, 4, 3, 2]);
    expect(Array.from(toFloat32(oihw))).toEqual(Array.from(tf.transpose(tf.tensor(data, shape), [...HWIO_TO_OIHW]).dataSync()));
    expect(toFloat32(permuteTensor(oihw, OIHW_TO_HWIO))).toEqual(data);
    const dense = permuteTensor(fromFloat32([2, 3], new Float32Array([1, 2, 3, 4, 5, 6])), DENSE_TRANSPOSE);
    expect(dense.shape).toEqual([3, 2]);
    expect(Array.from(toFloat32(dense))).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('moves 8-, 2- and 1-byte elements whole (a NaN payload survives), from an unaligned source too', () => {
    const bits = [0x7ff4000000000001n, 1n, 2n, 3n, 4n, 0xfff8000000000000n];
    const bytes = new Uint8Array(48);
    bits.forEach((b, i) => new DataView(bytes.buffer).setBigUint64(8 * i, b, true));
    const t = permuteTensor({dtype: 'F64', shape: [2, 3], bytes}, DENSE_TRANSPOSE);
    const view = new DataView(t.bytes.buffer);
    expect([0, 1, 2, 3, 4, 5].map((i) => view.getBigUint64(8 * i, true))).toEqual([bits[0], bits[3], bits[1], bits[4], bits[2], bits[5]]);
    const unaligned = new Uint8Array(13).subarray(1); // 12 bytes at byte offset 1: six 2-byte elements
    unaligned.set([1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0]);
    expect(Array.from(gatherStrided(unaligned, 2, [3, 2], [1, 3], 0))).toEqual([1, 0, 4, 0, 2, 0, 5, 0, 3, 0, 6, 0]);
    expect(Array.from(gatherStrided(new Uint8Array([1, 2, 3, 4, 5, 6]), 1, [2, 2], [1, 2], 1))).toEqual([2, 4, 3, 5]);
  });
});

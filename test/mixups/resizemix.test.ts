import * as tf from '@tensorflow/tfjs-core';
import {resizemix} from '../../src/mixups/resizemix';
import {Rng} from '../../src/rng';
import {host, makeBatch, useCpu} from './helpers';

beforeAll(useCpu);

describe('resizemix', () => {
  test('the whole source image is shrunk into the box; λ = 1 − box area share', async () => {
    const batch = makeBatch(2, 8, 8);
    const perm = Int32Array.from([1, 0]);
    const box = {x1: 2, x2: 6, y1: 4, y2: 8};
    const out = await resizemix.spec.apply(batch, {perm, tao: 0.5, box}, {scope: [0.1, 0.8], use_alpha: true}, {});
    expect(out.labels.lam).toBeCloseTo(1 - 16 / 64, 12);
    const small = host(tf.image.resizeNearestNeighbor(tf.gather(batch.images, [1]), [4, 4]));
    const x = host(batch.images);
    const mixed = host(out.images);
    for (let y = 0; y < 8; y++) {
      for (let xx = 0; xx < 8; xx++) {
        const inside = y >= 4 && xx >= 2 && xx < 6;
        const expected = inside ? small[((y - 4) * 4 + (xx - 2)) * 3] : x[(y * 8 + xx) * 3];
        expect(mixed[(y * 8 + xx) * 3]).toBe(expected);
      }
    }
  });

  test('λ equals the share of pixels left from x (mixed through mix() over several seeds)', async () => {
    for (const seed of [1, 2, 3]) {
      const batch = makeBatch(3);
      const out = await resizemix.mix(batch, {rng: new Rng(seed), alpha: 1, args: {}});
      const x = host(batch.images);
      const mixed = host(out.images);
      for (let i = 0; i < 3; i++) {
        if (out.labels.perm![i] === i) continue; // shrunk into itself: a box pixel may equal x at the same place
        let same = 0;
        for (let p = 0; p < 256; p++) if ([0, 1, 2].every((k) => mixed[(i * 256 + p) * 3 + k] === x[(i * 256 + p) * 3 + k])) same++;
        expect(same / 256).toBeCloseTo(out.labels.lam as number, 12);
      }
    }
  });

  test('τ stays inside the scope, with and without use_alpha', async () => {
    for (const use_alpha of [true, false]) {
      const rng = new Rng(1);
      for (let i = 0; i < 100; i++) {
        const {tao} = resizemix.spec.sampleParams(rng, [2, 16, 16, 3], 0.2, {scope: [0.3, 0.6], use_alpha});
        expect(tao >= 0.3 && tao <= 0.6).toBe(true);
      }
    }
  });

  test('scope must lie in [0, 1]', async () => {
    expect(() => resizemix.parseArgs!({scope: [0.1, 1.5]})).toThrow('model.mix_args.resizemix.scope[1] must be a number in [0, 1], got 1.5');
  });
});

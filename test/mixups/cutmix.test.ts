import {cutmix} from '../../src/mixups/cutmix';
import {boxAround, noFixedPointPermutation} from '../../src/mixups/common';
import {Rng} from '../../src/rng';
import {host, makeBatch, useCpu} from './helpers';

beforeAll(useCpu);

describe('cutmix', () => {
  test('box side is √(1 − λ) of the image, clipped at the border', async () => {
    expect(boxAround(8, 8, 0.5, 16, 16)).toEqual({x1: 4, x2: 12, y1: 4, y2: 12});
    expect(boxAround(0, 15, 0.5, 16, 16)).toEqual({x1: 0, x2: 4, y1: 11, y2: 16});
    const p = cutmix.spec.sampleParams(new Rng(3), [4, 16, 16, 3], 1, {});
    const side = Math.floor(16 * Math.sqrt(1 - p.lamDrawn));
    expect(p.box.x2 - p.box.x1).toBeLessThanOrEqual(side);
  });

  test('apply pastes x[perm] inside the box only and λ = 1 − box area share', async () => {
    const batch = makeBatch(3);
    const perm = Int32Array.from([2, 0, 1]);
    const out = await cutmix.spec.apply(batch, {perm, lamDrawn: 0.5, box: {x1: 0, x2: 4, y1: 11, y2: 16}}, {}, {});
    expect(out.labels.lam).toBeCloseTo(1 - 20 / 256, 12);
    const x = host(batch.images);
    const mixed = host(out.images);
    const at = (i: number, y: number, xx: number) => ((i * 16 + y) * 16 + xx) * 3;
    expect(mixed[at(0, 12, 1)]).toBe(x[at(2, 12, 1)]); // inside: from image perm[0] = 2
    expect(mixed[at(0, 10, 1)]).toBe(x[at(0, 10, 1)]); // above the box: x itself
    expect(mixed[at(1, 15, 3)]).toBe(x[at(0, 15, 3)]);
  });

  test('the pairing avoids fixed points when the batch allows it', async () => {
    for (let seed = 0; seed < 20; seed++) {
      for (const n of [2, 3, 5]) {
        const perm = noFixedPointPermutation(new Rng(seed), n);
        expect(Array.from(perm).some((p, i) => p === i)).toBe(false);
      }
    }
    expect(Array.from(noFixedPointPermutation(new Rng(0), 1))).toEqual([0]);
  });

  test('unknown mix_args fields are rejected', async () => {
    expect(() => cutmix.parseArgs!({size: 3})).toThrow(/model\.mix_args\.cutmix has unknown field "size"/);
  });
});

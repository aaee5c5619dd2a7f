import {gridmix, gridMask} from '../../src/mixups/gridmix';
import {Rng} from '../../src/rng';

describe('gridmix', () => {
  const base = {lam: 0.75, perm: Int32Array.from([0]), nHoles: 2, holeAspect: 1, cutArea: 1, cutAspect: 1, cx: 0, cy: 0};

  test('a full-image crop with 2 holes per row: 4 holes of side ⌊8·√(1 − λ)⌋ = 4', () => {
    const m = gridMask(base, 16, 16);
    expect(m.reduce((s, v) => s + v, 0)).toBe(256 - 4 * 16);
    expect(m[0]).toBe(0); // hole at the top-left of the first patch
    expect(m[4]).toBe(1);
    expect(m[8 * 16 + 8]).toBe(0);
  });

  test('n_holes larger than the crop allows is clamped instead of failing (small images)', () => {
    const m = gridMask({...base, nHoles: 6, cutArea: 0.5}, 8, 8);
    expect(m.some((v) => v === 0)).toBe(true);
    const p = gridmix.spec.sampleParams(new Rng(2), [3, 8, 8, 3], 1, gridmix.spec.parseArgs({}));
    expect(p.nHoles >= 2 && p.nHoles <= 6).toBe(true);
  });

  test('ranges are validated', () => {
    expect(() => gridmix.parseArgs!({n_holes: [6, 2]})).toThrow('model.mix_args.gridmix.n_holes must be [low, high] with low <= high, got [6,2]');
    expect(() => gridmix.parseArgs!({n_holes: [1.5, 2]})).toThrow(/n_holes\[0\] must be an integer >= 1, got 1.5/);
  });
});

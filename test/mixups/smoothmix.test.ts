import {smoothMask} from '../../src/mixups/smoothmix';

describe('smoothmix', () => {
  test('mask = 1 − Gaussian: 0 at the centre (all x[perm]), towards 1 far away; λ is its mean', () => {
    const m = smoothMask({perm: Int32Array.from([0]), cx: 3, cy: 5, sigma: 2}, 16, 16);
    expect(m[5 * 16 + 3]).toBe(0);
    expect(m[15 * 16 + 15]).toBeGreaterThan(0.99);
    expect(m[5 * 16 + 5]).toBeCloseTo(1 - Math.exp(-4 / 8), 6);
  });
});

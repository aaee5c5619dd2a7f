import {binariseTop, fmix, lowFrequencyField} from '../../src/mixups/fmix';
import {Rng} from '../../src/rng';

describe('fmix', () => {
  test('binarisation keeps exactly `count` ones on the largest values', () => {
    const field = Float32Array.from([0.1, 0.9, 0.5, 0.3, 0.7, 0.2]);
    expect(Array.from(binariseTop(field, 3))).toEqual([0, 1, 0, 0, 1, 0].map((v, i) => (i === 2 ? 1 : v)));
    const ties = binariseTop(Float32Array.from([1, 2, 2, 2, 0]), 3);
    expect(Array.from(ties)).toEqual([0, 1, 1, 1, 0]);
    expect(Array.from(binariseTop(Float32Array.from([1, 2, 2, 2, 0]), 2))).toEqual([0, 1, 1, 0, 0]);
    expect(Array.from(binariseTop(Float32Array.from([1, 2]), 0))).toEqual([0, 0]);
    const soft = binariseTop(Float32Array.from({length: 100}, (_, i) => i), 40, 10);
    expect(soft.reduce((s, v) => s + v, 0)).toBeCloseTo(40, 6);
    expect(soft[99]).toBe(1);
    expect(soft[0]).toBe(0);
  });

  test('the field is low-frequency: neighbouring pixels are strongly correlated (decay 3), white noise is not (decay 0)', () => {
    const corr = (decay: number) => {
      const f = lowFrequencyField(new Rng(5), 32, 32, decay);
      let num = 0;
      let den = 0;
      const m = f.reduce((s, v) => s + v, 0) / f.length;
      for (let y = 0; y < 32; y++) for (let x = 0; x < 31; x++) num += (f[y * 32 + x] - m) * (f[y * 32 + x + 1] - m);
      for (const v of f) den += (v - m) ** 2;
      return num / den;
    };
    expect(corr(3)).toBeGreaterThan(0.8);
    expect(Math.abs(corr(1e-9))).toBeLessThan(0.3);
  });

  test('reformulate draws λ ~ Beta(α + 1, α) (mean 2/3 at α = 1)', () => {
    const rng = new Rng(9);
    let sum = 0;
    for (let i = 0; i < 300; i++) sum += fmix.spec.sampleParams(rng, [2, 4, 4, 3], 1, {decay_power: 3, size: [4, 4], max_soft: 0, reformulate: true}).lam;
    expect(sum / 300).toBeGreaterThan(0.6);
  });

  test('bad mix_args name the field and value', () => {
    expect(() => fmix.parseArgs!({decay_power: -1})).toThrow('model.mix_args.fmix.decay_power must be a number > 0, got -1');
    expect(() => fmix.parseArgs!({size: [224]})).toThrow(/model\.mix_args\.fmix\.size must be a number or a \[low, high\] pair, got \[224\]/);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';
import {cosineSchedule, cosineScheduleHookMomentum, emaUpdate, maskLossWeightAt, momentumAt} from '../../../src/models/automix/ema';
import {useCpu} from '../helpers';

beforeAll(useCpu);

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const vars = (entries: Array<[string, number[]]>) => new Map(entries.map(([k, v]) => [k, tf.variable(tf.tensor1d(v))] as [string, tf.Variable]));

describe('emaUpdate', () => {
  it('θ_k ← m·θ_k + (1 − m)·θ_q with the scheduled momentum (hand-computed)', () => {
    const k = vars([['a', [1, 2]], ['b', [0]]]);
    const q = vars([['a', [3, 4]], ['b', [10]]]);
    emaUpdate(k, q, 0.9);
    expect(values(k.get('a')!)[0]).toBeCloseTo(1.2, 6);
    expect(values(k.get('a')!)[1]).toBeCloseTo(2.2, 6);
    expect(values(k.get('b')!)[0]).toBeCloseTo(1.0, 6);
    expect(values(q.get('a')!)).toEqual([3, 4]);  // online untouched
    // two scheduled steps, T = 2, base 0.5, end 0.9: m(1) = 0.7, m(2) = 0.9
    expect(momentumAt(1, 2, 0.5, 0.9)).toBeCloseTo(0.7, 12);
    emaUpdate(k, q, momentumAt(1, 2, 0.5, 0.9));  // a0: 0.7·1.2 + 0.3·3 = 1.74
    emaUpdate(k, q, momentumAt(2, 2, 0.5, 0.9));  // a0: 0.9·1.74 + 0.1·3 = 1.866
    expect(values(k.get('a')!)[0]).toBeCloseTo(1.866, 5);
    expect(values(k.get('b')!)[0]).toBeCloseTo(0.9 * (0.7 * 1 + 3) + 1, 5);  // 0.7·1+3 = 3.7; 0.9·3.7+1 = 4.33
    // m = 1 keeps the momentum encoder, m = 0 copies the online one
    emaUpdate(k, q, 1);
    expect(values(k.get('b')!)[0]).toBeCloseTo(4.33, 5);
    emaUpdate(k, q, 0);
    expect(values(k.get('a')!)).toEqual([3, 4]);
    for (const v of [...k.values(), ...q.values()]) v.dispose();
  });

  it('names the first missing or mismatched key and assigns nothing', () => {
    const k = vars([['a', [1]], ['b', [1, 2]]]);
    expect(() => emaUpdate(k, vars([['a', [0]]]), 0.5)).toThrow(/"b" of the momentum encoder is missing from the online encoder/);
    expect(() => emaUpdate(k, vars([['a', [0]], ['b', [1, 2, 3]]]), 0.5)).toThrow(/"b" has shape \[2\] in the momentum encoder but \[3\]/);
    expect(() => emaUpdate(k, vars([['a', [0]], ['b', [0, 0]], ['c', [0]]]), 0.5)).toThrow(/"c" of the online encoder is missing from the momentum encoder/);
    expect(() => emaUpdate(k, vars([['a', [0]], ['b', [0, 0]]]), 1.5)).toThrow(/momentum must be in \[0, 1\], got 1.5/);
    expect(values(k.get('a')!)).toEqual([1]);
  });
});

describe('cosine schedules', () => {
  it('momentum: 0.999 -> 0.99999, non-decreasing; mask_loss weight: 0.1 -> 0, non-increasing', () => {
    const T = 50;
    expect(momentumAt(0, T)).toBe(0.999);
    expect(momentumAt(T, T)).toBeCloseTo(0.99999, 12);
    expect(momentumAt(T / 2, T)).toBeCloseTo((0.999 + 0.99999) / 2, 12);
    expect(maskLossWeightAt(0, T)).toBeCloseTo(0.1, 12);
    expect(maskLossWeightAt(T, T)).toBeCloseTo(0, 12);
    expect(maskLossWeightAt(T / 2, T)).toBeCloseTo(0.05, 12);
    for (let i = 1; i <= T; i++) {
      expect(momentumAt(i, T)).toBeGreaterThan(momentumAt(i - 1, T));
      expect(maskLossWeightAt(i, T)).toBeLessThan(maskLossWeightAt(i - 1, T));
    }
    // quarter point: end + (start − end)·(1 + cos(π/4))/2
    expect(cosineSchedule(1, 0, 1, 4)).toBeCloseTo((1 + Math.SQRT1_2) / 2, 12);
  });

  it('names an iteration outside the run', () => {
    expect(() => momentumAt(11, 10)).toThrow(/iter must be an integer in \[0, 10\], got 11/);
    expect(() => maskLossWeightAt(0, 0)).toThrow(/maxIters must be a positive integer, got 0/);
    expect(() => momentumAt(0, 10, 1.5)).toThrow(/base and end must be in \[0, 1\]/);
  });
});

describe('cosineScheduleHookMomentum (OpenMixup CosineScheduleHook)', () => {
  const T = 100;
  const m = (i: number, warm: 'constant' | 'linear' = 'constant', scope: [number, number] = [0.1, 1]) =>
    cosineScheduleHookMomentum(i, T, 0.999, 0.99999, scope, warm);
  it('constant warm-up at base before min_iter, cosine to end at max_iter, kept after', () => {
    for (let i = 0; i < 10; i++) expect(m(i)).toBe(0.999);
    // at min_iter = 10 the cosine of iter/max_iter takes over: end − (end − base)·(cos(π·0.1) + 1)/2
    expect(m(10)).toBeCloseTo(0.99999 - 0.00099 * (Math.cos(Math.PI * 0.1) + 1) / 2, 12);
    expect(m(50)).toBeCloseTo((0.999 + 0.99999) / 2, 12);
    expect(m(T)).toBeCloseTo(0.99999, 12);
    expect(m(T + 7)).toBeCloseTo(0.99999, 12);
    for (let i = 11; i <= T; i++) expect(m(i)).toBeGreaterThan(m(i - 1));
  });

  it('linear warm-up from base to end; scope [0, s1] with max_iter = int(T·s1); m = 0 at iteration 0', () => {
    expect(m(0, 'linear')).toBeCloseTo(0.999, 12);
    expect(m(5, 'linear')).toBeCloseTo(0.99999 - 0.00099 * 0.5, 12);
    expect(m(0, 'constant', [0, 0.5])).toBe(0);  // OpenMixup restart_step: 0 % 1e10 == 0
    expect(m(1, 'constant', [0, 0.5])).toBeCloseTo(0.99999 - 0.00099 * (Math.cos(Math.PI / 50) + 1) / 2, 12);
    expect(m(50, 'constant', [0, 0.5])).toBeCloseTo(0.99999, 12);
    expect(m(80, 'constant', [0, 0.5])).toBeCloseTo(0.99999, 12);
  });

  it('refuses bad arguments', () => {
    expect(() => cosineScheduleHookMomentum(0, 10, 0.9, 0.8, [0, 1], 'constant')).toThrow(/base momentum 0.9 must be <= end momentum 0.8/);
    expect(() => cosineScheduleHookMomentum(0, 10, 0.9, 0.99, [0.5, 0.2], 'constant')).toThrow(/adjustScope/);
    expect(() => cosineScheduleHookMomentum(-1, 10, 0.9, 0.99, [0, 1], 'constant')).toThrow(/iter must be an integer >= 0/);
  });
});

import {Rng} from '../src/rng';

describe('Rng', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xa = Array.from({length: 5}, () => a.uniform());
    const xb = Array.from({length: 5}, () => b.uniform());
    const xc = Array.from({length: 5}, () => c.uniform());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
  });

  it('restores its state exactly', () => {
    const a = new Rng(7);
    a.uniform();
    const state = a.getState();
    const next = [a.uniform(), a.normal(), a.beta(0.2, 0.2)];
    const b = Rng.fromState(state);
    expect([b.uniform(), b.normal(), b.beta(0.2, 0.2)]).toEqual(next);
  });

  it('draws uniform values in [0, 1) with mean 1/2', () => {
    const r = new Rng(1);
    const xs = Array.from({length: 20000}, () => r.uniform());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
  });

  it.each([
    [0.2, 0.2],
    [1, 1],
    [2, 2],
    [2, 8],
  ])('Beta(%p, %p) has mean a/(a+b) and stays in [0, 1]', (a, b) => {
    const r = new Rng(3);
    const n = 20000;
    const xs = Array.from({length: n}, () => r.beta(a, b));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(1);
    expect(xs.reduce((s, x) => s + x, 0) / n).toBeCloseTo(a / (a + b), 1);
  });

  it('Beta with alpha -> 0 concentrates on {0, 1}', () => {
    const r = new Rng(5);
    for (let i = 0; i < 200; i++) {
      const x = r.beta(1e-4, 1e-4);
      expect(Math.min(x, 1 - x)).toBeLessThan(1e-3);
    }
  });

  it('permutation contains each index once', () => {
    const p = new Rng(9).permutation(50);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({length: 50}, (_, i) => i));
  });

  it('rejects bad parameters with a message naming the value', () => {
    const r = new Rng(0);
    expect(() => r.beta(0, 1)).toThrow(/Beta parameters must be > 0, got \(0, 1\)/);
    expect(() => r.int(0)).toThrow(/positive integer, got 0/);
    expect(() => r.choice(2, [0, 0])).toThrow(/sum to > 0/);
  });
});

import {alphaBetaSwap, energy, gridEdges, maxFlow} from '../../src/mixups/graphcut';
import {Rng} from '../../src/rng';

function bruteForce(unary: Float64Array, labels: number, edges: ReturnType<typeof gridEdges>, n: number): number {
  let best = Infinity;
  const l = new Int32Array(n);
  for (let code = 0; code < labels ** n; code++) {
    let c = code;
    for (let p = 0; p < n; p++) {
      l[p] = c % labels;
      c = Math.floor(c / labels);
    }
    best = Math.min(best, energy(unary, labels, edges, l));
  }
  return best;
}

describe('graphcut', () => {
  test('max-flow of a small network', () => {
    // s=0, a=1, b=2, t=3: s→a 3, s→b 2, a→b 1, a→t 2, b→t 3  => max flow 5
    const cap = new Float64Array(16);
    [[0, 1, 3], [0, 2, 2], [1, 2, 1], [1, 3, 2], [2, 3, 3]].forEach(([u, v, c]) => (cap[u * 4 + v] = c));
    expect(maxFlow(cap, 4, 0, 3)).toBe(5);
  });

  test('two labels: one swap move is the exact minimum (checked by enumeration on 3×3)', () => {
    const rng = new Rng(1);
    for (let trial = 0; trial < 10; trial++) {
      const unary = Float64Array.from({length: 9 * 2}, () => rng.uniform());
      const edges = gridEdges(3, 3, () => rng.uniform() * 0.5);
      expect(energy(unary, 2, edges, alphaBetaSwap(unary, 2, edges))).toBeCloseTo(bruteForce(unary, 2, edges, 9), 9);
    }
  });

  test('three labels: the result is a local minimum for every swap move and never above the start', () => {
    const rng = new Rng(2);
    for (let trial = 0; trial < 10; trial++) {
      const unary = Float64Array.from({length: 4 * 3}, () => rng.uniform());
      const edges = gridEdges(2, 2, () => rng.uniform());
      const l = alphaBetaSwap(unary, 3, edges);
      const e = energy(unary, 3, edges, l);
      expect(e).toBeGreaterThanOrEqual(bruteForce(unary, 3, edges, 4) - 1e-12);
      const start = Array.from({length: 4}, (_, p) => [0, 1, 2].reduce((b, k) => (unary[p * 3 + k] < unary[p * 3 + b] ? k : b), 0));
      expect(e).toBeLessThanOrEqual(energy(unary, 3, edges, start) + 1e-12);
      // every labelling one swap move away is not better
      for (let a = 0; a < 3; a++) {
        for (let b = a + 1; b < 3; b++) {
          const movable = [0, 1, 2, 3].filter((p) => l[p] === a || l[p] === b);
          for (let code = 0; code < 2 ** movable.length; code++) {
            const next = Int32Array.from(l);
            movable.forEach((p, i) => (next[p] = (code >> i) & 1 ? b : a));
            expect(energy(unary, 3, edges, next)).toBeGreaterThanOrEqual(e - 1e-12);
          }
        }
      }
    }
  });
});

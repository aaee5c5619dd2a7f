/**
 * Multi-label graph cut on a small grid (PuzzleMix's labelling; OpenMixup calls pyGCO's `cut_grid_graph` with
 * `algorithm='swap'`). Energy of a labelling `l`:
 *   `E(l) = Σ_p D[p][l_p] + Σ_(p,q) w_pq · V(l_p, l_q)`,  `V(a, b) = (a − b)² / (L − 1)²`.
 * Minimised by α-β swap moves (Boykov, Veksler & Zabih, "Fast Approximate Energy Minimization via Graph Cuts",
 * PAMI 2001), each solved exactly by a min s-t cut (Edmonds-Karp max-flow). For two labels one swap move is the exact
 * global minimum.
 */

/** An undirected edge between nodes p and q with weight w >= 0. */
export type Edge = [p: number, q: number, w: number];

/** Maximum flow from `s` to `t` on a dense capacity matrix (modified in place into residuals); returns the flow. */
export function maxFlow(cap: Float64Array, n: number, s: number, t: number): number {
  let flow = 0;
  const parent = new Int32Array(n);
  for (;;) {
    parent.fill(-1);
    parent[s] = s;
    const queue = [s];
    for (let head = 0; head < queue.length && parent[t] < 0; head++) {
      const u = queue[head];
      for (let v = 0; v < n; v++) {
        if (parent[v] < 0 && cap[u * n + v] > 1e-12) {
          parent[v] = u;
          queue.push(v);
        }
      }
    }
    if (parent[t] < 0) return flow;
    let push = Infinity;
    for (let v = t; v !== s; v = parent[v]) push = Math.min(push, cap[parent[v] * n + v]);
    for (let v = t; v !== s; v = parent[v]) {
      cap[parent[v] * n + v] -= push;
      cap[v * n + parent[v]] += push;
    }
    flow += push;
  }
}

/** Nodes reachable from `s` in the residual graph (the source side of the min cut). */
function sourceSide(cap: Float64Array, n: number, s: number): Uint8Array {
  const seen = new Uint8Array(n);
  seen[s] = 1;
  const stack = [s];
  while (stack.length > 0) {
    const u = stack.pop()!;
    for (let v = 0; v < n; v++) {
      if (!seen[v] && cap[u * n + v] > 1e-12) {
        seen[v] = 1;
        stack.push(v);
      }
    }
  }
  return seen;
}

/** `V(a, b) = (a − b)² / (L − 1)²`. */
export function labelDistance(a: number, b: number, labels: number): number {
  return labels < 2 ? 0 : ((a - b) * (a - b)) / ((labels - 1) * (labels - 1));
}

/** The energy `E(l)` of a labelling (unary `D` is nodes×L, row-major). */
export function energy(unary: Float64Array, labels: number, edges: readonly Edge[], l: ArrayLike<number>): number {
  let e = 0;
  for (let p = 0; p < l.length; p++) e += unary[p * labels + l[p]];
  for (const [p, q, w] of edges) e += w * labelDistance(l[p], l[q], labels);
  return e;
}

/** One α-β swap move, solved exactly; returns the new labelling. */
function swapMove(unary: Float64Array, labels: number, edges: readonly Edge[], l: Int32Array, a: number, b: number): Int32Array {
  const nodes: number[] = [];
  const index = new Int32Array(l.length).fill(-1);
  for (let p = 0; p < l.length; p++) if (l[p] === a || l[p] === b) index[p] = nodes.push(p) - 1;
  if (nodes.length === 0) return l;
  const m = nodes.length + 2;
  const s = m - 2;
  const t = m - 1;
  const costA = new Float64Array(nodes.length);
  const costB = new Float64Array(nodes.length);
  nodes.forEach((p, i) => {
    costA[i] = unary[p * labels + a];
    costB[i] = unary[p * labels + b];
  });
  const cap = new Float64Array(m * m);
  for (const [p, q, w] of edges) {
    const ip = index[p];
    const iq = index[q];
    if (ip >= 0 && iq >= 0) {
      const c = w * labelDistance(a, b, labels);
      cap[ip * m + iq] += c;
      cap[iq * m + ip] += c;
    } else if (ip >= 0) {
      costA[ip] += w * labelDistance(a, l[q], labels);
      costB[ip] += w * labelDistance(b, l[q], labels);
    } else if (iq >= 0) {
      costA[iq] += w * labelDistance(a, l[p], labels);
      costB[iq] += w * labelDistance(b, l[p], labels);
    }
  }
  for (let i = 0; i < nodes.length; i++) {
    const base = Math.min(costA[i], costB[i]);
    cap[s * m + i] += costB[i] - base; // cut when i takes b (sink side)
    cap[i * m + t] += costA[i] - base; // cut when i takes a (source side)
  }
  maxFlow(cap, m, s, t);
  const side = sourceSide(cap, m, s);
  const out = Int32Array.from(l);
  nodes.forEach((p, i) => {
    out[p] = side[i] ? a : b;
  });
  return out;
}

/**
 * Minimises `E(l)` by α-β swap cycles over all label pairs until a cycle brings no decrease (at most `maxCycles`),
 * starting from the per-node cheapest label. Returns the labelling (one label in [0, L) per node).
 */
export function alphaBetaSwap(unary: Float64Array, labels: number, edges: readonly Edge[], maxCycles = 10): Int32Array {
  const n = unary.length / labels;
  let l: Int32Array = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    for (let k = 1; k < labels; k++) if (unary[p * labels + k] < unary[p * labels + l[p]]) l[p] = k;
  }
  let best = energy(unary, labels, edges, l);
  for (let cycle = 0; cycle < maxCycles; cycle++) {
    let improved = false;
    for (let a = 0; a < labels; a++) {
      for (let b = a + 1; b < labels; b++) {
        const next = swapMove(unary, labels, edges, l, a, b);
        const e = energy(unary, labels, edges, next);
        if (e < best - 1e-12) {
          best = e;
          l = next;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return l;
}

/** 4-neighbour edges of a gh×gw grid (row-major node ids), weights from `weight(p, q)`. */
export function gridEdges(gh: number, gw: number, weight: (p: number, q: number) => number): Edge[] {
  const edges: Edge[] = [];
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      const p = y * gw + x;
      if (x + 1 < gw) edges.push([p, p + 1, weight(p, p + 1)]);
      if (y + 1 < gh) edges.push([p, p + gw, weight(p, p + gw)]);
    }
  }
  return edges;
}

/** Hand computations shared by the Mix Block tests (plain arrays, no tensors). */

/** P = softmax_row(q kᵀ / √d): row a holds pixel a of z_i against every pixel b of z_j. */
export function attentionRows(q: number[][], k: number[][], d: number): number[][] {
  return q.map((qa) => {
    const s = k.map((kb) => qa.reduce((acc, qc, c) => acc + qc * kb[c], 0) / Math.sqrt(d));
    const mx = Math.max(...s);
    const e = s.map((x) => Math.exp(x - mx));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / sum);
  });
}

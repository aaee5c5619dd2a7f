/**
 * `puzzlemix`: "Puzzle Mix: Exploiting Saliency and Local Statistics for Optimal Mixup", Kim et al., ICML 2020,
 * https://arxiv.org/abs/2009.06962.
 *
 * Saliency `s = √(mean_c (∂loss/∂x)²)` from the current model (`hooks.inputGradient`, one extra backward). With
 * `B = 2^k` blocks per side, `k ~ U{1, …, block_num − 1}`, block saliencies `u₁` (normalised to sum 1 per sample) and
 * `u₂ = u₁[perm]`, and a prior share `α₀ ~ Beta(α, α)`, each sample gets a block labelling `l_p ∈ {0, …, L−1}`
 * (`L = n_labels`, mask value `m_p = 1 − l_p/(L−1)` = share of x) minimising
 *   `E = Σ_p [−m_p·u₁_p − (1 − m_p)·u₂_p + η·π(m_p)/B²] + Σ_(p,q) β'·(1 + γ·Δ_pq)·(m_p − m_q)²`,
 * `π(m) = −log Binomial(m·(L−1); L−1, α₀)`, `β' = β/(16·B)`, and `Δ_pq ≥ 0` the seam cost: how much more the two
 * images disagree across the p|q boundary than each agrees with itself (mean |·| over the boundary pixels). Solved by
 * α-β swap graph cuts (`./graphcut.ts`, exact for L = 2). With `transport`, blocks of each image move to where the mask
 * shows that image (cost `t_eps·distance − saliency·visible`, OpenMixup's greedy row/column resolution, B rounds).
 * `x̃ = m·T₁(x) + (1 − m)·T₂(x[perm])`, per-sample `λ_i = mean(m_i)`.
 *
 * Simplifications against the paper / OpenMixup (documented in docs/mixups.md): the seam cost uses the boundary
 * pixels of the normalised images (not `neigh_size`-pooled de-normalised ones) and only on the edge weights, not the
 * unary redistribution; transport works on the graph-cut blocks of every sample (`t_size`, `t_batch_size` and `mp`
 * are validated but unused); no Gaussian smoothing of the saliency and no adversarial noise.
 */
import * as tf from '@tensorflow/tfjs-core';
import {defineMethod, labelMix, mixWithMask, sampleLam} from './common';
import {alphaBetaSwap, gridEdges} from './graphcut';

/** Validated `model.mix_args.puzzlemix`. */
export interface PuzzlemixArgs {
  /** move blocks to where they are shown, default true */
  transport: boolean;
  t_batch_size: number | null;
  t_size: number;
  mp: number | null;
  /** blocks per side are 2^k with k ~ U{1, …, block_num − 1}; integer >= 2, default 4 */
  block_num: number;
  /** smoothness weight, >= 0, default 1.2 */
  beta: number;
  /** weight of the seam (local statistics) term, >= 0, default 0.5 */
  gamma: number;
  /** weight of the λ prior, >= 0, default 0.2 */
  eta: number;
  neigh_size: number;
  /** mask levels, integer in [2, 8], default 3 (0, ½, 1) */
  n_labels: number;
  /** transport distance weight, >= 0, default 0.8 */
  t_eps: number;
}

/** Pairing, prior share and block count. */
export interface PuzzlemixParams {
  perm: Int32Array;
  prior: number;
  blocks: number;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** `√(mean_c g²)` per pixel of an N×H×W×C array. */
export function channelRms(g: Float32Array, c: number): Float32Array {
  const out = new Float32Array(g.length / c);
  for (let p = 0; p < out.length; p++) {
    let acc = 0;
    for (let k = 0; k < c; k++) acc += g[p * c + k] * g[p * c + k];
    out[p] = Math.sqrt(acc / c);
  }
  return out;
}

/** Block index maps: row/col → block row/col for B blocks over H (nearest, covering every pixel). */
function blockIndex(size: number, blocks: number): Int32Array {
  return Int32Array.from({length: size}, (_, y) => Math.min(Math.floor((y * blocks) / size), blocks - 1));
}

/** Mean of `values` (H×W) over each of the B×B blocks. */
function poolBlocks(values: Float32Array, h: number, w: number, by: Int32Array, bx: Int32Array, blocks: number): Float64Array {
  const sum = new Float64Array(blocks * blocks);
  const count = new Float64Array(blocks * blocks);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      sum[by[y] * blocks + bx[x]] += values[y * w + x];
      count[by[y] * blocks + bx[x]] += 1;
    }
  }
  return sum.map((s, i) => s / count[i]);
}

/** First pixel row/col of each block. */
function blockStarts(index: Int32Array, blocks: number): Int32Array {
  const start = new Int32Array(blocks + 1).fill(index.length);
  for (let i = index.length - 1; i >= 0; i--) start[index[i]] = i;
  return start;
}

interface Geometry {
  h: number;
  w: number;
  c: number;
  blocks: number;
  by: Int32Array;
  bx: Int32Array;
  y0: Int32Array;
  x0: Int32Array;
}

/**
 * Seam cost between neighbouring blocks p and q of images a and b (H×W×C each): mean over the boundary pixel pairs of
 * `(|a−b'| + |b−a'| − |a−a'| − |b−b'|)/2`, where ' is the pixel across the seam; clamped at 0.
 */
function seamCost(a: Float32Array, b: Float32Array, g: Geometry, p: number, q: number): number {
  const {w, c, blocks, y0, x0} = g;
  const horizontal = q === p + 1; // q right of p, else q below p
  const pr = Math.floor(p / blocks);
  const pc = p % blocks;
  let acc = 0;
  let count = 0;
  const len = horizontal ? y0[pr + 1] - y0[pr] : x0[pc + 1] - x0[pc];
  for (let i = 0; i < len; i++) {
    const [y1, x1, y2, x2] = horizontal ? [y0[pr] + i, x0[pc + 1] - 1, y0[pr] + i, x0[pc + 1]] : [y0[pr + 1] - 1, x0[pc] + i, y0[pr + 1], x0[pc] + i];
    for (let k = 0; k < c; k++) {
      const i1 = (y1 * w + x1) * c + k;
      const i2 = (y2 * w + x2) * c + k;
      acc += (Math.abs(a[i1] - b[i2]) + Math.abs(b[i1] - a[i2]) - Math.abs(a[i1] - a[i2]) - Math.abs(b[i1] - b[i2])) / 2;
      count++;
    }
  }
  return count > 0 ? Math.max(acc / count, 0) : 0;
}

/** Labels the blocks of one sample; returns the block mask (share of x per block). */
export function puzzleBlockMask(u1: Float64Array, u2: Float64Array, seam: (p: number, q: number) => number, prior: number, args: PuzzlemixArgs, blocks: number): Float64Array {
  const nb = blocks * blocks;
  const L = args.n_labels;
  const unary = new Float64Array(nb * L);
  for (let l = 0; l < L; l++) {
    const m = 1 - l / (L - 1);
    const k = L - 1 - l; // units of x out of L − 1
    const pi = -Math.log(binomial(L - 1, k) * prior ** k * (1 - prior) ** (L - 1 - k) + 1e-8);
    for (let p = 0; p < nb; p++) unary[p * L + l] = -(m * u1[p] + (1 - m) * u2[p]) + (args.eta * pi) / nb;
  }
  const betaN = args.beta / blocks / 16;
  const labels = alphaBetaSwap(unary, L, gridEdges(blocks, blocks, (p, q) => betaN * (1 + args.gamma * seam(p, q))));
  return Float64Array.from(labels, (l) => 1 - l / (L - 1));
}

/**
 * Transport of one image's blocks (OpenMixup `mask_transport`): cost `t_eps·‖c_i − c_j‖/B − ŝ_i·visible_j`
 * (ŝ = block saliency scaled to max 1); B rounds in which each block claims its cheapest destination, the cheapest
 * claimant of a destination wins and losers pay +1 there. Returns source block per destination (−1: keep its own).
 */
export function transportPlan(saliency: Float64Array, visible: Uint8Array, blocks: number, tEps: number): Int32Array {
  const nb = blocks * blocks;
  const top = Math.max(...saliency) || 1;
  const cost = new Float64Array(nb * nb);
  for (let i = 0; i < nb; i++) {
    for (let j = 0; j < nb; j++) {
      const d = Math.hypot(Math.floor(i / blocks) - Math.floor(j / blocks), (i % blocks) - (j % blocks)) / blocks;
      cost[i * nb + j] = tEps * d - (saliency[i] / top) * visible[j];
    }
  }
  let winner = new Int32Array(nb).fill(-1);
  for (let round = 0; round < blocks; round++) {
    winner = new Int32Array(nb).fill(-1);
    const claim = new Int32Array(nb);
    for (let i = 0; i < nb; i++) {
      let best = 0;
      for (let j = 1; j < nb; j++) if (cost[i * nb + j] < cost[i * nb + best]) best = j;
      claim[i] = best;
      const j = best;
      if (winner[j] < 0 || cost[i * nb + j] < cost[winner[j] * nb + j]) winner[j] = i;
    }
    for (let i = 0; i < nb; i++) if (winner[claim[i]] !== i) cost[i * nb + claim[i]] += 1;
  }
  return winner;
}

/** Moves blocks of one H×W×C image into `out` by a transport plan (block sizes may differ by a pixel: clamped). */
function moveBlocks(src: Float32Array, out: Float32Array, offset: number, plan: Int32Array, g: Geometry): void {
  const {h, w, c, blocks, by, bx, y0, x0} = g;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const j = by[y] * blocks + bx[x];
      const i = plan[j] < 0 ? j : plan[j];
      const iy = Math.floor(i / blocks);
      const ix = i % blocks;
      const sy = Math.min(y0[iy] + (y - y0[by[y]]), y0[iy + 1] - 1);
      const sx = Math.min(x0[ix] + (x - x0[bx[x]]), x0[ix + 1] - 1);
      for (let k = 0; k < c; k++) out[offset + (y * w + x) * c + k] = src[(sy * w + sx) * c + k];
    }
  }
}

/** The `puzzlemix` method: saliency-guided graph-cut block masks with optional transport, per-sample λ. */
export const puzzlemix = defineMethod<PuzzlemixArgs, PuzzlemixParams>({
  name: 'puzzlemix',
  needs: ['inputGradient'],
  sampleParams: (rng, [n], alpha, {block_num}) => ({perm: rng.permutation(n), prior: sampleLam(rng, alpha), blocks: 2 ** rng.intRange(1, block_num)}),
  async apply(batch, {perm, prior, blocks: drawnBlocks}, args, hooks) {
    const [n, h, w, c] = batch.images.shape;
    const blocks = Math.min(drawnBlocks, h, w);
    const grad = hooks.inputGradient!(batch.images, batch.labels);
    const saliency = channelRms((await grad.data()) as Float32Array, c); // N×H×W (host loop: tfjs-cpu's reductions are slow)
    grad.dispose();
    const pixels = (await batch.images.data()) as Float32Array;
    const by = blockIndex(h, blocks);
    const bx = blockIndex(w, blocks);
    const g: Geometry = {h, w, c, blocks, by, bx, y0: blockStarts(by, blocks), x0: blockStarts(bx, blocks)};
    const hw = h * w;
    const unary = Array.from({length: n}, (_, i) => {
      const u = poolBlocks(saliency.subarray(i * hw, (i + 1) * hw), h, w, by, bx, blocks);
      const total = u.reduce((s, v) => s + v, 0);
      return total > 0 ? u.map((v) => v / total) : u.fill(1 / u.length);
    });
    const mask = new Float32Array(n * hw);
    const lam = new Float32Array(n);
    const first = args.transport ? new Float32Array(pixels.length) : undefined;
    const second = args.transport ? new Float32Array(pixels.length) : undefined;
    for (let i = 0; i < n; i++) {
      const a = pixels.subarray(i * hw * c, (i + 1) * hw * c);
      const b = pixels.subarray(perm[i] * hw * c, (perm[i] + 1) * hw * c);
      const blockMask = puzzleBlockMask(unary[i], unary[perm[i]], (p, q) => seamCost(a, b, g, p, q), prior, args, blocks);
      let sum = 0;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const m = blockMask[by[y] * blocks + bx[x]];
          mask[i * hw + y * w + x] = m;
          sum += m;
        }
      }
      lam[i] = sum / hw;
      if (first && second) {
        moveBlocks(a, first, i * hw * c, transportPlan(unary[i], Uint8Array.from(blockMask, (m) => (m > 0 ? 1 : 0)), blocks, args.t_eps), g);
        moveBlocks(b, second, i * hw * c, transportPlan(unary[perm[i]], Uint8Array.from(blockMask, (m) => (m < 1 ? 1 : 0)), blocks, args.t_eps), g);
      }
    }
    const shape = [n, h, w, c] as [number, number, number, number];
    const t1 = first ? tf.tensor4d(first, shape) : batch.images;
    const t2 = second ? tf.tensor4d(second, shape) : undefined;
    const out = await mixWithMask(t1, perm, mask, [n, h, w, 1], t2);
    if (first) tf.dispose([t1, t2!]);
    return {kind: 'input', images: out.images, mask: out.mask, labels: labelMix(batch.labels, perm, lam)};
  },
});

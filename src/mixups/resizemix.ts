/**
 * `resizemix`: "ResizeMix: Mixing Data with Preserved Object Information and True Labels", Qin et al.,
 * https://arxiv.org/abs/2012.11101.
 *
 * The whole source image `x[perm]` is shrunk (nearest neighbour, `src = ⌊dst·H/h⌋`) into a box of `x`: side ratio `τ`, with
 * `τ ~ U(scope)`, or with `use_alpha` `τ ~ Beta(α, α)` redrawn from `U(scope)` when outside the scope; box side
 * `⌊W·τ⌋ × ⌊H·τ⌋` around a random centre, clipped; `λ = 1 − boxArea/(H·W)` (share of `x`).
 */
import {boxAround, boxMask, boxShare, defineMethod, labelMix, mixWithMask, sampleLam, type Box} from './common';

/** Validated `model.mix_args.resizemix`. */
export interface ResizemixArgs {
  /** range of the box side ratio τ, within [0, 1], default [0.1, 0.8] */
  scope: [number, number];
  /** draw τ ~ Beta(α, α) (kept when inside `scope`), default true in the benchmark configs */
  use_alpha: boolean;
}

/** The pairing, τ and the box. */
export interface ResizemixParams {
  perm: Int32Array;
  tao: number;
  box: Box;
}

/** The `resizemix` method: the whole `x[perm]` shrunk into a box of `x`, `λ = 1 − boxArea/(H·W)`. */
export const resizemix = defineMethod<ResizemixArgs, ResizemixParams>({
  name: 'resizemix',
  sampleParams(rng, [n, h, w], alpha, {scope, use_alpha}) {
    let tao = use_alpha ? sampleLam(rng, alpha) : rng.uniformRange(scope[0], scope[1]);
    if (tao < scope[0] || tao > scope[1]) tao = rng.uniformRange(scope[0], scope[1]);
    const box = boxAround(rng.int(w), rng.int(h), tao, h, w);
    return {perm: rng.permutation(n), tao, box};
  },
  async apply(batch, {perm, box}) {
    const [n, h, w, c] = batch.images.shape;
    const bw = box.x2 - box.x1;
    const bh = box.y2 - box.y1;
    // the source shrunk into the box, nearest neighbour as tf.image.resizeNearestNeighbor (src = ⌊dst·in/out⌋);
    // outside the box the mask keeps x, so those values are never read
    const x = (await batch.images.data()) as Float32Array;
    const other = new Float32Array(x.length);
    for (let i = 0; i < n; i++) {
      const src = perm[i] * h * w * c;
      for (let y = 0; y < bh; y++) {
        const sy = Math.min(Math.floor((y * h) / bh), h - 1);
        for (let xx = 0; xx < bw; xx++) {
          const sx = Math.min(Math.floor((xx * w) / bw), w - 1);
          const to = ((i * h + box.y1 + y) * w + box.x1 + xx) * c;
          for (let k = 0; k < c; k++) other[to + k] = x[src + (sy * w + sx) * c + k];
        }
      }
    }
    const {images, mask} = await mixWithMask(batch.images, perm, boxMask(box, h, w), [1, h, w, 1], other);
    return {kind: 'input', images, mask, labels: labelMix(batch.labels, perm, 1 - boxShare(box, h, w))};
  },
});

/**
 * `gridmix`: "GridMix: Strong regularization through local context mapping", Baek et al., Pattern Recognition 2021
 * (doi:10.1016/j.patcog.2020.107594).
 *
 * `λ ~ Beta(α, α)`; `n_holes ~ U{n_holes}`, `hole_aspect_ratio`, `cut_area_ratio`, `cut_aspect_ratio ~ U(range)`.
 * A crop of area `⌊H·W·cut_area_ratio⌋` (`cut_w = ⌊√(area/cut_aspect)⌋`, `cut_h = ⌊cut_w·cut_aspect⌋`) at a uniform
 * position is tiled with patches of width `⌈cut_w/n_holes⌉` (height `⌊width·hole_aspect⌋`); in each patch a hole of
 * side ratio `√(1 − λ)` (clamped to [1, patch − 1] pixels) shows `x[perm]`. `λ = 1 − holeArea/(H·W)`.
 * Difference to OpenMixup: where OpenMixup asserts `n_holes ≤ cut_w/2`, `n_holes` is clamped to that bound
 * (so small images work), and the crop is clipped to the image.
 */
import {defineMethod, labelMix, mean, mixWithMask, sampleLam} from './common';

/** Validated `model.mix_args.gridmix` (each a [low, high] range sampled per batch, or one number). */
export interface GridmixArgs {
  /** holes along the crop's width, integers >= 1, default [2, 6] */
  n_holes: [number, number];
  /** hole height / width, > 0, default 1 */
  hole_aspect_ratio: [number, number];
  /** crop area share, in (0, 1], default [0.5, 1] */
  cut_area_ratio: [number, number];
  /** crop height / width, > 0, default [0.5, 2] */
  cut_aspect_ratio: [number, number];
}

/** Everything drawn for one batch. */
export interface GridmixParams {
  lam: number;
  perm: Int32Array;
  nHoles: number;
  holeAspect: number;
  cutArea: number;
  cutAspect: number;
  /** crop position in [0, 1) along x and y */
  cx: number;
  cy: number;
}

/** The grid mask (share of x: 0 in the holes) for the drawn parameters. */
export function gridMask(p: GridmixParams, h: number, w: number): Float32Array {
  const cutAreaPx = Math.floor(h * w * p.cutArea);
  const cutW = Math.min(Math.max(Math.floor(Math.sqrt(cutAreaPx / p.cutAspect)), 1), w);
  const cutH = Math.min(Math.max(Math.floor(cutW * p.cutAspect), 1), h);
  const xc1 = Math.floor((w - cutW) * p.cx);
  const yc1 = Math.floor((h - cutH) * p.cy);
  const nHoles = Math.min(p.nHoles, Math.max(1, Math.floor(cutW / 2)));
  const patchW = Math.ceil(cutW / nHoles);
  const patchH = Math.max(Math.floor(patchW * p.holeAspect), 1);
  const ratio = Math.sqrt(1 - p.lam);
  const holeW = Math.min(Math.max(Math.floor(patchW * ratio), 1), Math.max(patchW - 1, 1));
  const holeH = Math.min(Math.max(Math.floor(patchH * ratio), 1), Math.max(patchH - 1, 1));
  const mask = new Float32Array(h * w).fill(1);
  for (let py = 0; py < cutH; py += patchH) {
    for (let px = 0; px < cutW; px += patchW) {
      const y2 = Math.min(py + holeH, cutH);
      const x2 = Math.min(px + holeW, cutW);
      for (let y = py; y < y2; y++) mask.fill(0, (yc1 + y) * w + xc1 + px, (yc1 + y) * w + xc1 + x2);
    }
  }
  return mask;
}

/** The `gridmix` method: a grid of holes showing `x[perm]`, `λ = 1 − holeArea/(H·W)`. */
export const gridmix = defineMethod<GridmixArgs, GridmixParams>({
  name: 'gridmix',
  sampleParams(rng, [n], alpha, a) {
    const lam = sampleLam(rng, alpha);
    return {
      lam,
      nHoles: rng.intRange(a.n_holes[0], a.n_holes[1] + 1), // Python's random.randint is inclusive
      holeAspect: rng.uniformRange(a.hole_aspect_ratio[0], a.hole_aspect_ratio[1]),
      cutArea: rng.uniformRange(a.cut_area_ratio[0], a.cut_area_ratio[1]),
      cutAspect: rng.uniformRange(a.cut_aspect_ratio[0], a.cut_aspect_ratio[1]),
      cx: rng.uniform(),
      cy: rng.uniform(),
      perm: rng.permutation(n),
    };
  },
  async apply(batch, params) {
    const [, h, w] = batch.images.shape;
    const m = gridMask(params, h, w);
    const {images, mask} = await mixWithMask(batch.images, params.perm, m, [1, h, w, 1]);
    return {kind: 'input', images, mask, labels: labelMix(batch.labels, params.perm, mean(m))};
  },
});

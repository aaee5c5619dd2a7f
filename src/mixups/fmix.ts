/**
 * `fmix`: "FMix: Enhancing Mixed Sample Data Augmentation", Harris et al., https://arxiv.org/abs/2002.12047.
 *
 * `λ ~ Beta(α, α)` (`Beta(α + 1, α)` when `reformulate`). A low-frequency random image: a complex Gaussian spectrum
 * `Z[k, l] ~ N(0, 1) + iN(0, 1)` scaled by `1 / max(f[k, l], 1/max(H, W))^decay_power` (`f` = the frequency magnitude
 * from `fftfreq`), `g = Re F⁻¹(Z)`. Binarise: the `⌈λ·HW⌉` or `⌊λ·HW⌋` (50/50) largest values of `g` are 1, the rest 0
 * (with `max_soft > 0`, a linear ramp over `±soft·HW` pixels around the threshold). `x̃ = m·x + (1 − m)·x[perm]`,
 * and λ is kept as drawn (mask mean = λ up to one pixel). One mask per batch.
 * Differences to OpenMixup: the mask is made at the batch's H×W (`size` is validated but the images decide), and the
 * spectrum is drawn on the full grid instead of the half (rfft) grid; the real part gives the same kind of field.
 */
import {defineMethod, labelMix, mixWithMask, sampleLam} from './common';
import {dft2d, fftfreq} from './fft';
import type {Rng} from '../rng';

/** Validated `model.mix_args.fmix`. */
export interface FmixArgs {
  /** decay of the spectrum, > 0, default 3 */
  decay_power: number;
  /** mask size of the reference configs, [H, W]; informative only (the mask follows the images) */
  size: [number, number];
  /** half-width of the soft ramp as a share of the pixels, in [0, 0.5], default 0 (hard mask) */
  max_soft: number;
  /** draw λ ~ Beta(α + 1, α), default false */
  reformulate: boolean;
}

/** λ, the pairing, the low-frequency field and the rounding choice. */
export interface FmixParams {
  lam: number;
  perm: Int32Array;
  /** H×W low-frequency field (any scale) */
  field: Float32Array;
  /** true: ⌈λ·HW⌉ ones, false: ⌊λ·HW⌋ */
  roundUp: boolean;
}

/** A random low-frequency H×W field (the grey-scale image FMix thresholds). */
export function lowFrequencyField(rng: Rng, h: number, w: number, decayPower: number): Float32Array {
  const fy = fftfreq(h);
  const fx = fftfreq(w);
  const floor = 1 / Math.max(h, w);
  const re = new Float64Array(h * w);
  const im = new Float64Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const scale = 1 / Math.pow(Math.max(Math.hypot(fy[y], fx[x]), floor), decayPower);
      re[y * w + x] = rng.normal() * scale;
      im[y * w + x] = rng.normal() * scale;
    }
  }
  dft2d(re, im, h, w, true);
  return Float32Array.from(re);
}

/** 1 on the `count` largest values (ties: lower index first), via a numeric sort for the threshold. */
function hardTop(field: Float32Array, count: number): Float32Array {
  const mask = new Float32Array(field.length);
  if (count <= 0) return mask;
  if (count >= field.length) return mask.fill(1);
  const threshold = Float32Array.from(field).sort()[field.length - count]; // the count-th largest value
  let left = count;
  for (let i = 0; i < field.length; i++) {
    if (field[i] > threshold) {
      mask[i] = 1;
      left--;
    }
  }
  for (let i = 0; i < field.length && left > 0; i++) {
    if (field[i] === threshold) {
      mask[i] = 1;
      left--;
    }
  }
  return mask;
}

/** Binarises a field to a mask with `count` ones on its largest values, with an optional linear ramp of ±soft pixels. */
export function binariseTop(field: Float32Array, count: number, soft = 0): Float32Array {
  if (soft === 0) return hardTop(field, count);
  const order = Array.from(field.keys()).sort((a, b) => field[b] - field[a] || a - b);
  const mask = new Float32Array(field.length);
  const lo = Math.max(count - soft, 0);
  const hi = Math.min(count + soft, field.length);
  for (let i = 0; i < lo; i++) mask[order[i]] = 1;
  for (let i = lo; i < hi; i++) mask[order[i]] = 1 - (i - lo + 0.5) / (hi - lo); // ramp 1 → 0, mean ½ over the ramp
  return mask;
}

/** The `fmix` method: a binarised low-frequency Fourier mask, λ as drawn. */
export const fmix = defineMethod<FmixArgs, FmixParams>({
  name: 'fmix',
  sampleParams(rng, [n, h, w], alpha, args) {
    const lam = args.reformulate ? sampleLam(rng, alpha + 1, alpha) : sampleLam(rng, alpha);
    const field = lowFrequencyField(rng, h, w, args.decay_power);
    return {lam, field, roundUp: rng.uniform() < 0.5, perm: rng.permutation(n)};
  },
  async apply(batch, {lam, perm, field, roundUp}, args) {
    const [, h, w] = batch.images.shape;
    const count = (roundUp ? Math.ceil : Math.floor)(lam * h * w);
    // the ramp may not reach past either end: soft ≤ min(λ, 1 − λ)
    const soft = Math.floor(h * w * Math.min(args.max_soft, lam, 1 - lam));
    const {images, mask} = await mixWithMask(batch.images, perm, binariseTop(field, count, soft), [1, h, w, 1]);
    return {kind: 'input', images, mask, labels: labelMix(batch.labels, perm, lam)};
  },
});

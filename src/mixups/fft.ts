/**
 * A small 2-D discrete Fourier transform for the mask/saliency maths (FMix, SaliencyMix): separable, any size
 * (the benchmark's 224 is not a power of two), `O(H·W·(H + W))` with cached twiddle tables. In place on (re, im).
 *
 * Forward: `F[k, l] = Σ_y Σ_x f[y, x]·e^{−2πi(ky/H + lx/W)}`; inverse uses `e^{+…}` and divides by `H·W`.
 */
const tables = new Map<number, {cos: Float64Array; sin: Float64Array}>();

function twiddles(n: number): {cos: Float64Array; sin: Float64Array} {
  let t = tables.get(n);
  if (!t) {
    t = {cos: new Float64Array(n), sin: new Float64Array(n)};
    for (let k = 0; k < n; k++) {
      t.cos[k] = Math.cos((2 * Math.PI * k) / n);
      t.sin[k] = Math.sin((2 * Math.PI * k) / n);
    }
    tables.set(n, t);
  }
  return t;
}

/** 1-D DFT of `n` values read at `offset + i·stride`, written back in place. */
function dft1d(re: Float64Array, im: Float64Array, n: number, offset: number, stride: number, sign: number, bufRe: Float64Array, bufIm: Float64Array): void {
  const {cos, sin} = twiddles(n);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    let idx = 0;
    for (let j = 0; j < n; j++) {
      const a = re[offset + j * stride];
      const b = im[offset + j * stride];
      const c = cos[idx];
      const s = sign * sin[idx];
      // (a + ib)(c − is) for the forward transform (sign = 1), (a + ib)(c + is) for the inverse
      sr += a * c + b * s;
      si += b * c - a * s;
      idx += k;
      if (idx >= n) idx -= n;
    }
    bufRe[k] = sr;
    bufIm[k] = si;
  }
  for (let k = 0; k < n; k++) {
    re[offset + k * stride] = bufRe[k];
    im[offset + k * stride] = bufIm[k];
  }
}

/** In-place 2-D DFT of an H×W complex array (row-major); `inverse` also divides by H·W. */
export function dft2d(re: Float64Array, im: Float64Array, h: number, w: number, inverse = false): void {
  const sign = inverse ? -1 : 1;
  const bufRe = new Float64Array(Math.max(h, w));
  const bufIm = new Float64Array(Math.max(h, w));
  for (let y = 0; y < h; y++) dft1d(re, im, w, y * w, 1, sign, bufRe, bufIm);
  for (let x = 0; x < w; x++) dft1d(re, im, h, x, w, sign, bufRe, bufIm);
  if (inverse) {
    const s = 1 / (h * w);
    for (let i = 0; i < h * w; i++) {
      re[i] *= s;
      im[i] *= s;
    }
  }
}

/** numpy's `fftfreq(n)`: `[0, 1, …, ⌈n/2⌉−1, −⌊n/2⌋, …, −1] / n`. */
export function fftfreq(n: number): Float64Array {
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) f[i] = (i < Math.ceil(n / 2) ? i : i - n) / n;
  return f;
}

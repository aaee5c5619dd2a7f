/**
 * A small 2-D discrete Fourier transform for the mask/saliency maths (FMix, SaliencyMix): separable, any size
 * (the benchmark's 224 = 2⁵·7 is not a power of two), mixed-radix Cooley-Tukey per row and column with cached
 * twiddle tables (prime lengths use the direct sum). In place on (re, im).
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

/** Smallest prime factor of n (n itself when prime). */
function smallestFactor(n: number): number {
  for (let p = 2; p * p <= n; p++) if (n % p === 0) return p;
  return n;
}

/**
 * Recursive mixed-radix Cooley-Tukey FFT of (re, im), length n, returning new arrays:
 * with `n = p·m`, `X[k + m·q] = Σ_r w^{r(k + m·q)} · F_r[k]` where `F_r` is the transform of `x[r], x[r+p], …` and
 * `w = e^{∓2πi/n}`; a prime length falls back to the direct sum. `sign` = 1 forward, −1 inverse (unscaled).
 */
function fftRec(re: Float64Array, im: Float64Array, sign: number): [Float64Array, Float64Array] {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  if (n === 1) {
    outRe[0] = re[0];
    outIm[0] = im[0];
    return [outRe, outIm];
  }
  const {cos, sin} = twiddles(n);
  const p = smallestFactor(n);
  if (p === n) {
    for (let k = 0; k < n; k++) {
      let sr = 0;
      let si = 0;
      for (let j = 0, idx = 0; j < n; j++, idx = (idx + k) % n) {
        const c = cos[idx];
        const s = sign * sin[idx];
        // (a + ib)(c − is): e^{−iθ} forward, e^{+iθ} inverse
        sr += re[j] * c + im[j] * s;
        si += im[j] * c - re[j] * s;
      }
      outRe[k] = sr;
      outIm[k] = si;
    }
    return [outRe, outIm];
  }
  const m = n / p;
  const subs: Array<[Float64Array, Float64Array]> = [];
  for (let r = 0; r < p; r++) {
    const sr = new Float64Array(m);
    const si = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      sr[j] = re[j * p + r];
      si[j] = im[j * p + r];
    }
    subs.push(fftRec(sr, si, sign));
  }
  if (p === 2) {
    // radix-2 butterfly: X[k] = E[k] + w^k·O[k], X[k + m] = E[k] − w^k·O[k]
    const [er, ei] = subs[0];
    const [or, oi] = subs[1];
    for (let k = 0; k < m; k++) {
      const c = cos[k];
      const s = sign * sin[k];
      const tr = or[k] * c + oi[k] * s;
      const ti = oi[k] * c - or[k] * s;
      outRe[k] = er[k] + tr;
      outIm[k] = ei[k] + ti;
      outRe[k + m] = er[k] - tr;
      outIm[k + m] = ei[k] - ti;
    }
    return [outRe, outIm];
  }
  for (let q = 0; q < p; q++) {
    for (let k = 0; k < m; k++) {
      const out = k + m * q;
      let accRe = 0;
      let accIm = 0;
      for (let r = 0; r < p; r++) {
        const idx = (r * out) % n;
        const c = cos[idx];
        const s = sign * sin[idx];
        const [fr, fi] = subs[r];
        accRe += fr[k] * c + fi[k] * s;
        accIm += fi[k] * c - fr[k] * s;
      }
      outRe[out] = accRe;
      outIm[out] = accIm;
    }
  }
  return [outRe, outIm];
}

/** 1-D DFT of `n` values read at `offset + i·stride`, written back in place. */
function dft1d(re: Float64Array, im: Float64Array, n: number, offset: number, stride: number, sign: number, bufRe: Float64Array, bufIm: Float64Array): void {
  const inRe = bufRe.subarray(0, n);
  const inIm = bufIm.subarray(0, n);
  for (let j = 0; j < n; j++) {
    inRe[j] = re[offset + j * stride];
    inIm[j] = im[offset + j * stride];
  }
  const [outRe, outIm] = fftRec(inRe, inIm, sign);
  for (let k = 0; k < n; k++) {
    re[offset + k * stride] = outRe[k];
    im[offset + k * stride] = outIm[k];
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

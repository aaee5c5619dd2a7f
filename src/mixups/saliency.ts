/**
 * Static image saliency without OpenCV: the spectral residual of Hou & Zhang, "Saliency Detection: A Spectral Residual
 * Approach", CVPR 2007 (OpenCV's `StaticSaliencySpectralResidual` computes the same at 64×64).
 *
 * For a grey image resized to S×S (S = 64): `A = log|F(I)|`, `P = arg F(I)`, the residual `R = A − h₃ * A`
 * (3×3 mean filter), the map `S = G_σ * |F⁻¹(exp(R + iP))|²`, min-max normalised to [0, 1].
 * SaliencyMix (https://arxiv.org/abs/2006.01791) uses OpenCV's *fine-grained* static saliency instead; both are static
 * (image-only) maps and the method only needs the location of their peak.
 */
import {dft2d} from './fft';

/** Side of the square the spectral residual is computed at (as OpenCV). */
export const SALIENCY_SIZE = 64;

/** Bilinear resize of an H×W grey image to S×S (pixel centres aligned). */
function resizeGrey(grey: Float32Array, h: number, w: number, s: number): Float64Array {
  const out = new Float64Array(s * s);
  for (let y = 0; y < s; y++) {
    const fy = Math.min(Math.max(((y + 0.5) * h) / s - 0.5, 0), h - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, h - 1);
    const dy = fy - y0;
    for (let x = 0; x < s; x++) {
      const fx = Math.min(Math.max(((x + 0.5) * w) / s - 0.5, 0), w - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, w - 1);
      const dx = fx - x0;
      const top = grey[y0 * w + x0] * (1 - dx) + grey[y0 * w + x1] * dx;
      const bottom = grey[y1 * w + x0] * (1 - dx) + grey[y1 * w + x1] * dx;
      out[y * s + x] = top * (1 - dy) + bottom * dy;
    }
  }
  return out;
}

/** Separable filter with a symmetric 1-D kernel (edges clamped), on an S×S map. */
function filter2d(src: Float64Array, s: number, kernel: number[]): Float64Array {
  const r = (kernel.length - 1) / 2;
  const tmp = new Float64Array(s * s);
  const out = new Float64Array(s * s);
  const at = (v: number) => Math.min(Math.max(v, 0), s - 1);
  for (let y = 0; y < s; y++) {
    for (let x = 0; x < s; x++) {
      let acc = 0;
      for (let k = -r; k <= r; k++) acc += kernel[k + r] * src[y * s + at(x + k)];
      tmp[y * s + x] = acc;
    }
  }
  for (let y = 0; y < s; y++) {
    for (let x = 0; x < s; x++) {
      let acc = 0;
      for (let k = -r; k <= r; k++) acc += kernel[k + r] * tmp[at(y + k) * s + x];
      out[y * s + x] = acc;
    }
  }
  return out;
}

function gaussianKernel(sigma: number): number[] {
  const r = Math.ceil(3 * sigma);
  const k = Array.from({length: 2 * r + 1}, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = k.reduce((a, b) => a + b, 0);
  return k.map((v) => v / sum);
}

/**
 * Spectral-residual saliency of one H×W×C image (row-major HWC floats, any range): an S×S map in [0, 1]
 * (S = `SALIENCY_SIZE`).
 */
export function spectralResidual(pixels: Float32Array, h: number, w: number, c: number): Float64Array {
  const grey = new Float32Array(h * w);
  for (let i = 0; i < h * w; i++) {
    let acc = 0;
    for (let k = 0; k < c; k++) acc += pixels[i * c + k];
    grey[i] = acc / c;
  }
  const s = SALIENCY_SIZE;
  const re = resizeGrey(grey, h, w, s);
  const im = new Float64Array(s * s);
  dft2d(re, im, s, s);
  const logAmp = new Float64Array(s * s);
  const phase = new Float64Array(s * s);
  for (let i = 0; i < s * s; i++) {
    logAmp[i] = Math.log(Math.hypot(re[i], im[i]) + 1e-9);
    phase[i] = Math.atan2(im[i], re[i]);
  }
  const meanLog = filter2d(logAmp, s, [1 / 3, 1 / 3, 1 / 3]);
  for (let i = 0; i < s * s; i++) {
    const mag = Math.exp(logAmp[i] - meanLog[i]); // exp(R)
    re[i] = mag * Math.cos(phase[i]);
    im[i] = mag * Math.sin(phase[i]);
  }
  dft2d(re, im, s, s, true);
  const power = new Float64Array(s * s);
  for (let i = 0; i < s * s; i++) power[i] = re[i] * re[i] + im[i] * im[i];
  const map = filter2d(power, s, gaussianKernel(2.5));
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of map) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  for (let i = 0; i < s * s; i++) map[i] = hi > lo ? (map[i] - lo) / (hi - lo) : 0;
  return map;
}

/** Pixel (x, y) of an H×W image at the peak of its S×S saliency map (first maximum in row-major order). */
export function saliencyPeak(map: Float64Array, h: number, w: number): {x: number; y: number} {
  const s = Math.round(Math.sqrt(map.length));
  let best = 0;
  for (let i = 1; i < map.length; i++) if (map[i] > map[best]) best = i;
  const my = Math.floor(best / s);
  const mx = best % s;
  return {x: Math.min(Math.floor(((mx + 0.5) * w) / s), w - 1), y: Math.min(Math.floor(((my + 0.5) * h) / s), h - 1)};
}

/** Saliency map resampled to H×W (nearest), for model-free stand-ins in `mixup visualize`. */
export function saliencyAt(map: Float64Array, h: number, w: number): Float32Array {
  const s = Math.round(Math.sqrt(map.length));
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(Math.floor(((y + 0.5) * s) / h), s - 1);
    for (let x = 0; x < w; x++) out[y * w + x] = map[sy * s + Math.min(Math.floor(((x + 0.5) * s) / w), s - 1)];
  }
  return out;
}

import {dft2d, fftfreq} from '../../src/mixups/fft';

/** The defining double sum, for comparison. */
function direct(re: Float64Array, im: Float64Array, h: number, w: number): [Float64Array, Float64Array] {
  const outRe = new Float64Array(h * w);
  const outIm = new Float64Array(h * w);
  for (let k = 0; k < h; k++) {
    for (let l = 0; l < w; l++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const t = -2 * Math.PI * ((k * y) / h + (l * x) / w);
          outRe[k * w + l] += re[y * w + x] * Math.cos(t) - im[y * w + x] * Math.sin(t);
          outIm[k * w + l] += re[y * w + x] * Math.sin(t) + im[y * w + x] * Math.cos(t);
        }
      }
    }
  }
  return [outRe, outIm];
}

describe('dft2d', () => {
  test.each([
    [12, 14],
    [7, 8],
    [1, 9],
  ])('%i×%i matches the defining sum (mixed radix, prime and unit lengths) and inverts', (h, w) => {
    const re = Float64Array.from({length: h * w}, (_, i) => Math.sin(i * 1.3));
    const im = Float64Array.from({length: h * w}, (_, i) => Math.cos(i * 0.7));
    const [eRe, eIm] = direct(re, im, h, w);
    const fRe = Float64Array.from(re);
    const fIm = Float64Array.from(im);
    dft2d(fRe, fIm, h, w);
    fRe.forEach((v, i) => expect(v).toBeCloseTo(eRe[i], 9));
    fIm.forEach((v, i) => expect(v).toBeCloseTo(eIm[i], 9));
    dft2d(fRe, fIm, h, w, true);
    fRe.forEach((v, i) => expect(v).toBeCloseTo(re[i], 9));
    fIm.forEach((v, i) => expect(v).toBeCloseTo(im[i], 9));
  });

  test('fftfreq as numpy', () => {
    expect(Array.from(fftfreq(5))).toEqual([0, 0.2, 0.4, -0.4, -0.2]);
    expect(Array.from(fftfreq(4))).toEqual([0, 0.25, -0.5, -0.25]);
  });
});

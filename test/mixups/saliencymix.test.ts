import * as tf from '@tensorflow/tfjs-core';
import {saliencyPeak, spectralResidual} from '../../src/mixups/saliency';
import {saliencymix} from '../../src/mixups/saliencymix';
import {lowFrequencyField} from '../../src/mixups/fmix';
import {Rng} from '../../src/rng';
import {useCpu} from './helpers';

beforeAll(useCpu);

/** A 64×64 grey image: a faint low-frequency texture and a bright disc of radius 4 at (x, y). */
function blob(x: number, y: number, size = 64): Float32Array {
  const field = lowFrequencyField(new Rng(x * 7 + y), size, size, 2);
  const lo = Math.min(...field);
  const hi = Math.max(...field);
  const img = new Float32Array(size * size * 3);
  for (let yy = 0; yy < size; yy++) {
    for (let xx = 0; xx < size; xx++) {
      const v = Math.hypot(xx - x, yy - y) < 4 ? 1 : 0.2 + (0.1 * (field[yy * size + xx] - lo)) / (hi - lo);
      img.fill(v, (yy * size + xx) * 3, (yy * size + xx) * 3 + 3);
    }
  }
  return img;
}

describe('saliencymix', () => {
  test('spectral-residual saliency peaks on the odd object', async () => {
    for (const [x, y] of [[48, 16], [12, 40], [30, 30]]) {
      const peak = saliencyPeak(spectralResidual(blob(x, y), 64, 64, 3), 64, 64);
      expect(Math.hypot(peak.x - x, peak.y - y)).toBeLessThanOrEqual(2);
    }
  });

  test('the box is centred on the salient spot of the source image x[perm[0]]', async () => {
    const images = tf.tensor4d(Float32Array.from([...new Float32Array(64 * 64 * 3), ...blob(48, 16)]), [2, 64, 64, 3]);
    const out = await saliencymix.spec.apply({images, labels: Int32Array.from([0, 1])}, {lam: 0.75, perm: Int32Array.from([1, 0])}, {}, {});
    const mask = out.kind === 'input' ? (out.mask!.dataSync() as Float32Array) : new Float32Array();
    // box side = ⌊64·√0.25⌋ = 32 around the peak (±1 px): the disc is inside, the opposite corner is not
    expect(mask[16 * 64 + 48]).toBe(0);
    expect(mask[63 * 64 + 0]).toBe(1);
    expect(Math.abs((out.labels.lam as number) - 0.75)).toBeLessThanOrEqual(32 / 4096); // clipped by at most one row
  });
});

import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's CommonJS build registers no gradients; the @tensorflow/tfjs bundle registers them all (and cpu)
import '@tensorflow/tfjs';
import {backboneMask, maskLoss, mixImages} from '../../../src/models/automix/mask-ops';
import {PixelMixBlock} from '../../../src/models/automix/mix-block';
import {Rng} from '../../../src/rng';
import {input, useCpu} from '../helpers';

beforeAll(useCpu);

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const INDEX = Int32Array.from([2, 0, 3, 1]);

describe('maskLoss', () => {
  it('is max(|mean − λ| − margin, 0) (hand-computed)', () => {
    const m = tf.fill([2, 4, 4, 1], 0.5) as tf.Tensor4D;
    expect(maskLoss(m, 0.3, 0.1).dataSync()[0]).toBeCloseTo(0.1, 6);
    expect(maskLoss(m, 0.8, 0.1).dataSync()[0]).toBeCloseTo(0.2, 6);
    expect(maskLoss(m, 0.45, 0.1).dataSync()[0]).toBe(0);
    expect(() => maskLoss(tf.zeros([2, 4, 4, 2]) as tf.Tensor4D, 0.5, 0)).toThrow(/N×H×W×1, got shape \[2, 4, 4, 2\]/);
  });

  it('optimising the mask loss alone brings the mask mean within the margin of λ', () => {
    const block = new PixelMixBlock({inChannels: 6}, new Rng(21));
    const z = input(4, 2, 2, 6);
    const lam = 0.15;
    const margin = 0.1;
    const meanOf = () => tf.tidy(() => tf.mean(block.mask(z, INDEX, lam, [8, 8])).dataSync()[0]);
    expect(Math.abs(meanOf() - lam)).toBeGreaterThan(margin + 0.1);  // starts near 0.5
    // plain SGD: the loss is 0 inside the margin, so the mean stops there (Adam's momentum would carry it past)
    const opt = tf.train.sgd(2);
    for (let i = 0; i < 40; i++) {
      opt.minimize(() => maskLoss(block.mask(z, INDEX, lam, [8, 8]), lam, margin), false, [...block.params.values()]);
    }
    expect(Math.abs(meanOf() - lam)).toBeLessThanOrEqual(margin + 1e-3);
    expect(maskLoss(block.mask(z, INDEX, lam, [8, 8]), lam, margin).dataSync()[0]).toBeLessThan(1e-3);
    opt.dispose();
    block.dispose();
  });
});

describe('mixImages and backboneMask', () => {
  it('x_mix = M·x_i + (1 − M)·x[index]', () => {
    const x = input(4, 2, 2, 3);
    const xv = values(x);
    const ones = tf.ones([4, 2, 2, 1]) as tf.Tensor4D;
    expect(values(mixImages(x, INDEX, ones))).toEqual(xv);
    const mixed = values(mixImages(x, INDEX, tf.fill([4, 2, 2, 1], 0.25) as tf.Tensor4D));
    const per = 2 * 2 * 3;
    for (let n = 0; n < 4; n++) {
      for (let i = 0; i < per; i++) expect(mixed[n * per + i]).toBeCloseTo(0.25 * xv[n * per + i] + 0.75 * xv[INDEX[n] * per + i], 6);
    }
    expect(() => mixImages(x, INDEX, tf.ones([4, 3, 2, 1]) as tf.Tensor4D)).toThrow(/mask must be 4×2×2×1 .* got shape \[4, 3, 2, 1\]/);
  });

  it('lam_margin: constant λ near 0/1, otherwise the learned mask with no gradient', () => {
    const m = tf.variable(tf.fill([2, 2, 2, 1], 0.7));
    expect(values(backboneMask(m as unknown as tf.Tensor4D, 0.05, 0.08)).every((v) => Math.abs(v - 0.05) < 1e-7)).toBe(true);
    expect(values(backboneMask(m as unknown as tf.Tensor4D, 0.95, 0.08)).every((v) => Math.abs(v - 0.95) < 1e-7)).toBe(true);
    const {value, grads} = tf.variableGrads(() => tf.sum(backboneMask(m as unknown as tf.Tensor4D, 0.5, 0.08)) as tf.Scalar, [m]);
    expect(value.dataSync()[0]).toBeCloseTo(8 * 0.7, 5);
    expect(values(grads[m.name]).every((g) => g === 0)).toBe(true);
    m.dispose();
  });
});

describe('maskLoss modes (OpenMixup mask_loss on M_j = 1 − M_i)', () => {
  it.each([
    ['L1', 0.15],
    ['L2', 0.0625 - 0.01],
    ['Variance', -0.0625],
    ['L1+Variance', 0.15 - 0.125],
    ['L2+Variance', 0.0525 - 0.125],
  ] as const)('%s', (mode, expected) => {
    // M_i = [0.2, 0.6, 0.9, 0.5]: M_j = [0.8, 0.4, 0.1, 0.5], m̄ = 0.45, 1 − m̄ − λ = 0.25, Var = 0.0625
    const m = tf.tensor4d([0.2, 0.6, 0.9, 0.5], [1, 2, 2, 1]);
    expect(maskLoss(m, 0.3, 0.1, mode).dataSync()[0]).toBeCloseTo(expected, 6);
    m.dispose();
  });

  it('refuses an unknown mode', () => {
    expect(() => maskLoss(tf.ones([1, 2, 2, 1]) as tf.Tensor4D, 0.5, 0, 'Sparsity' as never)).toThrow(/mode must be one of L1, L2/);
  });
});

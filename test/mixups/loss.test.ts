import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs'; // registers the gradient functions, as the engine does
import {accuracyMix, accuracyMixDevice, accuracyTop1, accuracyTop1Device, mixLoss} from '../../src/mixups';
import {Rng} from '../../src/rng';
import type {LabelMix} from '../../src/mixups/types';
import {useCpu} from './helpers';

beforeAll(useCpu);

const logitsArr = [
  [2, 1, 0, -1],
  [0.5, 0.2, 3, 0],
  [1, 1, 1, 1],
];
const labels: LabelMix = {yA: Int32Array.from([0, 2, 1]), yB: Int32Array.from([1, 3, 1]), lam: 0.7};
const logSoftmax = (row: number[]) => {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
  return row.map((v) => v - lse);
};
const value = (t: tf.Scalar) => t.dataSync()[0];

describe('mixLoss', () => {
  const logits = () => tf.tensor2d(logitsArr);

  test('λ·CE(yA) + (1 − λ)·CE(yB), averaged over the batch', () => {
    const expected = logitsArr.reduce((s, row, i) => s - 0.7 * logSoftmax(row)[labels.yA[i]] - 0.3 * logSoftmax(row)[labels.yB[i]], 0) / 3;
    expect(value(mixLoss(logits(), labels, 4, {}))).toBeCloseTo(expected, 5);
    expect(value(mixLoss(logits(), labels, 4, {loss_weight: 2}))).toBeCloseTo(2 * expected, 5);
    expect(value(mixLoss(logits(), labels, 4, {type: 'CrossEntropyLoss', reduction: 'mean', class_weight: null}))).toBeCloseTo(expected, 5);
  });

  test('soft-target CE on the mixed one-hot equals the λ-weighted CE, with and without label smoothing', () => {
    for (const s of [0, 0.1]) {
      const soft = value(mixLoss(logits(), labels, 4, {use_soft: true, label_smooth_val: s}));
      expect(soft).toBeCloseTo(value(mixLoss(logits(), labels, 4, {label_smooth_val: s})), 5);
    }
    // smoothing s: targets t(1 − s) + s/C
    const row = logSoftmax(logitsArr[2]);
    const one: LabelMix = {yA: Int32Array.from([1]), yB: Int32Array.from([1]), lam: 1};
    const t = [0.025, 0.925, 0.025, 0.025];
    expect(value(mixLoss(tf.tensor2d([logitsArr[2]]), one, 4, {use_soft: true, label_smooth_val: 0.1}))).toBeCloseTo(-t.reduce((s, v, c) => s + v * row[c], 0), 5);
  });

  test('BCE with logits on the mixed one-hot, averaged over N·C', () => {
    let sum = 0;
    logitsArr.forEach((row, i) =>
      row.forEach((z, c) => {
        const t = (c === labels.yA[i] ? 0.7 : 0) + (c === labels.yB[i] ? 0.3 : 0);
        const p = 1 / (1 + Math.exp(-z));
        sum += -(t * Math.log(p) + (1 - t) * Math.log(1 - p));
      }),
    );
    expect(value(mixLoss(logits(), labels, 4, {use_sigmoid: true}))).toBeCloseTo(sum / 12, 5);
  });

  test('per-sample λ weights each sample', () => {
    const perSample: LabelMix = {...labels, lam: Float32Array.from([1, 0, 0.5])};
    const expected = logitsArr.reduce((s, row, i) => {
      const l = [1, 0, 0.5][i];
      return s - l * logSoftmax(row)[labels.yA[i]] - (1 - l) * logSoftmax(row)[labels.yB[i]];
    }, 0) / 3;
    expect(value(mixLoss(logits(), perSample, 4, {}))).toBeCloseTo(expected, 5);
  });

  test('DecoupleMix adds, for two-class mixes, each class scored without its partner', () => {
    const row = logitsArr[0];
    const one: LabelMix = {yA: Int32Array.from([0]), yB: Int32Array.from([1]), lam: 0.7};
    const without = (drop: number, keep: number) => -logSoftmax(row.filter((_, c) => c !== drop))[keep > drop ? keep - 1 : keep];
    const soft = -(0.7 * logSoftmax(row)[0] + 0.3 * logSoftmax(row)[1]);
    const expected = soft + 0.5 * without(1, 0) + 0.5 * without(0, 1);
    expect(value(mixLoss(tf.tensor2d([row]), one, 4, {use_soft: true, use_mix_decouple: true, eta_weight: 0.5}))).toBeCloseTo(expected, 5);
    // same class on both sides: plain soft CE
    const same: LabelMix = {yA: Int32Array.from([2]), yB: Int32Array.from([2]), lam: 0.7};
    expect(value(mixLoss(tf.tensor2d([row]), same, 4, {use_soft: true, use_mix_decouple: true}))).toBeCloseTo(-logSoftmax(row)[2], 5);
  });

  test('is differentiable in the logits: d soft-CE / dz = (softmax(z) − t)/N', () => {
    const z = logits();
    const g = tf.grad((x: tf.Tensor) => mixLoss(x as tf.Tensor2D, labels, 4, {}))(z).arraySync() as number[][];
    logitsArr.forEach((row, i) => {
      const p = logSoftmax(row).map(Math.exp);
      row.forEach((_, c) => {
        const t = (c === labels.yA[i] ? 0.7 : 0) + (c === labels.yB[i] ? 0.3 : 0);
        expect(g[i][c]).toBeCloseTo((p[c] - t) / 3, 5);
      });
    });
  });

  test.each([
    [{use_soft: true, use_sigmoid: true}, 'model.head.loss.use_soft and model.head.loss.use_sigmoid cannot both be true'],
    [{use_mix_decouple: true}, 'model.head.loss.use_mix_decouple requires model.head.loss.use_soft: true'],
    [{type: 'FocalLoss'}, 'model.head.loss.type must be one of "CrossEntropyLoss", got "FocalLoss"'],
    [{label_smooth_val: 2}, 'model.head.loss.label_smooth_val must be a number in [0, 1], got 2'],
    [{use_sofft: true}, 'model.head.loss has unknown field "use_sofft"'],
    [{reduction: 'sum'}, 'model.head.loss.reduction must be one of "mean", got "sum"'],
    [{class_weight: [1, 2, 1, 1]}, 'model.head.loss.class_weight is not supported, got [1,2,1,1]'],
  ])('rejects %j', (cfg, message) => {
    expect(() => mixLoss(logits(), labels, 4, cfg as never)).toThrow(message);
  });

  test('rejects labels outside the classes', () => {
    expect(() => mixLoss(logits(), {...labels, yB: Int32Array.from([1, 9, 1])}, 4)).toThrow('label 9 is outside [0, 4)');
  });
});

describe('accuracy', () => {
  test('top-1 against yA, in percent', () => {
    expect(accuracyTop1(tf.tensor2d(logitsArr.slice(0, 2)), Int32Array.from([0, 1]))).toBe(50);
  });

  test('acc_mix = λ₁·[top-1 = dominant label] + (1 − λ₁)·[2nd = other label], as OpenMixup', () => {
    const z = tf.tensor2d([[3, 2, 0], [0, 2, 3]]);
    // λ = 0.7 > ½: dominant yA. Row 0: top1 0 = yA ✓ (0.7), 2nd 1 = yB ✓ (0.3). Row 1: top1 2 ≠ yA=1, 2nd 1 ≠ yB=0.
    expect(accuracyMix(z, {yA: Int32Array.from([0, 1]), yB: Int32Array.from([1, 0]), lam: 0.7})).toBeCloseTo(50, 6);
    // λ = 0.3: dominant yB. Row 0: top1 0 ≠ yB=1; 2nd 1 ≠ yA=0 → 0. Row 1: top1 2 = yB ✓ (0.7), 2nd 1 = yA ✓ (0.3) → 1.
    expect(accuracyMix(z, {yA: Int32Array.from([0, 1]), yB: Int32Array.from([1, 2]), lam: 0.3})).toBeCloseTo(50 * (0 + 0.7 + 0.3) / 1, 6);
  });

  test('the device versions equal the host ones (scalar and per-sample λ, random logits)', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 5; trial++) {
      const n = 6;
      const c = 5;
      const z = tf.tensor2d(Array.from({length: n * c}, () => rng.normal()), [n, c]);
      const yA = Int32Array.from({length: n}, () => rng.int(c));
      const yB = Int32Array.from({length: n}, () => rng.int(c));
      const lam = trial % 2 === 0 ? rng.uniform() : Float32Array.from({length: n}, () => rng.uniform());
      const top1 = accuracyTop1Device(z, yA);
      const mix = accuracyMixDevice(z, {yA, yB, lam});
      expect(top1.dataSync()[0]).toBeCloseTo(accuracyTop1(z, yA), 4);
      expect(mix.dataSync()[0]).toBeCloseTo(accuracyMix(z, {yA, yB, lam}), 4);
      tf.dispose([z, top1, mix]);
    }
  });
});

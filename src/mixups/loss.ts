/**
 * Label mixing, losses and accuracies of the reference head (OpenMixup `ClsHead.loss`, `CrossEntropyLoss`,
 * `accuracy` / `accuracy_mixup`), on the label triple `(yA, yB, λ)` of a mixer.
 *
 * `lossCfg` is OpenMixup's `CrossEntropyLoss` dict (`model.head.loss`):
 * - default: `λ·CE(yA) + (1 − λ)·CE(yB)` (the head's `multi_label=False` path), averaged over the batch;
 * - `use_soft`: soft-target CE on the mixed one-hot `t = λ·e(yA) + (1 − λ)·e(yB)`: `−Σ_c t_c·log softmax(z)_c`;
 * - `use_sigmoid`: BCE with logits on `t`, averaged over N·C (the `multi_label=True` BCE path);
 * - `label_smooth_val = s` (> 0): targets `t·(1 − s) + s/C` (for CE: `(1 − s)·CE + s·mean_c(−log softmax)`);
 * - `use_mix_decouple` (needs `use_soft`; DecoupleMix, "Harnessing Hard Mixed Samples with Decoupled Regularizer",
 *   Liu et al., https://arxiv.org/abs/2203.10761): soft CE plus, for each mixed sample (yA ≠ yB, ε < λ < 1 − ε,
 *   λ ≠ ½), `η_A·(−log softmax_{C∖yB}(z)_{yA}) + η_B·(−log softmax_{C∖yA}(z)_{yB})`: each class scored against the
 *   others without its mixing partner. `eta_weight` = η (a number for both, or [η_A, η_B]), default 1.
 * - `loss_weight` scales the result (default 1); `reduction` may only be 'mean' and `class_weight` only null.
 * A per-sample λ (PuzzleMix) weights each sample's terms.
 */
import * as tf from '@tensorflow/tfjs-core';
import {readLossArgs} from '../config/loss-args';
import type {LossConfig as LossDict} from '../config/schema';
import {usageError} from '../errors';
import type {LabelMix} from './types';

/** A `model.head.loss` dict as the config gives it (any field left out takes the catalog's default). */
export type LossConfig = Partial<LossDict>;

interface ParsedLoss {
  sigmoid: boolean;
  soft: boolean;
  decouple: boolean;
  smooth: number;
  weight: number;
  eta: [number, number];
}

/** The ε of OpenMixup's decoupled loss: labels below it count as absent. */
const DECOUPLE_EPS = 1e-3;

/** Validates a loss dict (`src/config/loss-args.ts`); errors name `model.head.loss.<field>`. */
export function parseLossConfig(cfg: LossConfig = {}): ParsedLoss {
  const a = readLossArgs(cfg as Record<string, unknown>);
  return {sigmoid: a.use_sigmoid, soft: a.use_soft, decouple: a.use_mix_decouple, smooth: a.label_smooth_val, weight: a.loss_weight, eta: a.eta_weight};
}

/** λ per sample as an N×1 array. */
function lamPerSample(labels: LabelMix): Float32Array {
  const n = labels.yA.length;
  if (typeof labels.lam === 'number') return new Float32Array(n).fill(labels.lam);
  if (labels.lam.length !== n) throw usageError(`label mix has ${n} samples but ${labels.lam.length} lam values`);
  return labels.lam;
}

function checkLabels(labels: LabelMix, n: number, numClasses: number): void {
  if (labels.yA.length !== n || labels.yB.length !== n) throw usageError(`label mix has ${labels.yA.length}/${labels.yB.length} labels for ${n} rows of logits`);
  for (const y of [...labels.yA, ...labels.yB]) {
    if (!(y >= 0 && y < numClasses)) throw usageError(`label ${y} is outside [0, ${numClasses}) (numClasses = ${numClasses})`);
  }
}

/** Row-major N×C one-hot of `y`. */
function oneHotArray(y: Int32Array, numClasses: number): Float32Array {
  const out = new Float32Array(y.length * numClasses);
  y.forEach((c, i) => (out[i * numClasses + c] = 1));
  return out;
}

/** The mixed one-hot targets `t = λ·e(yA) + (1 − λ)·e(yB)` (N×C, rows sum to 1). */
export function mixedOneHot(labels: LabelMix, numClasses: number): tf.Tensor2D {
  const n = labels.yA.length;
  checkLabels(labels, n, numClasses);
  const lam = lamPerSample(labels);
  const t = new Float32Array(n * numClasses);
  for (let i = 0; i < n; i++) {
    t[i * numClasses + labels.yA[i]] += lam[i];
    t[i * numClasses + labels.yB[i]] += 1 - lam[i];
  }
  return tf.tensor2d(t, [n, numClasses]);
}

/**
 * The mixup loss of one batch: a differentiable scalar of `logits` (N×C). See the module comment for each option.
 */
export function mixLoss(logits: tf.Tensor2D, labels: LabelMix, numClasses: number, lossCfg: LossConfig = {}): tf.Scalar {
  const cfg = parseLossConfig(lossCfg);
  const [n, c] = logits.shape;
  if (c !== numClasses) throw usageError(`logits have ${c} classes but numClasses is ${numClasses}`);
  checkLabels(labels, n, numClasses);
  const lam = lamPerSample(labels);
  return tf.tidy(() => {
    const smooth = (t: tf.Tensor2D) => (cfg.smooth > 0 ? tf.add(tf.mul(t, 1 - cfg.smooth), cfg.smooth / numClasses) : t);
    let perSample: tf.Tensor;
    if (cfg.sigmoid) {
      const t = smooth(mixedOneHot(labels, numClasses));
      // BCE with logits: max(z, 0) − z·t + log(1 + e^{−|z|}), averaged over N·C
      const bce = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, t)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
      return tf.mul(tf.mean(bce), cfg.weight) as tf.Scalar;
    }
    const logp = tf.logSoftmax(logits);
    if (cfg.soft) {
      perSample = tf.neg(tf.sum(tf.mul(smooth(mixedOneHot(labels, numClasses)), logp), 1));
      if (cfg.decouple) perSample = tf.add(perSample, decoupledTerm(logits, labels, lam, cfg.eta));
    } else {
      const lamT = tf.tensor1d(lam);
      const nll = (y: Int32Array) => {
        const picked = tf.neg(tf.sum(tf.mul(tf.tensor2d(oneHotArray(y, numClasses), [n, numClasses]), logp), 1));
        return cfg.smooth > 0 ? tf.add(tf.mul(picked, 1 - cfg.smooth), tf.mul(tf.neg(tf.mean(logp, 1)), cfg.smooth)) : picked;
      };
      perSample = tf.add(tf.mul(lamT, nll(labels.yA)), tf.mul(tf.sub(1, lamT), nll(labels.yB)));
    }
    return tf.mul(tf.mean(perSample), cfg.weight) as tf.Scalar;
  });
}

/** DecoupleMix's extra per-sample term (N), zero for samples that are not a two-class mix. */
function decoupledTerm(logits: tf.Tensor2D, labels: LabelMix, lam: Float32Array, eta: [number, number]): tf.Tensor1D {
  const [n, c] = logits.shape;
  const active = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const mixed = labels.yA[i] !== labels.yB[i] && lam[i] > DECOUPLE_EPS && lam[i] < 1 - DECOUPLE_EPS && Math.abs(lam[i] - 0.5) > 1e-6;
    active[i] = mixed ? 1 : 0;
  }
  const oneHot = (y: Int32Array) => tf.tensor2d(oneHotArray(y, c), [n, c]);
  // −log softmax over the classes except `other`, at `target`: logsumexp(z without other) − z_target
  const term = (target: Int32Array, other: Int32Array) =>
    tf.sub(tf.logSumExp(tf.add(logits, tf.mul(oneHot(other), -1e9)), 1), tf.sum(tf.mul(logits, oneHot(target)), 1));
  return tf.mul(tf.tensor1d(active), tf.add(tf.mul(eta[0], term(labels.yA, labels.yB)), tf.mul(eta[1], term(labels.yB, labels.yA)))) as tf.Tensor1D;
}

/** The two best classes of each row. */
function top2(logits: tf.Tensor2D): Int32Array {
  const k = Math.min(2, logits.shape[1]);
  return tf.tidy(() => tf.topk(logits, k).indices.dataSync() as Int32Array);
}

/** Top-1 accuracy in percent (OpenMixup `accuracy(pred, target)`, the `acc` log field). */
export function accuracyTop1(logits: tf.Tensor2D, labels: Int32Array): number {
  const [n] = logits.shape;
  if (labels.length !== n) throw usageError(`${labels.length} labels for ${n} rows of logits`);
  const best = tf.tidy(() => tf.argMax(logits, 1).dataSync() as Int32Array);
  let correct = 0;
  for (let i = 0; i < n; i++) if (best[i] === labels[i]) correct++;
  return (100 * correct) / n;
}

/** Per sample, the dominant label and its weight `(y₁, λ₁) = λ > ½ ? (yA, λ) : (yB, 1 − λ)`, and the other label y₂. */
function dominantLabels(labels: LabelMix, n: number): {y1: Int32Array; y2: Int32Array; l1: Float32Array} {
  const lam = lamPerSample(labels);
  const y1 = new Int32Array(n);
  const y2 = new Int32Array(n);
  const l1 = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const first = lam[i] > 0.5;
    y1[i] = first ? labels.yA[i] : labels.yB[i];
    y2[i] = first ? labels.yB[i] : labels.yA[i];
    l1[i] = first ? lam[i] : 1 - lam[i];
  }
  return {y1, y2, l1};
}

/**
 * Mixup accuracy in percent (OpenMixup `accuracy_mixup`, the `acc_mix` log field): with the dominant label
 * `(y₁, λ₁) = λ > ½ ? (yA, λ) : (yB, 1 − λ)` and the other `(y₂, 1 − λ₁)`,
 * `acc_mix = λ₁·top1(y₁) + (1 − λ₁)·[2nd best = y₂]`, per sample when λ is per sample.
 */
export function accuracyMix(logits: tf.Tensor2D, labels: LabelMix): number {
  const [n, c] = logits.shape;
  checkLabels(labels, n, c);
  const {y1, y2, l1} = dominantLabels(labels, n);
  const k = Math.min(2, c);
  const top = top2(logits);
  let score = 0;
  for (let i = 0; i < n; i++) {
    if (top[i * k] === y1[i]) score += l1[i];
    if (k > 1 && top[i * k + 1] === y2[i]) score += 1 - l1[i];
  }
  return (100 * score) / n;
}

/**
 * `accuracyTop1` as a device scalar (no host sync): mean over rows of [argmax(logits) = label] · 100.
 * The training loop accumulates these and reads them once per log interval.
 */
export function accuracyTop1Device(logits: tf.Tensor2D, labels: Int32Array): tf.Scalar {
  const [n] = logits.shape;
  if (labels.length !== n) throw usageError(`${labels.length} labels for ${n} rows of logits`);
  return tf.tidy(() => tf.mul(tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.tensor1d(labels, 'int32')), 'float32')), 100) as tf.Scalar);
}

/**
 * `accuracyMix` as a device scalar (no host sync): the same formula,
 * `acc_mix = mean_i( λ₁·[top1 = y₁] + (1 − λ₁)·[2nd best = y₂] ) · 100`, with the dominant label chosen on the host
 * from λ (known there) and the ranking kept on the device.
 */
export function accuracyMixDevice(logits: tf.Tensor2D, labels: LabelMix): tf.Scalar {
  const [n, c] = logits.shape;
  checkLabels(labels, n, c);
  const {y1, y2, l1} = dominantLabels(labels, n);
  return tf.tidy(() => {
    const top = tf.topk(logits, Math.min(2, c)).indices; // N×k
    const hit = (col: number, y: Int32Array) => tf.cast(tf.equal(tf.squeeze(tf.slice(top, [0, col], [n, 1]), [1]), tf.tensor1d(y, 'int32')), 'float32');
    const w1 = tf.tensor1d(l1);
    let score: tf.Tensor = tf.mul(hit(0, y1), w1);
    if (c > 1) score = tf.add(score, tf.mul(hit(1, y2), tf.sub(1, w1)));
    return tf.mul(tf.mean(score), 100) as tf.Scalar;
  });
}

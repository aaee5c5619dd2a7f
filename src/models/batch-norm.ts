/**
 * Batch norm over the channels of an NHWC map with torch `BatchNorm2d` semantics (eps 1e-5, momentum 0.1), shared
 * by the ResNet backbones and the Mix Block's value neck. Eval mode normalises with the running statistics;
 * training mode with the batch's (`batchNormTrain`, src/backend/ops.ts) and updates the running ones as PyTorch does:
 *
 *     running_mean ← 0.9·running_mean + 0.1·μ_B,   running_var ← 0.9·running_var + 0.1·σ²_B·m/(m−1),  m = N·H·W
 */
import * as tf from '@tensorflow/tfjs-core';
import {batchNormTrain} from '../backend/ops';

const BN_EPS = 1e-5;
const BN_MOMENTUM = 0.1;

/** The variables of one BN layer (torch names `weight`, `bias`, `running_mean`, `running_var`). */
export interface BatchNormVariables {
  weight: tf.Variable;
  bias: tf.Variable;
  runningMean: tf.Variable;
  runningVar: tf.Variable;
}

/**
 * y = γ·(x − μ)/√(σ² + eps) + β over the channels of `x` (N×H×W×C).
 * @param tooFewValues the error to throw in training mode when the batch has fewer than 2 values per channel (the
 *   unbiased variance needs m ≥ 2); the caller names the layer
 */
export function batchNorm2d(x: tf.Tensor4D, v: BatchNormVariables, training: boolean, tooFewValues: () => Error): tf.Tensor4D {
  const gamma = v.weight as tf.Tensor as tf.Tensor1D;
  const beta = v.bias as tf.Tensor as tf.Tensor1D;
  if (!training) return tf.batchNorm4d(x, v.runningMean as tf.Tensor as tf.Tensor1D, v.runningVar as tf.Tensor as tf.Tensor1D, beta, gamma, BN_EPS);
  const [n, h, w] = x.shape;
  const m = n * h * w; // values per channel in the batch
  if (m < 2) throw tooFewValues();
  const {y, mean, variance} = batchNormTrain(x, gamma, beta, BN_EPS);
  tf.tidy(() => {
    v.runningMean.assign(tf.add(tf.mul(v.runningMean, 1 - BN_MOMENTUM), tf.mul(mean, BN_MOMENTUM)));
    v.runningVar.assign(tf.add(tf.mul(v.runningVar, 1 - BN_MOMENTUM), tf.mul(variance, (BN_MOMENTUM * m) / (m - 1))));
  });
  return y;
}

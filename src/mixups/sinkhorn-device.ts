/**
 * alignmix's Sinkhorn plan computed on the device, in tf ops, for backends that cannot read a tensor synchronously
 * inside the forward pass (webgpu in Node). Same log-domain formula as the host `sinkhornPlan` (OpenMixup's
 * `SinkhornDistance`) and the same stopping rule: the host loop breaks after the first iteration whose batch mean of
 * Σ_j |Δu_j| is below `SINKHORN_THRESHOLD`; here that test cannot be read back, so all `maxIter` iterations run and a
 * device-side `done` flag, set after that iteration, freezes `u` and `v` from then on (the same plan as breaking).
 */
import * as tf from '@tensorflow/tfjs-core';

/** Sinkhorn stops when the mean over the batch of Σ_j |Δu_j| drops below this (OpenMixup's `thresh`). */
export const SINKHORN_THRESHOLD = 0.1;

/**
 * The plans `P` (N×n×n, rows and columns summing to 1/n) between `a[i]` and `b[i]` (N×n×C each) and the number of
 * iterations the host loop would have run (a scalar tensor: reading it is the caller's choice).
 */
export function sinkhornPlanDevice(a: tf.Tensor3D, b: tf.Tensor3D, eps: number, maxIter: number): {plan: tf.Tensor3D; iterations: tf.Scalar} {
  const [nb, n] = a.shape;
  const logMarginal = -Math.log(n);
  // C_ijk = ‖a_ij − b_ik‖², as OpenMixup's `_cost_matrix` (differences, not the expanded ‖a‖² + ‖b‖² − 2a·b)
  const cost = tf.tidy(() => tf.sum(tf.square(tf.sub(tf.expandDims(a, 2), tf.expandDims(b, 1))), 3)) as tf.Tensor3D;
  const scores = (u: tf.Tensor2D, v: tf.Tensor2D) => tf.div(tf.add(tf.sub(tf.expandDims(u, 2), cost), tf.expandDims(v, 1)), eps); // M_jk = (−C_jk + u_j + v_k)/eps
  let u = tf.zeros([nb, n]) as tf.Tensor2D;
  let v = tf.zeros([nb, n]) as tf.Tensor2D;
  let done = tf.scalar(false, 'bool');
  let iterations = tf.scalar(0, 'int32');
  for (let it = 0; it < maxIter; it++) {
    const next = tf.tidy(() => {
      const uNext = tf.add(tf.mul(eps, tf.sub(logMarginal, tf.logSumExp(scores(u, v), 2))), u);
      const change = tf.div(tf.sum(tf.abs(tf.sub(uNext, u))), nb);
      const u2 = tf.where(done, u, uNext) as tf.Tensor2D;
      const vNext = tf.add(tf.mul(eps, tf.sub(logMarginal, tf.logSumExp(scores(u2, v), 1))), v);
      const v2 = tf.where(done, v, vNext) as tf.Tensor2D;
      const counted = tf.add(iterations, tf.cast(tf.logicalNot(done), 'int32')) as tf.Scalar;
      return {u: u2, v: v2, done: tf.logicalOr(done, tf.less(change, SINKHORN_THRESHOLD)) as tf.Scalar, iterations: counted};
    });
    tf.dispose([u, v, done, iterations]);
    ({u, v, done, iterations} = next);
  }
  const plan = tf.tidy(() => tf.exp(scores(u, v))) as tf.Tensor3D;
  tf.dispose([cost, u, v, done]);
  return {plan, iterations};
}

/**
 * The device plan as a constant for the backward pass (OpenMixup's `.detach()`): inside `tf.grad`/`variableGrads`
 * its gradients to `a` and `b` are zero, so the features get gradient only through the interpolation.
 */
export function detachedSinkhornPlan(a: tf.Tensor3D, b: tf.Tensor3D, eps: number, maxIter: number): tf.Tensor3D {
  const solve = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, y] = inputs as tf.Tensor3D[];
    const {plan, iterations} = sinkhornPlanDevice(x, y, eps, maxIter);
    iterations.dispose();
    return {value: plan, gradFunc: () => [tf.zerosLike(x), tf.zerosLike(y)]};
  });
  return solve(a, b) as tf.Tensor3D;
}

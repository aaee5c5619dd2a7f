/**
 * AutoMix's momentum (EMA) encoder update and the cosine schedules of its momentum and mask-loss weight.
 *
 * Paper: Liu et al., "AutoMix: Unveiling the Power of Mixup for Stronger Classifiers" (https://arxiv.org/abs/2103.13027),
 * which keeps a momentum copy θ_k of the online encoder θ_q (as MoCo does). OpenMixup: `AutoMixup._momentum_update`
 * (`param_k = param_k·m + param_q·(1 − m)` over the parameters; buffers are not averaged), `CosineScheduleHook`
 * (momentum from `momentum` = 0.999 up to `end_momentum` = 0.99999) and `CustomCosineAnnealingHook`
 * (`mask_loss` from 0.1 down to 0), both by iteration.
 */
import * as tf from '@tensorflow/tfjs-core';
import {showValue} from '../../errors';

/**
 * In-place EMA update of the momentum encoder, for every name:
 *
 *     θ_k ← m · θ_k + (1 − m) · θ_q
 *
 * @param target θ_k, updated in place (`Variable.assign`)
 * @param online θ_q, read only
 * @param momentum m ∈ [0, 1]
 * @throws RangeError naming the first key missing on either side or whose shapes differ (before anything is assigned)
 */
export function emaUpdate(target: Map<string, tf.Variable>, online: Map<string, tf.Variable>, momentum: number): void {
  if (!(momentum >= 0 && momentum <= 1)) throw new RangeError(`emaUpdate: momentum must be in [0, 1], got ${momentum}`);
  for (const [name, t] of target) {
    const q = online.get(name);
    if (q === undefined) throw new RangeError(`emaUpdate: parameter "${name}" of the momentum encoder is missing from the online encoder`);
    if (t.shape.length !== q.shape.length || t.shape.some((d, i) => d !== q.shape[i])) {
      throw new RangeError(`emaUpdate: parameter "${name}" has shape [${t.shape.join(', ')}] in the momentum encoder but [${q.shape.join(', ')}] in the online encoder`);
    }
  }
  for (const name of online.keys()) {
    if (!target.has(name)) throw new RangeError(`emaUpdate: parameter "${name}" of the online encoder is missing from the momentum encoder`);
  }
  tf.tidy(() => {
    for (const [name, t] of target) {
      const q = online.get(name) as tf.Variable;
      t.assign(tf.add(tf.mul(t, momentum), tf.mul(q, 1 - momentum)));
    }
  });
}

/** Checks 0 ≤ iter ≤ maxIters, maxIters > 0 (integers) and returns iter / maxIters. */
function progress(iter: number, maxIters: number, where: string): number {
  if (!Number.isInteger(maxIters) || maxIters <= 0) throw new RangeError(`${where}: maxIters must be a positive integer, got ${maxIters}`);
  if (!Number.isInteger(iter) || iter < 0 || iter > maxIters) throw new RangeError(`${where}: iter must be an integer in [0, ${maxIters}], got ${iter}`);
  return iter / maxIters;
}

/**
 * Cosine interpolation from `start` (at iter 0) to `end` (at iter = maxIters), mmcv's `annealing_cos`:
 *
 *     v(t) = end + (start − end) · (1 + cos(π · t / T)) / 2
 *
 * Monotone between the two end points.
 */
export function cosineSchedule(start: number, end: number, iter: number, maxIters: number): number {
  const t = progress(iter, maxIters, 'cosineSchedule');
  return end + (start - end) * (1 + Math.cos(Math.PI * t)) / 2;
}

/**
 * EMA momentum at an iteration (OpenMixup `CosineScheduleHook`): m(t) = m_end − (m_end − m_base)·(1 + cos(πt/T))/2,
 * from `base` (0.999 in the AutoMix configs) to `end` (0.99999).
 */
export function momentumAt(iter: number, maxIters: number, base = 0.999, end = 0.99999): number {
  if (!(base >= 0 && base <= 1 && end >= 0 && end <= 1)) throw new RangeError(`momentumAt: base and end must be in [0, 1], got ${base} and ${end}`);
  return cosineSchedule(base, end, iter, maxIters);
}

/**
 * Mask-loss weight at an iteration (OpenMixup `CustomCosineAnnealingHook` on `mask_loss`): from `base` (0.1 in the
 * AutoMix configs) to `end` (0) by the same cosine.
 */
export function maskLossWeightAt(iter: number, maxIters: number, base = 0.1, end = 0): number {
  if (!(base >= 0 && end >= 0)) throw new RangeError(`maskLossWeightAt: base and end must be >= 0, got ${base} and ${end}`);
  return cosineSchedule(base, end, iter, maxIters);
}

/**
 * EMA momentum at iteration `iter` (0-based, mmcv `runner.iter`) exactly as OpenMixup's
 * `CosineScheduleHook.before_train_iter` sets it (with its default `restart_step`), max_iter = int(T·scope[1]) when
 * scope[1] < 1 else T, min_iter = int(T·scope[0]):
 *
 *     min_iter ≤ t ≤ max_iter:  m = end − (end − base)·(cos(π·t / max_iter) + 1)/2       (m = 0 at t = 0: OpenMixup's
 *                                                                                        `t % restart_step == 0`)
 *     t < min_iter:             'constant': m = base;  'linear': m = end − (end − base)·(min_iter − t)/min_iter
 *     t > max_iter:             the hook leaves m alone: the value set at max_iter (= end)
 *
 * The AutoMix / SAMix configs: base 0.999 (`model.momentum`), end 0.99999, scope [0.1, 1.0], 'constant'.
 * @param iter current iteration, an integer ≥ 0
 * @param maxIters total iterations T ≥ 1
 * @param base `model.momentum` (≤ end)
 * @param end `end_momentum`
 * @param adjustScope [s0, s1], 0 ≤ s0 ≤ s1
 * @param warmingUp before min_iter
 */
export function cosineScheduleHookMomentum(iter: number, maxIters: number, base: number, end: number,
  adjustScope: [number, number], warmingUp: 'constant' | 'linear'): number {
  const where = 'cosineScheduleHookMomentum';
  if (!Number.isInteger(maxIters) || maxIters < 1) throw new RangeError(`${where}: maxIters must be a positive integer, got ${maxIters}`);
  if (!Number.isInteger(iter) || iter < 0) throw new RangeError(`${where}: iter must be an integer >= 0, got ${iter}`);
  if (!(base <= end)) throw new RangeError(`${where}: base momentum ${base} must be <= end momentum ${end}`);
  const [s0, s1] = adjustScope ?? [];
  if (!(Array.isArray(adjustScope) && adjustScope.length === 2 && s0 >= 0 && s0 <= s1)) {
    throw new RangeError(`${where}: adjustScope must be [s0, s1] with 0 <= s0 <= s1, got ${showValue(adjustScope)}`);
  }
  if (warmingUp !== 'constant' && warmingUp !== 'linear') throw new RangeError(`${where}: warmingUp must be 'constant' or 'linear', got ${showValue(warmingUp)}`);
  const maxIter = s1 < 1 ? Math.floor(maxIters * s1) : maxIters;
  const minIter = s0 > 0 ? Math.floor(maxIters * s0) : 0;
  if (maxIter < 1) throw new RangeError(`${where}: adjustScope[1] = ${s1} leaves no iteration to adjust over (int(${maxIters}·${s1}) = 0)`);
  const t = Math.min(iter, maxIter);  // after max_iter the hook keeps the last value
  if (t < minIter) return warmingUp === 'constant' ? base : end - (end - base) * (minIter - t) / minIter;
  if (t === 0) return 0;  // OpenMixup: cur_iter % restart_step == 0 (restart_step = 1e10) sets m = 0
  return end - (end - base) * (Math.cos(Math.PI * t / maxIter) + 1) / 2;
}

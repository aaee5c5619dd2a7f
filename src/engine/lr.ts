/**
 * Learning-rate schedules as mmcv's `LrUpdaterHook`s compute them (`lr_config` of the reference configs).
 *
 * - `CosineAnnealing`: `lr = min_lr + (base_lr − min_lr) · (1 + cos(π · progress / max_progress)) / 2`
 *   (mmcv `annealing_cos`); `min_lr_ratio` gives `min_lr = base_lr · min_lr_ratio`.
 * - `step`: `lr = base_lr · gamma^k`, k = number of milestones `step` (list) already reached, or
 *   `floor(progress / step)` for an integer `step`; never below `min_lr` (default 0).
 * - `fixed`: `lr = base_lr`.
 * `by_epoch` (default true) makes progress the 0-based epoch (lr constant inside an epoch); false makes it the
 * global 0-based iteration. Optional linear warm-up (`warmup: 'linear'|'constant'|'exp'`, `warmup_iters`,
 * `warmup_ratio`, `warmup_by_epoch`) as mmcv's `get_warmup_lr`.
 */
import type {LrConfig} from '../config/schema';

/** Computes the lr of one iteration. */
export interface LrSchedule {
  /** @param epoch 0-based epoch @param iter 0-based global iteration */
  lrAt(epoch: number, iter: number): number;
}

/**
 * Builds the schedule of `lr_config` (validated, defaults filled in: `loadConfig`) for a run of `maxEpochs` epochs
 * of `itersPerEpoch` iterations.
 */
export function buildLrSchedule(c: LrConfig, baseLr: number, maxEpochs: number, itersPerEpoch: number): LrSchedule {
  const {policy, by_epoch: byEpoch, gamma, step: steps, warmup, warmup_ratio: ratio} = c;
  const maxIters = maxEpochs * itersPerEpoch;
  const minLr = c.min_lr_ratio !== undefined ? baseLr * c.min_lr_ratio : c.min_lr; // CosineAnnealing's end
  const warmupIters = c.warmup_by_epoch ? c.warmup_iters * itersPerEpoch : c.warmup_iters;
  const regular = (epoch: number, iter: number): number => {
    const progress = byEpoch ? epoch : iter;
    const maxProgress = byEpoch ? maxEpochs : maxIters;
    if (policy === 'CosineAnnealing') return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos((Math.PI * progress) / maxProgress));
    if (policy === 'step') {
      // the schema requires `step` with policy "step"
      const k = typeof steps === 'number' ? Math.floor(progress / steps) : (steps ?? []).filter((s) => progress >= s).length;
      return Math.max(baseLr * Math.pow(gamma, k), c.min_lr);
    }
    return baseLr;
  };
  return {
    lrAt(epoch: number, iter: number): number {
      const lr = regular(epoch, iter);
      if (warmup === null || iter >= warmupIters) return lr;
      if (warmup === 'constant') return lr * ratio;
      if (warmup === 'linear') return lr * (1 - (1 - iter / warmupIters) * (1 - ratio));
      return lr * Math.pow(ratio, 1 - iter / warmupIters);
    },
  };
}

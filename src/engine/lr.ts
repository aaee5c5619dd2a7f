/**
 * Learning-rate schedules as mmcv's `LrUpdaterHook`s compute them (`lr_config` of the reference configs).
 *
 * - `CosineAnnealing`: `lr = min_lr + (base_lr − min_lr) · (1 + cos(π · progress / max_progress)) / 2`
 *   (mmcv `annealing_cos`); `min_lr_ratio` gives `min_lr = base_lr · min_lr_ratio`.
 * - `step`: `lr = base_lr · gamma^k`, k = number of milestones `step` (list) already reached, or
 *   `floor(progress / step)` for an integer `step`; never below `min_lr` when set.
 * - `fixed`: `lr = base_lr`.
 * `by_epoch` (default true) makes progress the 0-based epoch (lr constant inside an epoch); false makes it the
 * global 0-based iteration. Optional linear warm-up (`warmup: 'linear'|'constant'|'exp'`, `warmup_iters`,
 * `warmup_ratio`, `warmup_by_epoch`) as mmcv's `get_warmup_lr`.
 */
import {usageError} from '../errors';

/** The `lr_config` fields the engine reads. */
export interface LrConfig {
  policy?: string;
  by_epoch?: boolean;
  min_lr?: number;
  min_lr_ratio?: number;
  step?: number | number[];
  gamma?: number;
  warmup?: string | null;
  warmup_iters?: number;
  warmup_ratio?: number;
  warmup_by_epoch?: boolean;
}

/** Computes the lr of one iteration. */
export interface LrSchedule {
  /** @param epoch 0-based epoch @param iter 0-based global iteration */
  lrAt(epoch: number, iter: number): number;
}

const POLICIES = ['CosineAnnealing', 'step', 'fixed'];

function num(value: unknown, field: string, source: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw usageError(`${source}: lr_config.${field} must be a number, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * Builds the schedule of `lr_config` for a run of `maxEpochs` epochs of `itersPerEpoch` iterations.
 * @param source the config path, named in errors
 */
export function buildLrSchedule(cfg: LrConfig | undefined, baseLr: number, maxEpochs: number, itersPerEpoch: number, source: string): LrSchedule {
  const c = cfg ?? {policy: 'fixed'};
  const policy = c.policy ?? 'fixed';
  if (!POLICIES.includes(policy)) throw usageError(`${source}: lr_config.policy ${JSON.stringify(policy)} is not supported; expected one of ${POLICIES.join(', ')}`);
  const byEpoch = c.by_epoch ?? true;
  const maxIters = maxEpochs * itersPerEpoch;
  const minLr = c.min_lr_ratio !== undefined ? baseLr * num(c.min_lr_ratio, 'min_lr_ratio', source, 0) : num(c.min_lr, 'min_lr', source, 0);
  const gamma = num(c.gamma, 'gamma', source, 0.1);
  const steps = c.step;
  if (policy === 'step' && !(typeof steps === 'number' || (Array.isArray(steps) && steps.every((s) => typeof s === 'number')))) {
    throw usageError(`${source}: lr_config.step must be a number or a list of numbers for policy "step", got ${JSON.stringify(steps)}`);
  }
  const regular = (epoch: number, iter: number): number => {
    const progress = byEpoch ? epoch : iter;
    const maxProgress = byEpoch ? maxEpochs : maxIters;
    if (policy === 'CosineAnnealing') return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos((Math.PI * progress) / maxProgress));
    if (policy === 'step') {
      const k = typeof steps === 'number' ? Math.floor(progress / steps) : (steps as number[]).filter((s) => progress >= s).length;
      const lr = baseLr * Math.pow(gamma, k);
      return c.min_lr !== undefined ? Math.max(lr, minLr) : lr;
    }
    return baseLr;
  };
  const warmup = c.warmup ?? null;
  if (warmup !== null && !['linear', 'constant', 'exp'].includes(warmup)) {
    throw usageError(`${source}: lr_config.warmup ${JSON.stringify(warmup)} is not supported; expected linear, constant or exp`);
  }
  const ratio = num(c.warmup_ratio, 'warmup_ratio', source, 0.1);
  const warmupIters = c.warmup_by_epoch ? num(c.warmup_iters, 'warmup_iters', source, 0) * itersPerEpoch : num(c.warmup_iters, 'warmup_iters', source, 0);
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

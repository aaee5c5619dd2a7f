/**
 * Gradient accumulation, `optimizer_config.update_interval: N`, as OpenMixup's `DistOptimizerHook`
 * (`openmixup/core/hooks/optimizer_hook.py`) does it: the loss of every iteration is divided by N and
 * back-propagated into the summed gradients, and the optimizer steps (then zeroes them) every N iterations, so N
 * batches of B images make one step of an N·B batch:
 *
 *     g_step = Σ_{i in group} ∇ L_i / N          (L_i: the mean loss of batch i)
 *
 * Groups run over the global iteration count, across epoch boundaries (mmcv's `every_n_iters`); the last group of
 * a run holds the remaining `T mod N` iterations and divides by that count instead (OpenMixup's `remainder_iters`,
 * `is_last_iter`). Everything else counts data iterations, as in OpenMixup: the lr schedule (`runner.iter` /
 * `runner.epoch`; a step uses the lr of the iteration that closes its group), `log_config.interval`, the logged
 * loss (the batch's, before the division) and the `iter` of log lines and checkpoints.
 *
 * Unlike OpenMixup, whose checkpoints do not hold the summed gradients (its hook warns that "the gradient of some
 * iters is lost" when a run resumes mid-group), the open group's gradients, iteration count and divisor are saved
 * in the checkpoint (`grad_accum/<name>`, meta `accumulation`), so a resumed run takes the same steps as an
 * uninterrupted one.
 */
import * as tf from '@tensorflow/tfjs-core';
import {dataError} from '../errors';

/** The open group of a run: iterations added so far, the divisor chosen when it opened, the summed gradients. */
export interface AccumulationState {
  iters: number;
  factor: number;
  grads: ReadonlyMap<string, tf.Tensor>;
}

/** Sums gradients over `interval` iterations and hands them to the optimizer once per group. */
export class GradAccumulation {
  private grads = new Map<string, tf.Tensor>();
  private iters = 0;
  private factor = 1;

  /**
   * @param interval N of `optimizer_config.update_interval` (1: every iteration steps, nothing is copied)
   * @param totalIters iterations of the whole run (`max_epochs × iters per epoch`), for the last group's divisor
   */
  constructor(
    readonly interval: number,
    private readonly totalIters: number,
  ) {
    if (!Number.isInteger(interval) || interval < 1) throw new RangeError(`update_interval must be an integer >= 1, got ${interval}`);
  }

  /**
   * Adds the gradients of iteration `iter` (0-based, global; owned and disposed by the caller) and calls `apply`
   * with the gradients of one optimizer step when this iteration closes its group.
   * @returns whether the optimizer stepped
   */
  add(grads: Record<string, tf.Tensor>, iter: number, apply: (grads: Record<string, tf.Tensor>) => void): boolean {
    if (this.interval === 1) {
      apply(grads);
      return true;
    }
    if (this.iters === 0) this.factor = Math.min(this.interval, Math.max(1, this.totalIters - iter));
    const factor = this.factor;
    for (const [name, g] of Object.entries(grads)) {
      const previous = this.grads.get(name);
      this.grads.set(name, tf.tidy(() => {
        const scaled = factor === 1 ? tf.clone(g) : tf.div(g, factor);
        return previous === undefined ? scaled : tf.add(previous, scaled);
      }));
      previous?.dispose();
    }
    this.iters++;
    if (this.iters < factor && iter + 1 < this.totalIters) return false;
    try {
      apply(Object.fromEntries(this.grads));
    } finally {
      this.clear();
    }
    return true;
  }

  /** The open group (saved in checkpoints), or undefined when no gradients are pending. */
  state(): AccumulationState | undefined {
    return this.iters === 0 ? undefined : {iters: this.iters, factor: this.factor, grads: this.grads};
  }

  /**
   * Restores a group saved by `state()` (the tensors are copied). Names must be parameters with the same shapes.
   * @throws MixupError (data) naming `source` when the state does not fit this run
   */
  load(state: AccumulationState, params: ReadonlyMap<string, tf.Variable>, source: string): void {
    if (this.interval === 1) {
      throw dataError(`${source}: holds gradients of ${state.iters} iteration(s) accumulated towards an optimizer step, but optimizer_config.update_interval is 1 in this config`, {
        suggestions: ['Resume with the update_interval the run was started with, or use --force to start over.'],
      });
    }
    if (!(Number.isInteger(state.iters) && Number.isInteger(state.factor) && state.iters >= 1 && state.iters < state.factor && state.factor <= this.interval)) {
      throw dataError(`${source}: accumulation of ${state.iters} iteration(s) towards a step of ${state.factor} does not fit optimizer_config.update_interval ${this.interval}`);
    }
    for (const [name, value] of state.grads) {
      const p = params.get(name);
      if (!p) throw dataError(`${source}: accumulated gradient "${name}" has no matching parameter`);
      if (!tf.util.arraysEqual(p.shape, value.shape)) throw dataError(`${source}: accumulated gradient "${name}" has shape [${value.shape}], parameter has [${p.shape}]`);
    }
    this.clear();
    for (const [name, value] of state.grads) this.grads.set(name, tf.clone(value));
    this.iters = state.iters;
    this.factor = state.factor;
  }

  private clear(): void {
    for (const g of this.grads.values()) g.dispose();
    this.grads.clear();
    this.iters = 0;
  }

  /** Frees the pending gradients. */
  dispose(): void {
    this.clear();
  }
}

/**
 * SGD with momentum and weight decay exactly as PyTorch's `torch.optim.SGD` (the reference's optimizer):
 *
 *     d = g + weight_decay · p                      (L2 decay added to the gradient, every parameter)
 *     buf = d                           (first step)
 *     buf = momentum · buf + (1 − dampening) · d    (later steps)
 *     d = nesterov ? d + momentum · buf : buf
 *     p = p − lr · d
 *
 * plus mmcv's optional `optimizer_config.grad_clip = {max_norm}` (`clip_grad_norm_`, L2 over all gradients:
 * `g ← g · min(1, max_norm / (‖g‖ + 1e−6))`), computed on the device without a host sync.
 *
 * On the `native` backend the update is one fused addon call per step, in place over each parameter and buffer
 * (`src/backend/native/sgd.ts`; the same f32 arithmetic, so the same numbers); elsewhere it is the tfjs ops below.
 */
import * as tf from '@tensorflow/tfjs-core';
import {fusedSgdAvailable, fusedSgdStep} from '../backend/native/sgd';
import {dataError} from '../errors';

/** Hyper-parameters of `optimizer` (OpenMixup names). */
export interface SgdOptions {
  momentum: number;
  weightDecay: number;
  dampening?: number;
  nesterov?: boolean;
  /** `optimizer_config.grad_clip.max_norm`; undefined = no clipping */
  maxGradNorm?: number;
}

/** Momentum-SGD over a fixed set of named variables; its momentum buffers can be saved and restored. */
export class Sgd {
  private readonly buffers = new Map<string, tf.Variable>();

  constructor(
    private readonly params: ReadonlyMap<string, tf.Variable>,
    private readonly options: SgdOptions,
  ) {}

  /**
   * One update with the given gradients (disposed by the caller). Parameters without a gradient are left alone.
   * @param lr learning rate of this iteration
   */
  step(grads: Record<string, tf.Tensor>, lr: number): void {
    const names = [...this.params.keys()].filter((name) => grads[name] !== undefined);
    if (fusedSgdAvailable() && this.fusedStep(names, grads, lr)) return;
    const {momentum, weightDecay, dampening = 0, nesterov = false} = this.options;
    tf.tidy(() => {
      const scale = this.clipScale(names, grads);
      const lrT = tf.scalar(lr);
      for (const name of names) {
        const p = this.params.get(name)!;
        let d: tf.Tensor = scale ? tf.mul(grads[name], scale) : grads[name];
        if (weightDecay !== 0) d = tf.add(d, tf.mul(p, weightDecay));
        if (momentum !== 0) {
          const buf = this.buffers.get(name);
          if (buf === undefined) {
            this.buffers.set(name, tf.variable(d, false));
          } else {
            buf.assign(tf.add(tf.mul(buf, momentum), dampening === 0 ? d : tf.mul(d, 1 - dampening)));
          }
          const b = this.buffers.get(name)!;
          d = nesterov ? tf.add(d, tf.mul(b, momentum)) : b;
        }
        p.assign(tf.sub(p, tf.mul(d, lrT)));
      }
    });
  }

  /** clip_grad_norm_'s factor min(1, max_norm / (‖g‖ + 1e−6)) over `names`, or undefined without grad_clip. */
  private clipScale(names: string[], grads: Record<string, tf.Tensor>): tf.Scalar | undefined {
    const {maxGradNorm} = this.options;
    if (maxGradNorm === undefined) return undefined;
    const total = tf.sqrt(tf.addN(names.map((name) => tf.sum(tf.square(grads[name])))));
    return tf.minimum(tf.scalar(1), tf.div(tf.scalar(maxGradNorm), tf.add(total, 1e-6))) as tf.Scalar;
  }

  /** The update as one in-place addon call (native backend); false when it cannot run there (then the tfjs ops run). */
  private fusedStep(names: string[], grads: Record<string, tf.Tensor>, lr: number): boolean {
    const {momentum, weightDecay, dampening = 0, nesterov = false, maxGradNorm} = this.options;
    const gradScale = maxGradNorm === undefined ? undefined : () => tf.tidy(() => this.clipScale(names, grads)!.dataSync()[0]);
    const buffers = fusedSgdStep(
      names.map((name) => ({param: this.params.get(name)!, grad: grads[name], buffer: momentum === 0 ? null : this.buffers.get(name) ?? 'create'})),
      {lr, momentum, weightDecay, dampening, nesterov, gradScale},
    );
    if (buffers === null) return false;
    names.forEach((name, i) => {
      const b = buffers[i];
      if (b !== null) this.buffers.set(name, b);
    });
    return true;
  }

  /** The momentum buffers by parameter name (empty before the first step). */
  state(): ReadonlyMap<string, tf.Variable> {
    return this.buffers;
  }

  /** Restores momentum buffers saved by `state()`; names must be parameters and shapes must match. */
  loadState(entries: ReadonlyMap<string, tf.Tensor>, source: string): void {
    for (const [name, value] of entries) {
      const p = this.params.get(name);
      if (!p) throw dataError(`${source}: momentum buffer "${name}" has no matching parameter`);
      if (!tf.util.arraysEqual(p.shape, value.shape)) {
        throw dataError(`${source}: momentum buffer "${name}" has shape [${value.shape}], parameter has [${p.shape}]`);
      }
      const existing = this.buffers.get(name);
      if (existing) existing.assign(value);
      else this.buffers.set(name, tf.variable(value, false));
    }
  }

  dispose(): void {
    for (const b of this.buffers.values()) b.dispose();
    this.buffers.clear();
  }
}

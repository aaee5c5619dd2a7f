/**
 * The Mix Block's mask, used: OpenMixup's mask loss (`PixelMixBlock.mask_loss`), the masked image mixing
 * x_mix = M·x_i + (1 − M)·x_j, the backbone's mask with AutoMix's `lam_margin`, and a gradient stop. Pure tensor
 * functions (AutoMix: https://arxiv.org/abs/2103.13027; the mask itself is `PixelMixBlock.mask`, mix-block.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import {showValue} from '../../errors';

/** OpenMixup `PixelMixBlock.mask_loss` modes implemented here (see {@link maskLoss}). */
export type MaskLossMode = 'L1' | 'L2' | 'Variance' | 'L1+Variance' | 'L2+Variance';

/** Every {@link MaskLossMode}. */
export const MASK_LOSS_MODES: readonly MaskLossMode[] = ['L1', 'L2', 'Variance', 'L1+Variance', 'L2+Variance'];

/** Checks λ ∈ [0, 1] and returns it. */
export function checkLam(lam: number, where: string): number {
  if (!(typeof lam === 'number' && lam >= 0 && lam <= 1)) throw new RangeError(`${where}: lam must be in [0, 1], got ${lam}`);
  return lam;
}

/** Checks that `index` is a permutation-like index of length n (values in [0, n)). */
export function checkIndex(index: Int32Array, n: number, where: string): void {
  if (index.length !== n) throw new RangeError(`${where}: index has length ${index.length}, expected the batch size ${n}`);
  for (let i = 0; i < n; i++) {
    if (!(index[i] >= 0 && index[i] < n)) throw new RangeError(`${where}: index[${i}] = ${index[i]} is outside [0, ${n})`);
  }
}

/**
 * OpenMixup's `PixelMixBlock.mask_loss`, computed as there on the second mask channel M_j = 1 − M_i, with
 * m̄ = mean(M_j) over the batch and all pixels, Var = mean((M_j − m̄)²):
 *
 *     L1           max( |1 − m̄ − λ| − margin, 0 )          (= max(|mean(M_i) − λ| − margin, 0))
 *     L2           max( (1 − m̄ − λ)² − margin², 0 )
 *     Variance     −Var                                    (rewards a confident, non-flat mask)
 *     L1+Variance  L1 − 2·Var                              (SAMix)
 *     L2+Variance  L2 − 2·Var
 *
 * In the benchmark configs margin = 0.1 and the loss is weighted by `mask_loss` (0.1, cosine-annealed to 0).
 * @param mask M_i, N×H×W×1
 * @param lam λ ∈ [0, 1]
 * @param margin ≥ 0
 * @param mode default 'L1'
 * @returns a scalar tensor, differentiable with respect to `mask`
 */
export function maskLoss(mask: tf.Tensor4D, lam: number, margin: number, mode: MaskLossMode = 'L1'): tf.Scalar {
  if (mask.rank !== 4 || mask.shape[3] !== 1) throw new RangeError(`maskLoss: mask must be N×H×W×1, got shape [${mask.shape.join(', ')}]`);
  checkLam(lam, 'maskLoss');
  if (!(margin >= 0)) throw new RangeError(`maskLoss: margin must be >= 0, got ${margin}`);
  if (!MASK_LOSS_MODES.includes(mode)) throw new RangeError(`maskLoss: mode must be one of ${MASK_LOSS_MODES.join(', ')}, got ${showValue(mode)}`);
  return tf.tidy(() => {
    const mj = tf.sub(1, mask);
    const mean = tf.mean(mj);
    const gap = tf.sub(tf.sub(1, mean), lam);  // 1 − m̄ − λ
    const l1 = () => tf.relu(tf.sub(tf.abs(gap), margin));
    const l2 = () => tf.relu(tf.sub(tf.square(gap), margin * margin));
    const variance = () => tf.relu(tf.mean(tf.square(tf.sub(mj, mean))));
    switch (mode) {
      case 'L1': return l1() as tf.Scalar;
      case 'L2': return l2() as tf.Scalar;
      case 'Variance': return tf.neg(variance()) as tf.Scalar;
      case 'L1+Variance': return tf.sub(l1(), tf.mul(variance(), 2)) as tf.Scalar;
      default: return tf.sub(l2(), tf.mul(variance(), 2)) as tf.Scalar;
    }
  });
}

/**
 * The mixed images of AutoMix, per pixel and channel:
 *
 *     x_mix = M_i · x_i + (1 − M_i) · x_j,   x_j = x[index]
 *
 * @param images x, N×H×W×C
 * @param index pair index (the one the mask was computed with)
 * @param mask M_i, N×H×W×1 (same N, H, W as `images`)
 */
export function mixImages(images: tf.Tensor4D, index: Int32Array, mask: tf.Tensor4D): tf.Tensor4D {
  const [n, H, W] = images.shape;
  if (images.rank !== 4) throw new RangeError(`mixImages: images must be N×H×W×C, got shape [${images.shape.join(', ')}]`);
  if (mask.rank !== 4 || mask.shape[0] !== n || mask.shape[1] !== H || mask.shape[2] !== W || mask.shape[3] !== 1) {
    throw new RangeError(`mixImages: mask must be ${n}×${H}×${W}×1 to match images [${images.shape.join(', ')}], got shape [${mask.shape.join(', ')}]`);
  }
  checkIndex(index, n, 'mixImages');
  return tf.tidy(() => {
    const xj = tf.gather(images, tf.tensor1d(index, 'int32'));
    return tf.add(tf.mul(mask, images), tf.mul(tf.sub(1, mask), xj)) as tf.Tensor4D;
  });
}

/**
 * OpenMixup AutoMix's `lam_margin` (0.08 in the benchmark configs) for the mask the *backbone* trains on: when λ is
 * close to 0 or 1 (λ ≤ lam_margin or 1 − λ ≤ lam_margin) the learned mask is replaced by the constant λ
 * (vanilla mixup); otherwise the learned mask is used with its gradient stopped (the backbone step does not train
 * the Mix Block). This is distinct from the mask loss `margin` of {@link maskLoss}.
 * @param mask M_i, N×H×W×1
 * @param lam λ ∈ [0, 1]
 * @param lamMargin ∈ [0, 0.5]
 */
export function backboneMask(mask: tf.Tensor4D, lam: number, lamMargin: number): tf.Tensor4D {
  checkLam(lam, 'backboneMask');
  if (!(lamMargin >= 0 && lamMargin <= 0.5)) throw new RangeError(`backboneMask: lamMargin must be in [0, 0.5], got ${lamMargin}`);
  if (lamMargin >= lam || lamMargin >= 1 - lam) return tf.fill(mask.shape, lam) as tf.Tensor4D;
  return stopGradient(mask);
}

/** Identity whose gradient is zero (tfjs has no `stopGradient`; PyTorch's `.detach()`). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const t = args[0] as tf.Tensor;
    return {value: tf.clone(t), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy)};
  });
  return op(x) as T;
}

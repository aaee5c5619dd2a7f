/**
 * Grouped 2-D convolution (ResNeXt's 3×3 conv; PyTorch `nn.Conv2d(groups=G)`), which tfjs's conv2d lacks.
 *
 * Input channels and output channels are cut into G equal slices; output slice g sees only input slice g:
 *   y[..., g·Og:(g+1)·Og] = conv2d(x[..., g·Ig:(g+1)·Ig], w[..., g·Og:(g+1)·Og]),  Ig = C_in / G, Og = C_out / G.
 * The weight is stored as tfjs HWIO with I = Ig: [kh, kw, C_in/G, C_out], the transpose of torch's
 * [C_out, C_in/G, kh, kw], so torchvision ResNeXt weights map one-to-one.
 *
 * On the `native` backend this is one oneDNN grouped convolution (forward and both gradients); elsewhere it splits,
 * convolves per group and concatenates (differentiable through tfjs autodiff). See `conv2dGrouped` in
 * src/backend/ops.ts.
 */
import type * as tf from '@tensorflow/tfjs-core';
import {conv2dGrouped} from '../backend/ops';

/**
 * @param x N×H×W×C_in input
 * @param w kh×kw×(C_in/groups)×C_out filter
 * @param strides stride in both spatial dimensions
 * @param pad symmetric zero padding (torch `padding`), or 'same'/'valid'
 * @param groups G ≥ 1, dividing C_in and C_out
 * @returns N×H'×W'×C_out, H' = floor((H + 2·pad − kh) / stride) + 1
 */
export function groupedConv2d(x: tf.Tensor4D, w: tf.Tensor4D, strides: number, pad: number | 'same' | 'valid', groups: number): tf.Tensor4D {
  const cIn = x.shape[3];
  const [, , ig, cOut] = w.shape;
  if (!Number.isInteger(groups) || groups < 1 || cIn % groups !== 0 || cOut % groups !== 0 || ig * groups !== cIn) {
    throw new RangeError(`groupedConv2d: groups ${groups} does not fit input channels ${cIn} and filter shape [${w.shape.join(', ')}] (expected [kh, kw, ${cIn}/groups, C_out] with C_out divisible by groups)`);
  }
  return conv2dGrouped(x, w, strides, pad, groups);
}

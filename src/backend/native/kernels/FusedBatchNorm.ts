/**
 * FusedBatchNorm (tf.batchNorm: inference with given statistics, e.g. eval-mode BatchNorm2d) in the addon:
 * y = offset + (x − mean)·scale / √(variance + eps) per channel (last axis), with the cpu kernel's double arithmetic,
 * so both give the same bits. Statistics that are not [C] vectors (or a broadcast scalar), non-f32 tensors and small
 * inputs run the cpu kernel.
 */
import {FusedBatchNorm, FusedBatchNormAttrs, KernelConfig, TensorInfo, util} from '@tensorflow/tfjs-core';
import {Backend, allF32, cpuKernel, elementwise, f32, KernelArgs, output, addon} from '../util';

function fusedBatchNorm(args: KernelArgs): TensorInfo {
  const {x, mean, variance, scale, offset} = args.inputs;
  const {varianceEpsilon} = args.attrs as unknown as FusedBatchNormAttrs;
  const channels = x.shape[x.shape.length - 1];
  const perChannel = (t: TensorInfo | undefined) => t == null || util.sizeFromShape(t.shape) === channels;
  const size = util.sizeFromShape(x.shape);
  if (!allF32(x, mean, variance, scale ?? undefined, offset ?? undefined) || size < elementwise.minSize ||
    ![mean, variance, scale, offset].every(perChannel)) {
    return cpuKernel(FusedBatchNorm)(args) as TensorInfo;
  }
  const backend = args.backend as Backend;
  const y = output(backend, x.shape);
  addon().batchNormInference(f32(backend, x), f32(backend, mean), f32(backend, variance),
    scale ? f32(backend, scale) : null, offset ? f32(backend, offset) : null, y.buf, channels, varianceEpsilon ?? 0.001);
  return y.info;
}

export const fusedBatchNormConfig: KernelConfig = {
  kernelName: FusedBatchNorm, backendName: 'native', kernelFunc: fusedBatchNorm as never,
};

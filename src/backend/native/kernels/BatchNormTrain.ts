/**
 * Training-mode batch norm on oneDNN, the two halves of src/backend/ops.ts `batchNormTrain`'s custom gradient.
 * Not tfjs kernels: our own names, registered for `native` only.
 *   MixupBatchNormTrain     {x [N,H,W,C], gamma [C], beta [C]}, {eps} -> [y, mean, variance (biased)]
 *   MixupBatchNormTrainGrad {x, gamma, mean, variance, dy}, {eps}     -> [dx, dgamma, dbeta]
 */
import {KernelConfig, TensorInfo} from '@tensorflow/tfjs-core';
import {Backend, f32, KernelArgs, output, addon} from '../util';

export const BATCH_NORM_TRAIN = 'MixupBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'MixupBatchNormTrainGrad';

function batchNormTrain(args: KernelArgs): TensorInfo[] {
  const {x, gamma, beta} = args.inputs;
  const {eps} = args.attrs as {eps: number};
  const backend = args.backend as Backend;
  const c = x.shape[3];
  const y = output(backend, x.shape), mean = output(backend, [c]), variance = output(backend, [c]);
  addon().batchNormTrain(f32(backend, x), f32(backend, gamma), f32(backend, beta), y.buf, mean.buf, variance.buf,
    x.shape, eps);
  return [y.info, mean.info, variance.info];
}

function batchNormTrainGrad(args: KernelArgs): TensorInfo[] {
  const {x, gamma, mean, variance, dy} = args.inputs;
  const {eps} = args.attrs as {eps: number};
  const backend = args.backend as Backend;
  const c = x.shape[3];
  const dx = output(backend, x.shape), dgamma = output(backend, [c]), dbeta = output(backend, [c]);
  addon().batchNormTrainGrad(f32(backend, x), f32(backend, gamma), f32(backend, mean), f32(backend, variance),
    f32(backend, dy), dx.buf, dgamma.buf, dbeta.buf, x.shape, eps);
  return [dx.info, dgamma.info, dbeta.info];
}

export const batchNormTrainConfig: KernelConfig = {
  kernelName: BATCH_NORM_TRAIN, backendName: 'native', kernelFunc: batchNormTrain as never,
};
export const batchNormTrainGradConfig: KernelConfig = {
  kernelName: BATCH_NORM_TRAIN_GRAD, backendName: 'native', kernelFunc: batchNormTrainGrad as never,
};

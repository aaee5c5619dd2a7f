/** MaxPoolGrad on oneDNN: routes dy to each window's argmax (recomputed from the input). */
import {KernelConfig, MaxPoolGrad, TensorInfo} from '@tensorflow/tfjs-core';
import {Backend, cpuKernel, KernelArgs} from '../util';
import {PoolAttrs, poolBackward} from './pool_util';

function maxPoolGrad(args: KernelArgs): TensorInfo {
  const {dy, input} = args.inputs;
  const a = args.attrs as unknown as PoolAttrs;
  const b = args.backend as Backend;
  return poolBackward(b, input, dy, a, true) ?? (cpuKernel(MaxPoolGrad)(args) as TensorInfo);
}

export const maxPoolGradConfig: KernelConfig = {kernelName: MaxPoolGrad, backendName: 'native', kernelFunc: maxPoolGrad as never};

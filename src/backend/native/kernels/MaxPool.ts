/** MaxPool on oneDNN: x [N, H, W, C] -> [N, OH, OW, C], max over each window. */
import {KernelConfig, MaxPool, TensorInfo} from '@tensorflow/tfjs-core';
import {Backend, cpuKernel, KernelArgs} from '../util';
import {PoolAttrs, poolForward} from './pool_util';

function maxPool(args: KernelArgs): TensorInfo {
  const {x} = args.inputs;
  const a = args.attrs as unknown as PoolAttrs;
  const b = args.backend as Backend;
  return poolForward(b, x, a, true) ?? (cpuKernel(MaxPool)(args) as TensorInfo);
}

export const maxPoolConfig: KernelConfig = {kernelName: MaxPool, backendName: 'native', kernelFunc: maxPool as never};

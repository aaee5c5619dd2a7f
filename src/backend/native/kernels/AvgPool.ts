/** AvgPool on oneDNN: x [N, H, W, C] -> [N, OH, OW, C], mean over each window's in-bounds pixels (as tfjs). */
import {KernelConfig, AvgPool, TensorInfo} from '@tensorflow/tfjs-core';
import {Backend, cpuKernel, KernelArgs} from '../util';
import {PoolAttrs, poolForward} from './pool_util';

function avgPool(args: KernelArgs): TensorInfo {
  const {x} = args.inputs;
  const a = args.attrs as unknown as PoolAttrs;
  const b = args.backend as Backend;
  return poolForward(b, x, a, false) ?? (cpuKernel(AvgPool)(args) as TensorInfo);
}

export const avgPoolConfig: KernelConfig = {kernelName: AvgPool, backendName: 'native', kernelFunc: avgPool as never};

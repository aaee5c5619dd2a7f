/** AvgPoolGrad on oneDNN: spreads dy evenly over each window's in-bounds pixels. */
import {KernelConfig, AvgPoolGrad, TensorInfo} from '@tensorflow/tfjs-core';
import {Backend, cpuKernel, KernelArgs} from '../util';
import {PoolAttrs, poolBackward} from './pool_util';

function avgPoolGrad(args: KernelArgs): TensorInfo {
  const {dy, input} = args.inputs;
  const a = args.attrs as unknown as PoolAttrs;
  const b = args.backend as Backend;
  return poolBackward(b, input, dy, a, false) ?? (cpuKernel(AvgPoolGrad)(args) as TensorInfo);
}

export const avgPoolGradConfig: KernelConfig = {kernelName: AvgPoolGrad, backendName: 'native', kernelFunc: avgPoolGrad as never};

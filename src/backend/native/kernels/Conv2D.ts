/** Conv2D on oneDNN: x [N, H, W, IC] (x) filter [KH, KW, IC/G, OC] -> [N, OH, OW, OC]; optional `groups` attr. */
import {backend_util, Conv2D, Conv2DAttrs, KernelConfig, TensorInfo} from '@tensorflow/tfjs-core';
import {Backend, cpuKernel, KernelArgs} from '../util';
import {convForward, groupsOf, nativeLayout} from './conv_util';

function conv2D(args: KernelArgs): TensorInfo {
  const {x, filter} = args.inputs;
  const {strides, pad, dataFormat, dilations, dimRoundingMode} = args.attrs as unknown as Conv2DAttrs;
  const groups = groupsOf(args.attrs);
  if (!nativeLayout(dataFormat, x, filter)) return cpuKernel(Conv2D)(args) as TensorInfo;
  const c = backend_util.computeConv2DInfo(x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number], strides, dilations, pad, dimRoundingMode, false, 'channelsLast');
  return convForward(args.backend as Backend, c, groups, x, filter, undefined, false);
}

export const conv2DConfig: KernelConfig = {kernelName: Conv2D, backendName: 'native', kernelFunc: conv2D as never};

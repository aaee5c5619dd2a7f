/** Conv2DBackpropFilter on oneDNN: x [N, H, W, IC] (x) dy [N, OH, OW, OC] -> dW [KH, KW, IC/G, OC]. */
import {backend_util, Conv2DBackpropFilter, Conv2DBackpropFilterAttrs, KernelConfig,
  TensorInfo} from '@tensorflow/tfjs-core';
import {Backend, cpuKernel, KernelArgs} from '../util';
import {convBackpropFilter, groupsOf, nativeLayout} from './conv_util';

function conv2DBackpropFilter(args: KernelArgs): TensorInfo {
  const {x, dy} = args.inputs;
  const {strides, pad, dataFormat, dimRoundingMode, filterShape} = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  if (!nativeLayout(dataFormat, x, dy)) return cpuKernel(Conv2DBackpropFilter)(args) as TensorInfo;
  const c = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad,
    dimRoundingMode, false, 'channelsLast');
  return convBackpropFilter(args.backend as Backend, c, groupsOf(args.attrs), x, dy, filterShape);
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter, backendName: 'native', kernelFunc: conv2DBackpropFilter as never,
};

/** Conv2DBackpropInput on oneDNN: dy [N, OH, OW, OC] (x) filter [KH, KW, IC/G, OC] -> dx [N, H, W, IC]. */
import {backend_util, Conv2DBackpropInput, Conv2DBackpropInputAttrs, KernelConfig, TensorInfo}
  from '@tensorflow/tfjs-core';
import {Backend, cpuKernel, KernelArgs} from '../util';
import {convBackpropInput, groupsOf, nativeLayout} from './conv_util';

function conv2DBackpropInput(args: KernelArgs): TensorInfo {
  const {dy, filter} = args.inputs;
  const {strides, pad, dataFormat, dimRoundingMode, inputShape} = args.attrs as unknown as Conv2DBackpropInputAttrs;
  if (!nativeLayout(dataFormat, dy, filter)) return cpuKernel(Conv2DBackpropInput)(args) as TensorInfo;
  const c = backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1,
    pad, dimRoundingMode, false, 'channelsLast');
  return convBackpropInput(args.backend as Backend, c, groupsOf(args.attrs), dy, filter);
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput, backendName: 'native', kernelFunc: conv2DBackpropInput as never,
};

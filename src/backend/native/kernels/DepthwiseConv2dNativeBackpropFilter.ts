/** DepthwiseConv2dNativeBackpropFilter on oneDNN (grouped conv backward-weights, G = IC). */
import {backend_util, DepthwiseConv2dNativeBackpropFilter, DepthwiseConv2dNativeBackpropFilterAttrs,
  KernelConfig, TensorInfo} from '@tensorflow/tfjs-core';
import {Backend, cpuKernel, KernelArgs} from '../util';
import {convBackpropFilter, nativeLayout} from './conv_util';

function depthwiseBackpropFilter(args: KernelArgs): TensorInfo {
  const {x, dy} = args.inputs;
  const {strides, dilations, pad, dimRoundingMode, filterShape} =
    args.attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  if (!nativeLayout(undefined, x, dy)) return cpuKernel(DepthwiseConv2dNativeBackpropFilter)(args) as TensorInfo;
  const c = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, dilations,
    pad, dimRoundingMode, true, 'channelsLast');
  return convBackpropFilter(args.backend as Backend, c, c.inChannels, x, dy, filterShape);
}

export const depthwiseConv2dNativeBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter, backendName: 'native', kernelFunc: depthwiseBackpropFilter as never,
};

/** DepthwiseConv2dNativeBackpropInput on oneDNN (grouped conv backward-data, G = IC). */
import {backend_util, DepthwiseConv2dNativeBackpropInput, DepthwiseConv2dNativeBackpropInputAttrs,
  KernelConfig, TensorInfo} from '@tensorflow/tfjs-core';
import {Backend, cpuKernel, KernelArgs} from '../util';
import {convBackpropInput, nativeLayout} from './conv_util';

function depthwiseBackpropInput(args: KernelArgs): TensorInfo {
  const {dy, filter} = args.inputs;
  const {strides, dilations, pad, dimRoundingMode, inputShape} =
    args.attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  if (!nativeLayout(undefined, dy, filter)) return cpuKernel(DepthwiseConv2dNativeBackpropInput)(args) as TensorInfo;
  const c = backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides,
    dilations, pad, dimRoundingMode, true, 'channelsLast');
  return convBackpropInput(args.backend as Backend, c, c.inChannels, dy, filter);
}

export const depthwiseConv2dNativeBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput, backendName: 'native', kernelFunc: depthwiseBackpropInput as never,
};

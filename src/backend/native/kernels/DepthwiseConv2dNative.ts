/** DepthwiseConv2dNative on oneDNN as a grouped conv (G = IC): x [N, H, W, IC] (x) filter [KH, KW, IC, M] -> [N, OH, OW, IC*M]. */
import {backend_util, DepthwiseConv2dNative, DepthwiseConv2dNativeAttrs, KernelConfig,
  TensorInfo} from '@tensorflow/tfjs-core';
import {Backend, cpuKernel, KernelArgs} from '../util';
import {convForward, nativeLayout} from './conv_util';

function depthwiseConv2dNative(args: KernelArgs): TensorInfo {
  const {x, filter} = args.inputs;
  const {strides, pad, dataFormat, dilations, dimRoundingMode} = args.attrs as unknown as DepthwiseConv2dNativeAttrs;
  if (!nativeLayout(dataFormat, x, filter)) return cpuKernel(DepthwiseConv2dNative)(args) as TensorInfo;
  const c = backend_util.computeConv2DInfo(x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number], strides, dilations, pad, dimRoundingMode, true, 'channelsLast');
  return convForward(args.backend as Backend, c, c.inChannels, x, filter, undefined, false);
}

export const depthwiseConv2dNativeConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNative, backendName: 'native', kernelFunc: depthwiseConv2dNative as never,
};

/** FusedConv2D on oneDNN: conv + bias [OC] + relu as one primitive (post-op); other activations use the cpu kernel. */
import {backend_util, FusedConv2D, FusedConv2DAttrs, KernelConfig, TensorInfo} from '@tensorflow/tfjs-core';
import {Backend, cpuKernel, KernelArgs} from '../util';
import {convForward, nativeLayout} from './conv_util';

function fusedConv2D(args: KernelArgs): TensorInfo {
  const {x, filter, bias, preluActivationWeights} = args.inputs;
  const {strides, pad, dataFormat, dilations, dimRoundingMode, activation} = args.attrs as unknown as FusedConv2DAttrs;
  const outChannels = filter.shape[3];
  const simple = (activation === 'linear' || activation === 'relu') && preluActivationWeights == null &&
    (bias == null || (bias.shape.length === 1 && bias.shape[0] === outChannels));
  if (!simple || !nativeLayout(dataFormat, x, filter, bias ?? undefined)) return cpuKernel(FusedConv2D)(args) as TensorInfo;
  const c = backend_util.computeConv2DInfo(x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number], strides, dilations, pad, dimRoundingMode, false, 'channelsLast');
  return convForward(args.backend as Backend, c, 1, x, filter, bias ?? undefined, activation === 'relu');
}

export const fusedConv2DConfig: KernelConfig = {kernelName: FusedConv2D, backendName: 'native', kernelFunc: fusedConv2D as never};

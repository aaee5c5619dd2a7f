/**
 * `Conv2DBackpropFilter` for the wasm backend (tfjs-backend-wasm 4.22 has none, so training a conv net fails with
 * "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'").
 *
 * The weight gradient of `y = conv2d(x, W, stride S)` (NHWC, W = [KH, KW, CI, CO], xPad = x zero-padded) is
 *   dW[kh, kw, ci, co] = Σ_{n, oh, ow} xPad[n, oh·SH + kh, ow·SW + kw, ci] · dy[n, oh, ow, co],
 * which is itself a forward convolution with batch and channels swapped, run by wasm's XNNPACK Conv2D:
 *   input  xT[ci, h, w, n]    = xPad[n, h, w, ci]                 [CI, Hp, Wp, N]
 *   filter dyT[oh, ow, n, co] = dy[n, oh, ow, co]                 [OH, OW, N, CO]
 *   out = conv2d(xT, dyT, stride 1, dilation S, 'valid')         [CI, Hp − (OH − 1)·SH, ..., CO]
 *   dW[kh, kw, ci, co] = out[ci, kh, kw, co] for kh < KH, kw < KW (rows past KH are taps no output used).
 * Memory stays at one transposed copy of x and of dy. This measured 4-10x faster than building im2col columns with
 * StridedSlice/Concat and multiplying with BatchMatMul (docs/wasm-backend.md).
 */
import {backend_util, Conv2DBackpropFilterAttrs, Conv2DBackpropFilterInputs, KernelConfig, KernelFunc, TensorInfo}
  from '@tensorflow/tfjs-core';
import {withRunner} from '../kernel_runner';

/** dW for NHWC input `x`, output gradient `dy` and the forward conv's attributes (dilation 1: tfjs has no other). */
function conv2DBackpropFilter(
  args: {inputs: Conv2DBackpropFilterInputs, backend: unknown, attrs: Conv2DBackpropFilterAttrs}): TensorInfo {
  const {inputs, attrs} = args;
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  if (attrs.dataFormat === 'NCHW') {
    throw new Error(`wasm backend Conv2DBackpropFilter does not support dataFormat:'NCHW'. Please use 'NHWC'.`);
  }
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], attrs.filterShape,
    attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const {inChannels: CI, outChannels: CO, filterHeight: KH, filterWidth: KW, padInfo: pad} = info;

  return withRunner(args.backend as never, (r) => {
    const needsPad = pad.top > 0 || pad.bottom > 0 || pad.left > 0 || pad.right > 0;
    const xPad = needsPad // [N, H + top + bottom, W + left + right, CI]
      ? r.run('PadV2', {x},
        {paddings: [[0, 0], [pad.top, pad.bottom], [pad.left, pad.right], [0, 0]], constantValue: 0})
      : x;
    const xT = r.run('Transpose', {x: xPad}, {perm: [3, 1, 2, 0]}); // [CI, Hp, Wp, N]
    if (xPad !== x) r.release(xPad);
    const dyT = r.run('Transpose', {x: dy}, {perm: [1, 2, 0, 3]}); // [OH, OW, N, CO]
    const out = r.run('Conv2D', {x: xT, filter: dyT}, {strides: [1, 1], pad: 'valid', dataFormat: 'NHWC',
      dilations: [info.strideHeight, info.strideWidth], dimRoundingMode: undefined} as never); // [CI, ≥KH, ≥KW, CO]
    r.release(xT);
    r.release(dyT);
    const taps = out.shape[1] === KH && out.shape[2] === KW
      ? out
      : r.run('Slice', {x: out}, {begin: [0, 0, 0, 0], size: [CI, KH, KW, CO]}); // [CI, KH, KW, CO]
    return r.run('Transpose', {x: taps}, {perm: [1, 2, 0, 3]}); // [KH, KW, CI, CO]
  });
}

/** Registration record for `registerWasmPatches()`. */
export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};

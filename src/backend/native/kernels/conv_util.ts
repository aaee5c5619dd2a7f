/** Shared by the convolution kernels: tfjs Conv2DInfo -> the 18 ConvShape numbers of native/src/conv_shape.h. */
import {backend_util, TensorInfo} from '@tensorflow/tfjs-core';
import {Backend, allF32, f32, output, addon} from '../util';

type Conv2DInfo = backend_util.Conv2DInfo;

/** [N, IH, IW, IC, KH, KW, OC, OH, OW, SH, SW, PT, PL, PB, PR, DH, DW, G] */
export function convParams(c: Conv2DInfo, groups: number): Int32Array {
  const p = c.padInfo;
  return Int32Array.from([
    c.batchSize, c.inHeight, c.inWidth, c.inChannels, c.filterHeight, c.filterWidth, c.outChannels, c.outHeight,
    c.outWidth, c.strideHeight, c.strideWidth, p.top, p.left, p.bottom, p.right, c.dilationHeight, c.dilationWidth,
    groups,
  ]);
}

/** Whether the addon handles this layout/dtype (NHWC f32); otherwise the caller runs the cpu kernel. */
export function nativeLayout(dataFormat: string | undefined, ...ts: Array<TensorInfo | undefined>): boolean {
  return (dataFormat === undefined || dataFormat === 'NHWC' || dataFormat === 'channelsLast') && allF32(...ts);
}

/** Forward conv: y = act(conv(x, w) + bias), grouped when `groups` > 1 (depthwise: groups = IC). */
export function convForward(backend: Backend, c: Conv2DInfo, groups: number, x: TensorInfo, w: TensorInfo,
  bias: TensorInfo | undefined, relu: boolean): TensorInfo {
  const y = output(backend, [c.batchSize, c.outHeight, c.outWidth, c.outChannels]);
  addon().conv2d(f32(backend, x), f32(backend, w), bias ? f32(backend, bias) : null, relu, y.buf, convParams(c, groups));
  return y.info;
}

/** dx of a (grouped) conv from dy and the filter. */
export function convBackpropInput(backend: Backend, c: Conv2DInfo, groups: number, dy: TensorInfo, w: TensorInfo): TensorInfo {
  const dx = output(backend, [c.batchSize, c.inHeight, c.inWidth, c.inChannels]);
  addon().conv2dBackpropInput(f32(backend, dy), f32(backend, w), dx.buf, convParams(c, groups));
  return dx.info;
}

/** dW of a (grouped) conv from x and dy, in the filter's own shape. */
export function convBackpropFilter(backend: Backend, c: Conv2DInfo, groups: number, x: TensorInfo, dy: TensorInfo,
  filterShape: number[]): TensorInfo {
  const dw = output(backend, filterShape);
  addon().conv2dBackpropFilter(f32(backend, x), f32(backend, dy), dw.buf, convParams(c, groups));
  return dw.info;
}

/** Groups attribute (our extension, set by src/backend/ops.ts conv2dGrouped); 1 when absent. */
export function groupsOf(attrs: unknown): number {
  const g = (attrs as {groups?: number}).groups;
  return g === undefined ? 1 : g;
}

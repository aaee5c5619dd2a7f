/** Shared by the pooling kernels: tfjs pool geometry -> the 14 PoolShape numbers of native/src/kernels.h. */
import {backend_util, TensorInfo} from '@tensorflow/tfjs-core';
import {Backend, allF32, f32, output, addon} from '../util';

/** Pooling attributes common to MaxPool/AvgPool and their gradients. */
export interface PoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** [N, IH, IW, C, KH, KW, OH, OW, SH, SW, PT, PL, PB, PR] for an NHWC input of `xShape`. */
export function poolParams(xShape: number[], a: PoolAttrs): {params: Int32Array; info: backend_util.Conv2DInfo} {
  const c = backend_util.computePool2DInfo(xShape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad,
    a.dimRoundingMode);
  const p = c.padInfo;
  const params = Int32Array.from([c.batchSize, c.inHeight, c.inWidth, c.inChannels, c.filterHeight, c.filterWidth,
    c.outHeight, c.outWidth, c.strideHeight, c.strideWidth, p.top, p.left, p.bottom, p.right]);
  return {params, info: c};
}

/** MaxPool (max = true) or AvgPool forward. */
export function poolForward(backend: Backend, x: TensorInfo, a: PoolAttrs, max: boolean): TensorInfo | null {
  if (!allF32(x)) return null;
  const {params, info: c} = poolParams(x.shape, a);
  const y = output(backend, [c.batchSize, c.outHeight, c.outWidth, c.outChannels]);
  addon().pool(f32(backend, x), y.buf, params, max);
  return y.info;
}

/** MaxPoolGrad (needs the forward input x) or AvgPoolGrad. */
export function poolBackward(backend: Backend, x: TensorInfo, dy: TensorInfo, a: PoolAttrs, max: boolean): TensorInfo | null {
  if (!allF32(x, dy)) return null;
  const {params} = poolParams(x.shape, a);
  const dx = output(backend, x.shape);
  addon().poolGrad(max ? f32(backend, x) : null, f32(backend, dy), dx.buf, params, max);
  return dx.info;
}

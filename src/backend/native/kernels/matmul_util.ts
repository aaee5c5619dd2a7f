/** Shared by BatchMatMul and _FusedMatMul: batch broadcasting and the addon call. */
import {backend_util, TensorInfo, util} from '@tensorflow/tfjs-core';
import {Backend, allF32, f32, output, addon} from '../util';

/**
 * y = act(a · b + bias): a [...BA, M, K] (or [..., K, M] if transA), b [...BB, K, N] (or [..., N, K]); the batch
 * dims broadcast when one side's batch is 1. Returns null for what the addon does not handle (mixed broadcasting,
 * non-f32, bias not of shape [N]) so the caller runs the cpu kernel.
 */
export function matMul(backend: Backend, a: TensorInfo, b: TensorInfo, transA: boolean, transB: boolean,
  bias: TensorInfo | undefined, relu: boolean): TensorInfo | null {
  if (!allF32(a, b, bias)) return null;
  const ra = a.shape.length, rb = b.shape.length;
  const M = transA ? a.shape[ra - 1] : a.shape[ra - 2];  // rows of the product
  const K = transA ? a.shape[ra - 2] : a.shape[ra - 1];  // inner dimension
  const N = transB ? b.shape[rb - 2] : b.shape[rb - 1];  // columns of the product
  const BA = util.sizeFromShape(a.shape.slice(0, -2)), BB = util.sizeFromShape(b.shape.slice(0, -2));
  const outBatch = backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const B = util.sizeFromShape(outBatch);
  if (!(BA === BB || BA === 1 || BB === 1) || B !== Math.max(BA, BB)) return null;
  if (bias && !(bias.shape.length === 1 && bias.shape[0] === N)) return null;
  const y = output(backend, [...outBatch, M, N]);
  addon().batchMatMul(f32(backend, a), f32(backend, b), bias ? f32(backend, bias) : null, relu, y.buf,
    [BA, BB, M, K, N, transA ? 1 : 0, transB ? 1 : 0]);
  return y.info;
}

/** BatchMatMul on oneDNN matmul (transposes as strides, broadcast batch of 1). */
import {BatchMatMul, BatchMatMulAttrs, KernelConfig, TensorInfo} from '@tensorflow/tfjs-core';
import {Backend, cpuKernel, KernelArgs} from '../util';
import {matMul} from './matmul_util';

function batchMatMul(args: KernelArgs): TensorInfo {
  const {a, b} = args.inputs;
  const {transposeA, transposeB} = args.attrs as unknown as BatchMatMulAttrs;
  return matMul(args.backend as Backend, a, b, transposeA, transposeB, undefined, false) ??
    (cpuKernel(BatchMatMul)(args) as TensorInfo);
}

export const batchMatMulConfig: KernelConfig = {kernelName: BatchMatMul, backendName: 'native', kernelFunc: batchMatMul as never};

/** _FusedMatMul on oneDNN matmul: bias [N] and relu fused; other activations use the cpu kernel. */
import {_FusedMatMul, _FusedMatMulAttrs, KernelConfig, TensorInfo} from '@tensorflow/tfjs-core';
import {Backend, cpuKernel, KernelArgs} from '../util';
import {matMul} from './matmul_util';

function fusedMatMul(args: KernelArgs): TensorInfo {
  const {a, b, bias, preluActivationWeights} = args.inputs;
  const {transposeA, transposeB, activation} = args.attrs as unknown as _FusedMatMulAttrs;
  const simple = (activation === 'linear' || activation === 'relu') && preluActivationWeights == null;
  const y = simple ? matMul(args.backend as Backend, a, b, transposeA, transposeB, bias ?? undefined, activation === 'relu') : null;
  return y ?? (cpuKernel(_FusedMatMul)(args) as TensorInfo);
}

export const fusedMatMulConfig: KernelConfig = {kernelName: _FusedMatMul, backendName: 'native', kernelFunc: fusedMatMul as never};

/** Transpose as a oneDNN reorder over permuted strides. */
import {KernelConfig, TensorInfo, Transpose, TransposeAttrs, util} from '@tensorflow/tfjs-core';
import {Backend, allF32, cpuKernel, elementwise, f32, KernelArgs, output, addon} from '../util';

function transpose(args: KernelArgs): TensorInfo {
  const {x} = args.inputs;
  const {perm} = args.attrs as unknown as TransposeAttrs;
  if (!allF32(x) || util.sizeFromShape(x.shape) < elementwise.minSize) return cpuKernel(Transpose)(args) as TensorInfo;
  const backend = args.backend as Backend;
  const y = output(backend, perm.map((p) => x.shape[p]));
  addon().transpose(f32(backend, x), y.buf, x.shape, perm);
  return y.info;
}

export const transposeConfig: KernelConfig = {kernelName: Transpose, backendName: 'native', kernelFunc: transpose as never};

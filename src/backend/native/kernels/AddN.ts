/** AddN on oneDNN sum: y = x_0 + ... + x_k (gradient accumulation of tensors used more than once). */
import {AddN, KernelConfig, TensorInfo, util} from '@tensorflow/tfjs-core';
import {Backend, allF32, cpuKernel, elementwise, f32, KernelArgs, output, addon} from '../util';

function addN(args: KernelArgs): TensorInfo {
  const xs = args.inputs as unknown as TensorInfo[];
  if (!allF32(...xs) || util.sizeFromShape(xs[0].shape) < elementwise.minSize) return cpuKernel(AddN)(args) as TensorInfo;
  const backend = args.backend as Backend;
  const y = output(backend, xs[0].shape);
  addon().addN(xs.map((x) => f32(backend, x)), y.buf);
  return y.info;
}

export const addNConfig: KernelConfig = {kernelName: AddN, backendName: 'native', kernelFunc: addN as never};

/** Shared by the element-wise unary kernels (Relu, Step): same-shape f32 in, f32 out. */
import {KernelConfig, TensorInfo, util} from '@tensorflow/tfjs-core';
import {Backend, allF32, cpuKernel, elementwise, f32, KernelArgs, output} from '../util';

/** A kernel that runs `run(x, y, attrs)` in the addon for f32 inputs of at least elementwise.minSize elements. */
export function unaryKernel(kernelName: string, run: (x: Float32Array, y: Float32Array, attrs: KernelArgs['attrs']) => void): KernelConfig {
  const kernelFunc = (args: KernelArgs): TensorInfo => {
    const {x} = args.inputs;
    if (!allF32(x) || util.sizeFromShape(x.shape) < elementwise.minSize) return cpuKernel(kernelName)(args) as TensorInfo;
    const backend = args.backend as Backend;
    const y = output(backend, x.shape);
    run(f32(backend, x), y.buf, args.attrs);
    return y.info;
  };
  return {kernelName, backendName: 'native', kernelFunc: kernelFunc as never};
}

/** Shared by Sum and Mean: oneDNN reduction over any axes (no transpose to the last axes first). */
import {KernelConfig, TensorInfo, util} from '@tensorflow/tfjs-core';
import {Backend, allF32, cpuKernel, elementwise, f32, KernelArgs, output, addon} from '../util';

/** A reduction kernel with attrs {axis, keepDims}; f32 only, else the cpu kernel. */
export function reduceKernel(kernelName: string, op: 'sum' | 'mean'): KernelConfig {
  const kernelFunc = (args: KernelArgs): TensorInfo => {
    const {x} = args.inputs;
    const {axis, keepDims} = args.attrs as unknown as {axis: number | number[]; keepDims: boolean};
    const axes = util.parseAxisParam(axis, x.shape);
    if (!allF32(x) || axes.length === 0 || util.sizeFromShape(x.shape) < elementwise.minSize) {
      return cpuKernel(kernelName)(args) as TensorInfo;
    }
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));  // x's rank, 1 on reduced axes
    const backend = args.backend as Backend;
    const y = output(backend, keepDims ? kept : x.shape.filter((_, i) => !axes.includes(i)));
    addon().reduce(op, f32(backend, x), y.buf, x.shape, kept);
    return y.info;
  };
  return {kernelName, backendName: 'native', kernelFunc: kernelFunc as never};
}

/** Shared by the element-wise binary kernels (Add, Sub, Mul, RealDiv, Maximum, Minimum). */
import {backend_util, KernelConfig, TensorInfo, util} from '@tensorflow/tfjs-core';
import {Backend, allF32, cpuKernel, elementwise, f32, KernelArgs, output, addon} from '../util';

type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min';

/** `shape` left-padded with 1s to `rank` (numpy broadcasting aligns trailing dims). */
function padShape(shape: number[], rank: number): number[] {
  return [...new Array<number>(rank - shape.length).fill(1), ...shape];
}

/**
 * y = a op b with broadcasting. oneDNN's binary broadcasts only its second operand, so the full-shape tensor goes
 * first (operands swap for commutative ops); what remains (a broadcast minuend, int32, tiny tensors) runs on cpu.
 */
export function binaryKernel(kernelName: string, op: BinaryOp, commutative: boolean): KernelConfig {
  const kernelFunc = (args: KernelArgs): TensorInfo => {
    const {a, b} = args.inputs;
    const outShape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const size = util.sizeFromShape(outShape);
    const aFull = util.arraysEqual(a.shape, outShape), bFull = util.arraysEqual(b.shape, outShape);
    if (!allF32(a, b) || size < elementwise.minSize || !(aFull || (bFull && commutative))) {
      return cpuKernel(kernelName)(args) as TensorInfo;
    }
    const [first, second] = aFull ? [a, b] : [b, a];
    const backend = args.backend as Backend;
    const y = output(backend, outShape);
    addon().binary(op, f32(backend, first), f32(backend, second), y.buf, outShape, padShape(second.shape, outShape.length));
    return y.info;
  };
  return {kernelName, backendName: 'native', kernelFunc: kernelFunc as never};
}

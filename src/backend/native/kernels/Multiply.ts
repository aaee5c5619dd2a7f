/** Multiply on oneDNN binary: y = a * b, with broadcasting. */
import {Multiply} from '@tensorflow/tfjs-core';
import {binaryKernel} from './binary_util';

export const multiplyConfig = binaryKernel(Multiply, 'mul', true);

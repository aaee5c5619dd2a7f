/** Minimum on oneDNN binary: y = min(a, b), with broadcasting. */
import {Minimum} from '@tensorflow/tfjs-core';
import {binaryKernel} from './binary_util';

export const minimumConfig = binaryKernel(Minimum, 'min', true);

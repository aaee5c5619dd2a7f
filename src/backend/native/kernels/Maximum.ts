/** Maximum on oneDNN binary: y = max(a, b), with broadcasting. */
import {Maximum} from '@tensorflow/tfjs-core';
import {binaryKernel} from './binary_util';

export const maximumConfig = binaryKernel(Maximum, 'max', true);

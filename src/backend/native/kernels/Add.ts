/** Add on oneDNN binary: y = a + b, with broadcasting. */
import {Add} from '@tensorflow/tfjs-core';
import {binaryKernel} from './binary_util';

export const addConfig = binaryKernel(Add, 'add', true);

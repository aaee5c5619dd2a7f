/** Sub on oneDNN binary: y = a - b (b may broadcast), with broadcasting. */
import {Sub} from '@tensorflow/tfjs-core';
import {binaryKernel} from './binary_util';

export const subConfig = binaryKernel(Sub, 'sub', false);

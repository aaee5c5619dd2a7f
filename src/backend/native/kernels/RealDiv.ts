/** RealDiv on oneDNN binary: y = a / b (b may broadcast), with broadcasting. */
import {RealDiv} from '@tensorflow/tfjs-core';
import {binaryKernel} from './binary_util';

export const realDivConfig = binaryKernel(RealDiv, 'div', false);

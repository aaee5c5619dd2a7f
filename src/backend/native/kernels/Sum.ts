/** Sum over axes on oneDNN reduction (bias and batch-norm style gradients reduce over N, H, W). */
import {Sum} from '@tensorflow/tfjs-core';
import {reduceKernel} from './reduce_util';

export const sumConfig = reduceKernel(Sum, 'sum');

/** Mean over axes on oneDNN reduction (global average pooling). */
import {Mean} from '@tensorflow/tfjs-core';
import {reduceKernel} from './reduce_util';

export const meanConfig = reduceKernel(Mean, 'mean');

/** Relu in the addon: y = max(x, 0) over both cores. */
import {Relu} from '@tensorflow/tfjs-core';
import {addon} from '../util';
import {unaryKernel} from './unary_util';

export const reluConfig = unaryKernel(Relu, (x, y) => addon().relu(x, y));

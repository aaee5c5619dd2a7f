/** Step in the addon: y = x > 0 ? 1 : alpha (the relu gradient is dy · step(x)). */
import {Step, StepAttrs} from '@tensorflow/tfjs-core';
import {addon} from '../util';
import {unaryKernel} from './unary_util';

export const stepConfig = unaryKernel(Step, (x, y, attrs) => addon().step(x, y, (attrs as unknown as StepAttrs).alpha));

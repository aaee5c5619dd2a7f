/**
 * The one list of mixing methods (like tfjs's register_all_kernels.ts): every method file is imported here and
 * registered by its config name. `mix_mode` names resolve only through `registry`.
 */
import {MixRegistry} from './registry';

export const registry = new MixRegistry();

export type {Batch, FeaturePlan, LabelMix, MixContext, MixMethod, MixOutput, ModelHooks} from './types';
export {MixRegistry} from './registry';

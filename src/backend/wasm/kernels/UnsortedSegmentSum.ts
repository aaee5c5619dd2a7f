/**
 * `UnsortedSegmentSum` for the wasm backend, which 4.22 lacks: delegates to the cpu kernel with data copies (see
 * `../cpu_fallback.ts`). Needed for the gradient of tf.gather (e.g. mixing features with a permuted batch index inside the network).
 */
import {cpuFallbackConfig} from '../cpu_fallback';

/** Registration record for `registerWasmPatches()`. */
export const unsortedSegmentSumConfig = cpuFallbackConfig('UnsortedSegmentSum');

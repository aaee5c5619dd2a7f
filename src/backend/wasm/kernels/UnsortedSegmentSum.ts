/**
 * `UnsortedSegmentSum` for the wasm backend, which 4.22 lacks: the cpu kernel on copies of the data
 * (`../cpu_fallback.ts`).
 * Needed for the gradient of tf.gather (e.g. mixing features with a permuted batch index inside the network).
 */
import {cpuFallbackConfig} from '../cpu_fallback';

/** Registration record for `registerWasmPatches()`. */
export const unsortedSegmentSumConfig = cpuFallbackConfig('UnsortedSegmentSum');

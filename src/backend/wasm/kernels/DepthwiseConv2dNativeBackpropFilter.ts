/**
 * `DepthwiseConv2dNativeBackpropFilter` for the wasm backend, which 4.22 lacks: the cpu kernel on copies of the data
 * (`../cpu_fallback.ts`).
 * Needed for the gradient of tf.depthwiseConv2d (separable convs); ResNet does not use it, nor does ResNeXt
 * written as grouped tf.conv2d calls.
 */
import {cpuFallbackConfig} from '../cpu_fallback';

/** Registration record for `registerWasmPatches()`. */
export const depthwiseConv2dNativeBackpropFilterConfig = cpuFallbackConfig('DepthwiseConv2dNativeBackpropFilter');

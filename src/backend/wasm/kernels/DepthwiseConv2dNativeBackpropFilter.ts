/**
 * `DepthwiseConv2dNativeBackpropFilter` for the wasm backend, which 4.22 lacks: delegates to the cpu kernel with data copies (see
 * `../cpu_fallback.ts`). Needed for the gradient of a depthwise convolution (tf.depthwiseConv2d / separable convs); not used by ResNet or by
 * ResNeXt written as grouped tf.conv2d calls.
 */
import {cpuFallbackConfig} from '../cpu_fallback';

/** Registration record for `registerWasmPatches()`. */
export const depthwiseConv2dNativeBackpropFilterConfig = cpuFallbackConfig('DepthwiseConv2dNativeBackpropFilter');

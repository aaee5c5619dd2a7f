/**
 * The kernels tfjs-backend-wasm 4.22 lacks (or has too slow) for training, registered for backend `wasm`.
 *
 * One file a kernel under `kernels/`, listed once in `PATCHES` (as tfjs's `register_all_kernels.ts` does):
 * - `Conv2DBackpropFilter`: missing; a forward Conv2D (XNNPACK) of the transposed input with the transposed dy.
 * - `Conv2DBackpropInput`: replaces the stock loop with a forward Conv2D (XNNPACK) of the dilated, padded dy.
 * - `Tile` (batch-norm gradient): replaces the stock per-element loop with block copies.
 * - `DepthwiseConv2dNativeBackpropFilter`, `DepthwiseConv2dNativeBackpropInput`, `UnsortedSegmentSum`: missing;
 *   delegated to the cpu backend with data copies (off the ResNet hot path).
 * What each saves is measured in docs/wasm-backend.md. Gradients themselves are registered by `@tensorflow/tfjs`
 * (tfjs-core's CommonJS build alone has none), which the caller imports.
 */
import {getKernel, KernelConfig, registerKernel, unregisterKernel} from '@tensorflow/tfjs-core';
import {conv2DBackpropFilterConfig} from './kernels/Conv2DBackpropFilter';
import {conv2DBackpropInputConfig, setStockConv2DBackpropInput} from './kernels/Conv2DBackpropInput';
import {depthwiseConv2dNativeBackpropFilterConfig} from './kernels/DepthwiseConv2dNativeBackpropFilter';
import {depthwiseConv2dNativeBackpropInputConfig} from './kernels/DepthwiseConv2dNativeBackpropInput';
import {tileConfig} from './kernels/Tile';
import {unsortedSegmentSumConfig} from './kernels/UnsortedSegmentSum';

/** Every wasm patch, in registration order. */
export const PATCHES: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  tileConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  unsortedSegmentSumConfig,
];

/** Patches that delegate some cases back to the kernel they replace, and how to hand it over. */
const STOCK_SETTERS = new Map<KernelConfig, (stock: KernelConfig) => void>([
  [conv2DBackpropInputConfig, setStockConv2DBackpropInput],
]);

/**
 * Registers the wasm training kernels (idempotent: a kernel already patched is left alone). A stock kernel of the
 * same name is unregistered first and kept for the cases a patch delegates back to it.
 * @returns the names of all patched kernels (the same list on every call).
 */
export function registerWasmPatches(): {registered: string[]} {
  // Loaded here, not at import time: importing src/backend must not register the wasm backend as a side effect, and
  // the stock kernels must be registered before ours replace them (a later registration would override a patch).
  require('@tensorflow/tfjs-backend-wasm');
  for (const config of PATCHES) {
    const current = getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current !== undefined) {
      STOCK_SETTERS.get(config)?.(current);
      unregisterKernel(config.kernelName, 'wasm');
    }
    registerKernel(config);
  }
  return {registered: PATCHES.map((c) => c.kernelName)};
}

/**
 * The `native` tfjs backend: tfjs's cpu backend (MathBackendCPU, every kernel reused) with the heavy kernels
 * replaced by oneDNN ones from the optional addon (native/, built at install time when libdnnl-dev is present).
 */
import {getKernelsForBackend, registerBackend, registerKernel, getKernel, KernelConfig} from '@tensorflow/tfjs-core';
import {loadAddon, NATIVE_FIX} from './addon';
import {NativeBackend, poolSafeKernel} from './backend';
import {nativeKernelConfigs} from './kernels';

export {NATIVE_FIX} from './addon';
export {elementwise} from './util';

/** The backend's name for tf.setBackend. */
export const NATIVE_BACKEND = 'native';

/** Whether the native backend can be used, and why (not). */
export interface NativeStatus {
  ok: boolean;
  /** e.g. "oneDNN 2.6.3, 2 threads (omp)" or "native addon not built: oneDNN headers not found ...; to enable it: ..." */
  reason: string;
  /** when not ok: the one command that makes it available */
  fix?: string;
}

/** Availability of the native backend (loads the addon once; never throws). */
export function nativeStatus(): NativeStatus {
  const {addon, reason} = loadAddon();
  return addon ? {ok: true, reason} : {ok: false, reason, fix: NATIVE_FIX};
}

/**
 * Registers tfjs backend `native` (priority 0: selected only by tf.setBackend('native')) if the addon loads:
 * every cpu kernel is registered for it (guarded for the output pool, backend.ts), then the addon's kernels replace
 * theirs. Idempotent.
 */
export function registerNativeBackend(): NativeStatus {
  const status = nativeStatus();
  if (!status.ok || getKernel(nativeKernelConfigs[0].kernelName, NATIVE_BACKEND)) return status;
  registerBackend(NATIVE_BACKEND, () => new NativeBackend(), 0);
  const own = new Set(nativeKernelConfigs.map((k) => k.kernelName));
  for (const k of getKernelsForBackend('cpu')) {
    if (!own.has(k.kernelName)) registerKernel(poolSafeKernel({...k, backendName: NATIVE_BACKEND} as KernelConfig));
  }
  for (const k of nativeKernelConfigs) registerKernel(poolSafeKernel(k));  // their cpu fallbacks run inside
  return status;
}

/** Registers the `native` tfjs backend when its addon is built. (Placeholder until the native backend lands.) */
export interface NativeStatus {
  ok: boolean;
  /** why it is (not) available, e.g. "addon not built: libdnnl-dev missing (apt-get install -y libdnnl-dev)" */
  reason: string;
}

export function nativeStatus(): NativeStatus {
  return {ok: false, reason: 'the native backend is not implemented yet'};
}

export function registerNativeBackend(): NativeStatus {
  return nativeStatus();
}

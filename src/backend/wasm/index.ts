/** Registers the kernels tfjs-backend-wasm 4.22 lacks for training. (Placeholder until the wasm patches land.) */
export function registerWasmPatches(): {registered: string[]} {
  return {registered: []};
}

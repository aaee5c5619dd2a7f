/**
 * Backends we provide to tfjs: the `native` backend (oneDNN addon, `src/backend/native/`) and the kernels the wasm
 * backend lacks for training (`src/backend/wasm/`). Backend *selection* lives in `src/engine/backend.ts`.
 */
export {registerNativeBackend, nativeStatus} from './native';
export {registerWasmPatches} from './wasm';

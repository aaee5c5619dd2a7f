/**
 * Loads the oneDNN addon (native/build/Release/mixup_native.node) built by `native/build.js` at install time,
 * and types its functions. Every buffer argument is a tfjs backend Float32Array, read or written in place.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The functions of native/src/binding.cc (argument order and sizes are checked there). */
export interface NativeAddon {
  /** params: ConvShape fields, see native/src/conv_shape.h */
  conv2d(x: Float32Array, w: Float32Array, bias: Float32Array | null, relu: boolean, y: Float32Array, params: Int32Array): void;
  conv2dBackpropInput(dy: Float32Array, w: Float32Array, dx: Float32Array, params: Int32Array): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, params: Int32Array): void;
  /** params: PoolShape fields, see native/src/kernels.h */
  pool(x: Float32Array, y: Float32Array, params: Int32Array, max: boolean): void;
  poolGrad(x: Float32Array | null, dy: Float32Array, dx: Float32Array, params: Int32Array, max: boolean): void;
  batchNormTrain(x: Float32Array, gamma: Float32Array, beta: Float32Array, y: Float32Array, mean: Float32Array,
    variance: Float32Array, shape: number[], eps: number): void;
  batchNormTrainGrad(x: Float32Array, gamma: Float32Array, mean: Float32Array, variance: Float32Array, dy: Float32Array,
    dx: Float32Array, dgamma: Float32Array, dbeta: Float32Array, shape: number[], eps: number): void;
  /** tfjs FusedBatchNorm: x [..., channels]; mean, variance, scale, offset [channels] (scale/offset null: 1 / 0) */
  batchNormInference(x: Float32Array, mean: Float32Array, variance: Float32Array, scale: Float32Array | null,
    offset: Float32Array | null, y: Float32Array, channels: number, eps: number): void;
  /** dims: [BA, BB, M, K, N, transA, transB] */
  batchMatMul(a: Float32Array, b: Float32Array, bias: Float32Array | null, relu: boolean, y: Float32Array, dims: number[]): void;
  binary(op: 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min', a: Float32Array, b: Float32Array, y: Float32Array,
    shapeA: number[], shapeB: number[]): void;
  relu(x: Float32Array, y: Float32Array): void;
  step(x: Float32Array, y: Float32Array, alpha: number): void;
  addN(xs: Float32Array[], y: Float32Array): void;
  reduce(op: 'sum' | 'mean' | 'rmax' | 'rmin', x: Float32Array, y: Float32Array, shape: number[], outShape: number[]): void;
  transpose(x: Float32Array, y: Float32Array, shape: number[], perm: number[]): void;
  /**
   * Momentum-SGD with weight decay, in place on every params[k] and buffers[k] (native/src/kernels/Sgd.cc); a null
   * buffer means momentum 0, first[k] means buffers[k] = d (PyTorch's first step).
   * hyper: [lr, momentum, weightDecay, dampening, nesterov 0|1, hasGradScale 0|1, gradScale]
   */
  sgdStep(params: Float32Array[], grads: Float32Array[], buffers: Array<Float32Array | null>, first: boolean[], hyper: number[]): void;
  /**
   * sourceVersion: ADDON_SOURCE_VERSION of the sources it was built from (absent before version 2);
   * convGemmCalls: convolution passes run as im2col + sgemm (native/src/kernels/ConvGemm.cc) so far
   */
  info(): {dnnlVersion: string; cpuRuntime: string; threads: number; cacheSize: number; sourceVersion?: number;
    convGemmCalls: number};
  clearCache(): void;
}

/** Every function of NativeAddon: an addon built from older sources lacks some and is reported as out of date. */
export const ADDON_FUNCTIONS: ReadonlyArray<keyof NativeAddon> = ['conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter',
  'pool', 'poolGrad', 'batchNormTrain', 'batchNormTrainGrad', 'batchNormInference', 'batchMatMul', 'binary', 'relu',
  'step', 'addN', 'reduce', 'transpose', 'sgdStep', 'info', 'clearCache'];

/**
 * Bumped with native/src/binding.cc's `kSourceVersion` whenever the addon changes behaviour without adding a function
 * (an addon built before such a change still loads, so it is reported as out of date instead).
 */
export const ADDON_SOURCE_VERSION = 2;

/** Why an addon whose info() reports `sourceVersion` is out of date, or undefined when it is current. */
export function staleSourcesReason(file: string, sourceVersion: number | undefined): string | undefined {
  if (sourceVersion === ADDON_SOURCE_VERSION) return undefined;
  return `native addon ${file} is out of date (built from sources of version ${sourceVersion ?? 1}, these are version ${ADDON_SOURCE_VERSION}); fix: node native/build.js --force`;
}

/** The functions of ADDON_FUNCTIONS that a loaded module lacks (an addon built from older sources). */
export function missingAddonFunctions(module: object): string[] {
  return ADDON_FUNCTIONS.filter((name) => typeof (module as Record<string, unknown>)[name] !== 'function');
}

/** The command that installs oneDNN and builds the addon. */
export const NATIVE_FIX = 'apt-get install -y libdnnl-dev && npm run build:native';

/** The package root (holds package.json and native/), found from this file in src/ or dist/src/. */
function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'native', 'binding.gyp'))) {
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(__dirname, '../../..');
    dir = up;
  }
  return dir;
}

let loaded: {addon: NativeAddon | null; reason: string} | undefined;

/**
 * The addon, or null with the reason it is unavailable and the command that fixes it. Loads once.
 * MIXUP_NATIVE=off makes it unavailable (to run the fallback paths and the skipped-test path on a machine with oneDNN).
 */
export function loadAddon(): {addon: NativeAddon | null; reason: string} {
  if (process.env.MIXUP_NATIVE === 'off') return {addon: null, reason: 'disabled by MIXUP_NATIVE=off (unset it to use the addon)'};
  return (loaded ??= probeAddon(packageRoot()));
}

/** libgomp's busy-wait before a waiting thread sleeps, in spins (libgomp's own default is 300,000, ~3 ms). */
export const OPENMP_SPIN_COUNT = 10_000;

/**
 * How oneDNN's OpenMP threads wait between and inside kernels; libgomp reads these when the addon loads it, so this
 * runs before. Unless the user set OMP_WAIT_POLICY: PASSIVE, and a short spin (GOMP_SPINCOUNT, which libgomp applies
 * over the policy) unless that is set too. Spinning ~3 ms (libgomp's default) cost 3-8x per kernel once other
 * processes shared the cores; sleeping at once (PASSIVE alone) pays a futex wake-up at every parallel region and
 * barrier, which dominates small kernels (ResNet_CIFAR-18 base 16: ~10% of a step, docs/native-backend.md).
 */
export function setOpenMpWaitDefaults(env: NodeJS.ProcessEnv): void {
  if (env.OMP_WAIT_POLICY !== undefined) return;
  env.OMP_WAIT_POLICY = 'PASSIVE';
  if (env.GOMP_SPINCOUNT === undefined) env.GOMP_SPINCOUNT = String(OPENMP_SPIN_COUNT);
}

/** Loads `<root>/native/build/Release/mixup_native.node` (uncached; tests point it at other roots). */
export function probeAddon(root: string): {addon: NativeAddon | null; reason: string} {
  const file = path.join(root, 'native', 'build', 'Release', 'mixup_native.node');
  if (!fs.existsSync(file)) {
    let reason = `native addon not built; fix: ${NATIVE_FIX}`;
    try {
      const status = JSON.parse(fs.readFileSync(path.join(root, 'native', 'build', 'status.json'), 'utf8')) as {reason?: string};
      if (status.reason) reason = `native addon not built: ${status.reason}`;
    } catch {
      // no status file: the install script never ran (e.g. npm ci --ignore-scripts)
    }
    return {addon: null, reason};
  }
  setOpenMpWaitDefaults(process.env);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const addon = require(file) as NativeAddon;
    const missing = missingAddonFunctions(addon);
    if (missing.length > 0) {
      return {addon: null, reason: `native addon ${file} is out of date (it lacks ${missing.join(', ')}); fix: node native/build.js --force`};
    }
    const info = addon.info();
    const stale = staleSourcesReason(file, info.sourceVersion);
    if (stale) return {addon: null, reason: stale};
    return {addon, reason: `oneDNN ${info.dnnlVersion}, ${info.threads} threads (${info.cpuRuntime})`};
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return {addon: null, reason: `native addon failed to load (${msg}); fix: ${NATIVE_FIX}`};
  }
}

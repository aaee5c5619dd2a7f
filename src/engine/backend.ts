/**
 * tfjs backend selection: `--backend auto|tensorflow|webgpu|native|wasm|cpu` (flag, else config `backend`, else env
 * `MIXUP_BACKEND`, else `auto`).
 *
 * `auto` tries, in order: `@tensorflow/tfjs-node-gpu`, `@tensorflow/tfjs-node` (both only when the user installed
 * them: they download libtensorflow at install time, so they are never a dependency), `webgpu` (Dawn +
 * tfjs-backend-webgpu, `src/backend/webgpu.ts`; only on a hardware adapter: auto never picks a software one such as
 * SwiftShader), our oneDNN `native` backend (`src/backend/`), `@tensorflow/tfjs-backend-wasm` (plus the training
 * kernels it lacks), then the pure-JS `cpu`. A backend asked for by name that cannot load is an error that says how
 * to install it.
 */
import * as tf from '@tensorflow/tfjs-core';
// registers the gradient of every op (tfjs-core's CommonJS build has none; the `@tensorflow/tfjs` bundle does)
import '@tensorflow/tfjs';
import {registerNativeBackend, registerWasmPatches} from '../backend';
import {NATIVE_FIX} from '../backend/native';
import {loadWebgpu, probeWebgpuIsolated, WEBGPU_FIX, WEBGPU_INSTALL, type WebgpuAdapter} from '../backend/webgpu';
import {MixupError, usageError} from '../errors';

/** Names accepted by `--backend`. `tensorflow` = tfjs-node-gpu or tfjs-node, whichever is installed. */
export const BACKEND_NAMES = ['auto', 'tensorflow', 'webgpu', 'native', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** The outcome of a selection, printed at start and written into the log's meta line. */
export interface BackendChoice {
  /** the tfjs backend now active: `tensorflow`, `webgpu`, `native`, `wasm` or `cpu` */
  name: string;
  /** why it was chosen (and why the ones before it in the auto order were not) */
  reason: string;
  /** webgpu only: the adapter it runs on */
  adapter?: WebgpuAdapter;
}

/** One probe result, as `mixup doctor` shows it. */
export interface BackendProbe {
  /** `tfjs-node-gpu`, `tfjs-node`, `webgpu`, `native`, `wasm` or `cpu` */
  candidate: string;
  /** tfjs backend name it registers */
  backend: string;
  ok: boolean;
  /** why it is (not) usable */
  reason: string;
  /** the command that makes it available, when it is not */
  install?: string;
  /** set when it loads but `auto` passes it over (a software WebGPU adapter), saying why */
  autoSkips?: string;
  /** webgpu only: the adapter Dawn reports */
  adapter?: WebgpuAdapter;
}

/** How to install each optional backend (used in errors and by `mixup doctor`). */
export const INSTALL_HINTS: Record<string, string> = {
  'tfjs-node-gpu': 'npm install @tensorflow/tfjs-node-gpu@4.22.0  (Linux x86-64, NVIDIA driver + CUDA 11.2 + cuDNN 8.1; downloads libtensorflow at install)',
  'tfjs-node': 'npm install @tensorflow/tfjs-node@4.22.0  (downloads libtensorflow at install time)',
  webgpu: `${WEBGPU_INSTALL}; then ${WEBGPU_FIX}`,
  native: NATIVE_FIX,
  wasm: 'npm install @tensorflow/tfjs-backend-wasm@4.22.0',
  cpu: 'npm install @tensorflow/tfjs-backend-cpu@4.22.0',
};

/** What loading a candidate gives: usable or not and why, the fix when it is not, the adapter for webgpu. */
interface LoadResult {
  ok: boolean;
  reason: string;
  fix?: string;
  adapter?: WebgpuAdapter;
}

/** Why a candidate is loaded: `probe` (doctor: nothing may print or crash), `auto`, or asked for by name. */
type LoadMode = 'probe' | 'auto' | 'named';

type Loader = (mode: LoadMode) => LoadResult | Promise<LoadResult>;

/**
 * webgpu: probed in a child process unless asked for by name (Dawn's drivers print to stderr and may crash), and
 * loaded here only when it will be used: by name, or by auto on a hardware adapter.
 */
function loadWebgpuFor(mode: LoadMode): LoadResult | Promise<LoadResult> {
  if (mode === 'named') return loadWebgpu();
  const probe = probeWebgpuIsolated();
  if (mode === 'probe' || !probe.ok || probe.adapter?.software) return probe;
  return loadWebgpu();
}

/** `require` an optional package without making it a dependency; returns the error message when it is absent. */
function tryRequire(pkg: string): {ok: boolean; reason: string} {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(pkg);
    return {ok: true, reason: `${pkg} is installed`};
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    const missing = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && message.includes(pkg);
    return {ok: false, reason: missing ? `${pkg} is not installed` : `${pkg} failed to load: ${message}`};
  }
}

/** tfjs-node(-gpu) registers `tensorflow` into *its* tfjs-core; it is only usable when that is our tfjs-core. */
function loadTfjsNode(pkg: string): {ok: boolean; reason: string} {
  const loaded = tryRequire(pkg);
  if (!loaded.ok) return loaded;
  if (tf.findBackendFactory('tensorflow') === null) {
    return {ok: false, reason: `${pkg} loaded but registered its backend into another @tensorflow/tfjs-core than ours (${tf.version_core}); install ${pkg}@${tf.version_core}`};
  }
  return loaded;
}

/** Why `auto` passes over a candidate that loads (undefined: it takes it). */
function autoSkips(loaded: LoadResult): string | undefined {
  if (loaded.adapter?.software) return `${loaded.reason}: auto never picks a software adapter (--backend webgpu uses it)`;
  return undefined;
}

const CANDIDATES: ReadonlyArray<{candidate: string; backend: string; load: Loader}> = [
  {candidate: 'tfjs-node-gpu', backend: 'tensorflow', load: () => loadTfjsNode('@tensorflow/tfjs-node-gpu')},
  {candidate: 'tfjs-node', backend: 'tensorflow', load: () => loadTfjsNode('@tensorflow/tfjs-node')},
  {candidate: 'webgpu', backend: 'webgpu', load: loadWebgpuFor},
  {candidate: 'native', backend: 'native', load: () => registerNativeBackend()},
  {
    candidate: 'wasm',
    backend: 'wasm',
    load: () => {
      const loaded = tryRequire('@tensorflow/tfjs-backend-wasm');
      if (!loaded.ok) return loaded;
      const patches = registerWasmPatches();
      return {ok: true, reason: `WebAssembly (SIMD, 1 thread) with ${patches.registered.length} training kernel patch(es)`};
    },
  },
  {candidate: 'cpu', backend: 'cpu', load: () => tryRequire('@tensorflow/tfjs-backend-cpu')},
];

/** Which candidates a backend name covers, in the auto order. */
function candidatesFor(name: BackendName): typeof CANDIDATES {
  if (name === 'auto') return CANDIDATES;
  return CANDIDATES.filter((c) => c.backend === name);
}

/** Parses a backend name from a flag, config or env value; the error names where it came from. */
export function parseBackendName(value: unknown, source: string): BackendName {
  if (typeof value === 'string' && (BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName;
  throw usageError(`${source}: unknown backend ${JSON.stringify(value)}; expected one of ${BACKEND_NAMES.join(', ')}`);
}

/**
 * The backend a run asks for: the flag wins, then the config's `backend` field, then `MIXUP_BACKEND`, then auto.
 * A set `MIXUP_BACKEND` is validated even when the flag or config decides, so a typo in it is never ignored.
 * @param configPath shown in the error when the config's value is bad
 */
export function requestedBackend(flag: string | undefined, configValue: unknown, configPath = 'config'): BackendName {
  const env = process.env.MIXUP_BACKEND;
  const fromEnv = env !== undefined && env !== '' ? parseBackendName(env, 'MIXUP_BACKEND') : undefined;
  if (flag !== undefined) return parseBackendName(flag, '--backend');
  if (configValue !== undefined && configValue !== null) return parseBackendName(configValue, `${configPath}: backend`);
  return fromEnv ?? 'auto';
}

/** Stops tfjs printing its "install tfjs-node" banner (the cpu backend warns on first use under Node). */
function silenceBanner(): void {
  const instance = tf.backend() as unknown as {firstUse?: boolean} | undefined;
  if (instance && instance.firstUse === true) instance.firstUse = false;
}

/**
 * Probes every candidate without activating any (for `mixup doctor`). Loading a package registers its backend,
 * which is harmless; nothing is initialised (webgpu: Dawn is asked for an adapter, no device is created).
 */
export async function probeBackends(): Promise<BackendProbe[]> {
  const probes: BackendProbe[] = [];
  for (const {candidate, backend, load} of CANDIDATES) {
    const loaded = await load('probe');
    const skip = loaded.ok ? autoSkips(loaded) : undefined;
    probes.push({
      candidate,
      backend,
      ok: loaded.ok,
      reason: loaded.reason,
      ...(loaded.ok ? {} : {install: loaded.fix ?? INSTALL_HINTS[candidate]}),
      ...(skip ? {autoSkips: skip} : {}),
      ...(loaded.adapter ? {adapter: loaded.adapter} : {}),
    });
  }
  return probes;
}

/**
 * Activates the requested backend (`auto`: the first that loads and initialises, in the documented order).
 * @throws MixupError (backend) when a named backend cannot load, with the install command as a suggestion
 */
export async function selectBackend(requested: BackendName): Promise<BackendChoice> {
  const skipped: string[] = [];
  const fixes: string[] = [];
  for (const {candidate, backend, load} of candidatesFor(requested)) {
    const loaded = await load(requested === 'auto' ? 'auto' : 'named');
    let reason = loaded.reason;
    let ok = loaded.ok;
    if (!ok) fixes.push(loaded.fix ?? INSTALL_HINTS[candidate]);
    const skip = ok && requested === 'auto' ? autoSkips(loaded) : undefined;
    if (skip) {
      ok = false;
      reason = skip;
    }
    if (ok) {
      try {
        ok = await tf.setBackend(backend);
        if (!ok) reason = `tf.setBackend('${backend}') failed to initialise`;
      } catch (error) {
        ok = false;
        reason = `initialising '${backend}' failed: ${(error as Error).message}`;
      }
    }
    if (ok) {
      await tf.ready();
      silenceBanner();
      const why = requested === 'auto' ? `auto: ${reason}${skipped.length > 0 ? ` (skipped ${skipped.join('; ')})` : ''}` : `requested: ${reason}`;
      return {name: tf.getBackend(), reason: why, ...(loaded.adapter ? {adapter: loaded.adapter} : {})};
    }
    skipped.push(`${candidate}: ${reason}`);
  }
  const hints = fixes.length > 0 ? fixes : candidatesFor(requested).map((c) => INSTALL_HINTS[c.candidate]);
  throw new MixupError('backend', `backend "${requested}" cannot be used: ${skipped.join('; ')}`, {
    suggestions: [`To install it: ${hints.join('  or  ')}`, 'Run `mixup doctor` to see which backends are available.'],
  });
}

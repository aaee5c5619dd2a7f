/**
 * The `webgpu` tfjs backend in Node.js: Dawn (npm `webgpu`, a prebuilt `dawn.node` inside the package) provides
 * `navigator.gpu`, and `@tensorflow/tfjs-backend-webgpu` (the official tfjs WebGPU backend) runs on it.
 *
 * Dawn needs a Vulkan driver (on Linux): NVIDIA's Vulkan ICD on a GPU machine, or, without a GPU, SwiftShader's
 * software Vulkan ICD (Debian `chromium` ships it; point `VK_ICD_FILENAMES` at it). A software adapter computes the
 * same numbers but is far slower than the cpu backends: it is for correctness tests, and `--backend auto` never
 * picks it (src/engine/backend.ts).
 *
 * tfjs-backend-webgpu cannot read a GPU tensor synchronously in Node (`dataSync()` needs `OffscreenCanvas`), so
 * every host read on the training path is `await t.data()` (see `readFloats` in src/mixups/common.ts).
 */
import {spawnSync} from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

/** The backend's name for tf.setBackend. */
export const WEBGPU_BACKEND = 'webgpu';

/** Debian `chromium`'s SwiftShader Vulkan ICD (software Vulkan: correctness tests on machines without a GPU). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** The adapter Dawn gives tfjs (`requestAdapter({powerPreference: 'high-performance'})`, as the tfjs backend asks). */
export interface WebgpuAdapter {
  vendor: string;
  architecture: string;
  device: string;
  /** the driver, e.g. "SwiftShader driver 5.0.0" */
  description: string;
  /** a CPU (software) adapter: SwiftShader, llvmpipe/lavapipe, or one Dawn flags as a fallback adapter */
  software: boolean;
}

/** Whether the webgpu backend can be used, and why (not). */
export interface WebgpuStatus {
  ok: boolean;
  /** e.g. "Dawn adapter google / swiftshader (SwiftShader driver 5.0.0), software" or why there is none */
  reason: string;
  adapter?: WebgpuAdapter;
  /** when not ok: what makes it available */
  fix?: string;
}

/** How to install the two packages. */
export const WEBGPU_INSTALL = 'npm install webgpu@0.6.2 @tensorflow/tfjs-backend-webgpu@4.22.0';

/** What gives Dawn an adapter: a Vulkan driver. */
export const WEBGPU_FIX =
  `give Dawn a Vulkan driver: with an NVIDIA GPU install its Vulkan ICD (in containers set NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics); ` +
  `without a GPU (software, correctness only): apt-get install -y chromium && export VK_ICD_FILENAMES=${SWIFTSHADER_ICD}`;

interface DawnGpu {
  requestAdapter(options?: {powerPreference?: string}): Promise<{info: Record<string, unknown>} | null>;
}

/** The one Dawn instance of this process (installed as `navigator.gpu`), or why it cannot load. */
let installed: {gpu: DawnGpu} | {error: string; fix: string} | undefined;

/** Where npm `webgpu` keeps this platform's prebuilt `dawn.node` (undefined: the package is not installed). */
function dawnNodePath(): string | undefined {
  try {
    const root = path.dirname(require.resolve('webgpu/package.json'));
    const arch = process.platform === 'darwin' ? 'universal' : process.arch;
    return path.join(root, 'dist', `${process.platform}-${arch}`, 'dawn.node');
  } catch {
    return undefined;
  }
}

/** `require`s Dawn's `dawn.node` (npm `webgpu`'s own entry is an ES module) and installs `navigator.gpu`. */
function installNavigatorGpu(): {gpu: DawnGpu} | {error: string; fix: string} {
  if (installed) return installed;
  const dawnPath = dawnNodePath();
  if (dawnPath === undefined) return (installed = {error: 'npm package webgpu is not installed', fix: WEBGPU_INSTALL});
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const {create, globals} = require(dawnPath) as {create(flags: string[]): DawnGpu; globals: Record<string, unknown>};
    // GPUBufferUsage, GPUMapMode, ... are globals in a browser; tfjs-backend-webgpu uses them as such
    Object.assign(globalThis, globals);
    const gpu = create([]);
    const g = globalThis as {navigator?: {gpu?: unknown}};
    if (g.navigator === undefined) g.navigator = {gpu};
    else Object.defineProperty(g.navigator, 'gpu', {value: gpu, configurable: true});
    return (installed = {gpu});
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    return (installed = {error: `Dawn (${dawnPath}) failed to load: ${message}`, fix: `${WEBGPU_INSTALL}  (prebuilt for linux-x64/arm64, darwin, win32)`});
  }
}

/** A software adapter: SwiftShader, Mesa's llvmpipe/lavapipe, or Dawn's fallback (CPU) adapter. */
export function isSoftwareAdapter(info: Record<string, unknown>): boolean {
  if (info.isFallbackAdapter === true || info.type === 'CPU' || info.adapterType === 'cpu') return true;
  const text = [info.vendor, info.architecture, info.device, info.description].map((v) => String(v ?? '')).join(' ');
  return /swiftshader|llvmpipe|lavapipe|software/i.test(text);
}

/** "google / swiftshader (SwiftShader driver 5.0.0), software" */
export function describeAdapter(a: WebgpuAdapter): string {
  const name = [a.vendor, a.architecture].filter((s) => s !== '').join(' / ') || a.device || 'unknown adapter';
  return `${name}${a.description ? ` (${a.description})` : ''}${a.software ? ', software' : ''}`;
}

/** The adapter fields we keep, from Dawn's `GPUAdapterInfo`. */
function adapterFrom(info: Record<string, unknown>): WebgpuAdapter {
  return {
    vendor: String(info.vendor ?? ''),
    architecture: String(info.architecture ?? ''),
    device: String(info.device ?? ''),
    description: String(info.description ?? ''),
    software: isSoftwareAdapter(info),
  };
}

/** Run in a child Node: load Dawn, ask for the adapter tfjs would get, print its info as JSON (or null). */
const PROBE_SCRIPT = `
const {create, globals} = require(process.argv[1]);
create([]).requestAdapter({powerPreference: 'high-performance'}).then((a) => {
  const info = {};
  if (a) for (const k in a.info) if (typeof a.info[k] !== 'object') info[k] = a.info[k];
  process.stdout.write(JSON.stringify(a ? info : null), () => process.exit(0));
}, (e) => { process.stdout.write(JSON.stringify({error: String(e && e.message)}), () => process.exit(0)); });`;

/**
 * Asks Dawn for its adapter in a child process (for `--backend auto` and `mixup doctor`): the Vulkan loader and
 * drivers Dawn tries print to stderr (and a broken driver can crash the process), which a run that does not use
 * webgpu should never show. Does not register the tfjs backend; `loadWebgpu` does.
 */
export function probeWebgpuIsolated(): WebgpuStatus {
  const dawnPath = dawnNodePath();
  if (dawnPath === undefined) return {ok: false, reason: 'npm package webgpu is not installed', fix: WEBGPU_INSTALL};
  try {
    require.resolve('@tensorflow/tfjs-backend-webgpu');
  } catch {
    return {ok: false, reason: '@tensorflow/tfjs-backend-webgpu is not installed', fix: WEBGPU_INSTALL};
  }
  const child = spawnSync(process.execPath, ['-e', PROBE_SCRIPT, dawnPath], {encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe']});
  let parsed: unknown;
  try {
    parsed = JSON.parse(child.stdout);
  } catch {
    const last = String(child.stderr ?? '').trim().split('\n').pop() ?? '';
    const how = child.error ? child.error.message : child.signal ? `killed by ${child.signal}` : `exit code ${child.status}`;
    return {ok: false, reason: `Dawn's adapter probe failed (${how})${last ? `: ${last}` : ''}`, fix: WEBGPU_FIX};
  }
  if (parsed === null) return noAdapter();
  const info = parsed as Record<string, unknown>;
  if (typeof info.error === 'string') return {ok: false, reason: `Dawn's requestAdapter failed: ${info.error}`, fix: WEBGPU_FIX};
  const adapter = adapterFrom(info);
  return {ok: true, reason: `Dawn adapter ${describeAdapter(adapter)}`, adapter};
}

function noAdapter(): WebgpuStatus {
  const icd = process.env.VK_ICD_FILENAMES;
  return {ok: false, reason: `Dawn found no WebGPU adapter (no usable Vulkan driver${icd ? `; VK_ICD_FILENAMES=${icd}` : ''})`, fix: WEBGPU_FIX};
}

/**
 * Installs Dawn as `navigator.gpu`, asks it for an adapter and registers tfjs backend `webgpu` (priority as tfjs
 * sets it; we always select backends by name). Never throws; cached per process after the first success.
 */
export async function loadWebgpu(): Promise<WebgpuStatus> {
  const dawn = installNavigatorGpu();
  if ('error' in dawn) return {ok: false, reason: dawn.error, fix: dawn.fix};
  let info: Record<string, unknown>;
  try {
    const adapter = await dawn.gpu.requestAdapter({powerPreference: 'high-performance'});
    if (adapter === null) return noAdapter();
    info = adapter.info;
  } catch (error) {
    return {ok: false, reason: `Dawn's requestAdapter failed: ${(error as Error).message.split('\n')[0]}`, fix: WEBGPU_FIX};
  }
  const adapter = adapterFrom(info);
  if (tf.findBackendFactory(WEBGPU_BACKEND) === null) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('@tensorflow/tfjs-backend-webgpu');
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
      const message = (error as Error).message.split('\n')[0];
      return {ok: false, reason: missing ? '@tensorflow/tfjs-backend-webgpu is not installed' : `@tensorflow/tfjs-backend-webgpu failed to load: ${message}`, adapter, fix: WEBGPU_INSTALL};
    }
    if (tf.findBackendFactory(WEBGPU_BACKEND) === null) {
      return {ok: false, reason: `@tensorflow/tfjs-backend-webgpu loaded but registered its backend into another @tensorflow/tfjs-core than ours (${tf.version_core})`, adapter, fix: WEBGPU_INSTALL};
    }
  }
  return {ok: true, reason: `Dawn adapter ${describeAdapter(adapter)}`, adapter};
}

/**
 * `mixup doctor`: what this machine can train with: every tfjs backend candidate (in auto order) and why it is or
 * is not usable, which one `auto` picks, the native backend's status with the one command that enables it, and
 * the Node.js / tfjs versions.
 */
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import {nativeStatus} from '../backend';
import {NATIVE_FIX} from '../backend/native';
import {INSTALL_HINTS, probeBackends, type BackendProbe} from './backend';
import {MIXUP_VERSION} from './run';

/** The doctor's findings. */
export interface DoctorReport {
  mixup: string;
  node: string;
  tfjs: string;
  platform: string;
  cpus: string;
  /** candidates in auto order */
  backends: BackendProbe[];
  /** the tfjs backend `--backend auto` selects */
  auto: string | null;
  native: {ok: boolean; reason: string; fix?: string};
  /** how to use an NVIDIA GPU (webgpu on its Vulkan driver, or tfjs-node-gpu) */
  gpu: string;
}

/** Probes the machine (loads optional packages and asks Dawn for an adapter; initialises no backend). */
export async function doctor(): Promise<DoctorReport> {
  const backends = await probeBackends();
  const native = nativeStatus();
  return {
    mixup: MIXUP_VERSION,
    node: process.version,
    tfjs: tf.version_core,
    platform: `${process.platform} ${process.arch}`,
    cpus: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown'}`,
    backends,
    auto: backends.find((b) => b.ok && b.autoSkips === undefined)?.backend ?? null,
    native: {ok: native.ok, reason: native.reason, ...(native.ok ? {} : {fix: NATIVE_FIX})},
    gpu: `webgpu on the NVIDIA Vulkan driver (docs/backends.md; in containers NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics), or ${INSTALL_HINTS['tfjs-node-gpu']}`,
  };
}

/** The report as the lines the command prints. */
export function formatDoctor(r: DoctorReport): string[] {
  const lines = [`mixup ${r.mixup}, Node.js ${r.node}, TensorFlow.js ${r.tfjs}, ${r.platform}, ${r.cpus}`, '', 'backends (auto order):'];
  for (const b of r.backends) {
    lines.push(`  ${b.ok ? 'ok     ' : 'missing'} ${b.candidate.padEnd(14)} ${b.reason}`);
    if (b.install) lines.push(`          ${''.padEnd(14)} fix: ${b.install}`);
    if (b.autoSkips) lines.push(`          ${''.padEnd(14)} auto skips it: software adapter (correctness only; --backend webgpu uses it)`);
  }
  lines.push('', `auto picks: ${r.auto ?? 'nothing (no backend loads)'}`);
  lines.push(`native: ${r.native.ok ? `ok (${r.native.reason})` : `not available; to enable it: ${r.native.fix}`}`);
  lines.push(`GPU: ${r.gpu}`);
  return lines;
}

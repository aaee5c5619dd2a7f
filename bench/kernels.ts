/**
 * `npm run bench -- kernels [--batch 8] [--only TEXT] [--no-cpu] [--profile] [--train] [--json]`: the `native`
 * (oneDNN) backend; `--only` keeps the kernel rows whose name contains TEXT.
 *
 * 1. ms per kernel, native vs cpu, at ResNet-18 shapes (CIFAR stem at 32×32: 64/128/256/512 channels at 32/16/8/4 px;
 *    ImageNet stem at 224×224). Native: median of 3 after a warm-up; cpu: one run (it is ~100× slower).
 * 2. `--profile`: where a ResNet-18 (CIFAR stem, 32×32) training step on native spends its time, per kernel.
 * 3. `--train`: ResNet-18 training img/s on native (CIFAR stem 32×32 b64, ImageNet stem 64×64 b16 and 224×224 b8),
 *    momentum SGD, 2 warm-up + 3 timed steps, and peak RSS.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs'; // gradients
import {registerNativeBackend} from '../src/backend/native';
import {batchNormTrain} from '../src/backend/ops';
import {buildClassifier} from '../src/models';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const BATCH = arg('batch', 8);
const JSON_OUT = process.argv.includes('--json');
const log = (s: string) => { if (!JSON_OUT) console.log(s); };

/** Wall time of `fn` in ms: the median of `reps` runs after one warm-up (reps = 1: a single cold run). */
function timeIt(fn: () => tf.Tensor | tf.Tensor[], reps: number): number {
  const times: number[] = [];
  for (let i = 0; i < (reps === 1 ? 1 : reps + 1); i++) {
    const t0 = performance.now();
    const out = fn();
    (Array.isArray(out) ? out : [out]).forEach((t) => t.dataSync());
    if (reps === 1 || i > 0) times.push(performance.now() - t0);
    tf.dispose(out);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

interface KernelCase { name: string; shapes: number[][]; run: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[] }

function kernelCases(n: number): KernelCase[] {
  const conv = (s: number) => (x: tf.Tensor, w: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, 'same');
  const kernel = (name: string, inputs: Record<string, tf.Tensor>, attrs: object) =>
    tf.engine().runKernel(name, inputs as never, attrs as never) as tf.Tensor;
  const convAttrs = (s: number) => ({strides: s, pad: 'same', dataFormat: 'NHWC', dilations: 1});
  return [
    {name: `Conv2D 3x3 64->64 ${n}x32x32`, shapes: [[n, 32, 32, 64], [3, 3, 64, 64]], run: conv(1)},
    {name: `Conv2D 3x3 256->256 ${n}x8x8`, shapes: [[n, 8, 8, 256], [3, 3, 256, 256]], run: conv(1)},
    {name: `Conv2D 7x7/2 3->64 ${n}x224x224`, shapes: [[n, 224, 224, 3], [7, 7, 3, 64]], run: conv(2)},
    {name: `Conv2DBackpropInput 3x3 64->64 ${n}x32x32`, shapes: [[n, 32, 32, 64], [3, 3, 64, 64]],
      run: (dy, w) => kernel('Conv2DBackpropInput', {dy, filter: w}, {...convAttrs(1), inputShape: dy.shape})},
    {name: `Conv2DBackpropFilter 3x3 64->64 ${n}x32x32`, shapes: [[n, 32, 32, 64], [n, 32, 32, 64]],
      run: (x, dy) => kernel('Conv2DBackpropFilter', {x, dy}, {...convAttrs(1), filterShape: [3, 3, 64, 64]})},
    {name: `MaxPool 3x3/2 ${n}x112x112x64`, shapes: [[n, 112, 112, 64]], run: (x) => tf.maxPool(x as tf.Tensor4D, 3, 2, 'same')},
    {name: `BatchMatMul ${n}x512 . 512x1000`, shapes: [[n, 512], [512, 1000]], run: (a, b) => tf.matMul(a, b)},
    {name: `Relu ${n}x32x32x64`, shapes: [[n, 32, 32, 64]], run: (x) => tf.relu(x)},
    {name: `Add ${n}x32x32x64`, shapes: [[n, 32, 32, 64], [n, 32, 32, 64]], run: (a, b) => tf.add(a, b)},
    {name: `Mul ${n}x32x32x64 by [64]`, shapes: [[n, 32, 32, 64], [64]], run: (a, b) => tf.mul(a, b)},
    {name: `Sum over N,H,W ${n}x32x32x64`, shapes: [[n, 32, 32, 64]], run: (x) => tf.sum(x, [0, 1, 2])},
    {name: `Transpose NHWC->NCHW ${n}x32x32x64`, shapes: [[n, 32, 32, 64]], run: (x) => tf.transpose(x, [0, 3, 1, 2])},
    {name: `batch norm fwd+bwd (cpu: moments+batchNorm autodiff; native: ops.batchNormTrain) ${n}x32x32x64`,
      shapes: [[n, 32, 32, 64], [64], [64]], run: (x, g, b) => tf.grads((xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => {
        if (tf.getBackend() === 'native') {
          return tf.sum(batchNormTrain(xx as tf.Tensor4D, gg as tf.Tensor1D, bb as tf.Tensor1D, 1e-5).y);
        }
        const {mean, variance} = tf.moments(xx, [0, 1, 2]);
        return tf.sum(tf.batchNorm(xx as tf.Tensor4D, mean, variance, bb as tf.Tensor1D, gg as tf.Tensor1D, 1e-5));
      })([x, g, b])},
  ];
}

function kernelTable(withCpu: boolean): Array<{kernel: string; nativeMs: number; cpuMs?: number; speedup?: number}> {
  const rows = [];
  const only = process.argv.indexOf('--only');
  const filter = only >= 0 ? process.argv[only + 1] : '';
  for (const c of kernelCases(BATCH).filter((k) => k.name.includes(filter))) {
    const make = () => c.shapes.map((s) => tf.randomUniform(s, -1, 1));
    tf.setBackend('native');
    const xs = make();
    const nativeMs = timeIt(() => c.run(...xs), 3);
    tf.dispose(xs);
    let cpuMs: number | undefined;
    if (withCpu) {
      tf.setBackend('cpu');
      const ys = make();
      cpuMs = timeIt(() => c.run(...ys), 1);
      tf.dispose(ys);
    }
    const row = {kernel: c.name, nativeMs: +nativeMs.toFixed(2), cpuMs: cpuMs && +cpuMs.toFixed(1),
      speedup: cpuMs && +(cpuMs / nativeMs).toFixed(1)};
    log(`${row.kernel.padEnd(80)} native ${String(row.nativeMs).padStart(8)} ms` +
      (cpuMs ? `   cpu ${String(row.cpuMs).padStart(9)} ms   ×${row.speedup}` : ''));
    rows.push(row);
  }
  return rows;
}

/** ResNet-18 (`cifar`: 3×3 stem, no max-pool) and a momentum-SGD training step on random data. */
function trainer(cifar: boolean, batch: number, size: number) {
  const model = buildClassifier({backbone: {type: cifar ? 'ResNet_CIFAR' : 'ResNet', depth: 18},
    head: {type: 'ClsHead', num_classes: 10, in_channels: 512}}, {seed: 0});
  const opt = tf.train.momentum(0.05, 0.9);
  const x = tf.randomUniform([batch, size, size, 3], -1, 1) as tf.Tensor4D;
  const labels = tf.oneHot(tf.tensor1d(Array.from({length: batch}, (_, i) => i % 10), 'int32'), 10);
  const params = [...model.params.values()];
  return () => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(labels, model.forward(x, {training: true})), true, params);
    loss?.dataSync();
    loss?.dispose();
  };
}

async function profileStep(): Promise<Array<{kernel: string; ms: number; share: number}>> {
  tf.setBackend('native');
  const step = trainer(true, 64, 32);
  step();
  const prof = await tf.profile(() => { step(); });
  const byKernel = new Map<string, number>();
  for (const k of prof.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
  const rows = [...byKernel.entries()].sort((a, b) => b[1] - a[1])
    .map(([kernel, ms]) => ({kernel, ms: +ms.toFixed(1), share: +(100 * ms / total).toFixed(1)}));
  log(`\nResNet-18 CIFAR 32x32 b64 training step on native, kernel time ${total.toFixed(0)} ms:`);
  rows.slice(0, 20).forEach((r) => log(`  ${r.kernel.padEnd(28)} ${String(r.ms).padStart(8)} ms  ${r.share}%`));
  return rows;
}

function trainSpeed(): Array<{config: string; imgPerSec: number; peakRssMB: number}> {
  tf.setBackend('native');
  const out = [];
  for (const [cifar, batch, size] of [[true, 64, 32], [false, 16, 64], [false, 8, 224]] as Array<[boolean, number, number]>) {
    const step = trainer(cifar, batch, size);
    let peak = 0;
    for (let i = 0; i < 2; i++) step();
    const t0 = performance.now();
    for (let i = 0; i < 3; i++) { step(); peak = Math.max(peak, process.memoryUsage().rss); }
    const imgPerSec = (3 * batch) / ((performance.now() - t0) / 1000);
    const row = {config: `ResNet-18 ${cifar ? 'CIFAR' : 'ImageNet'} stem ${size}x${size} b${batch}`,
      imgPerSec: +imgPerSec.toFixed(1), peakRssMB: Math.round(peak / 2 ** 20)};
    log(`${row.config.padEnd(40)} ${String(row.imgPerSec).padStart(7)} img/s  peak RSS ${row.peakRssMB} MB`);
    out.push(row);
  }
  return out;
}

async function main(): Promise<void> {
  const status = registerNativeBackend();
  if (!status.ok) {
    console.error(`native backend unavailable: ${status.reason}`);
    process.exit(4);
  }
  log(`native backend: ${status.reason}`);
  const result: Record<string, unknown> = {backend: status.reason, batch: BATCH};
  if (!process.argv.includes('--profile') && !process.argv.includes('--train')) {
    result.kernels = kernelTable(!process.argv.includes('--no-cpu'));
  }
  if (process.argv.includes('--profile')) result.profile = await profileStep();
  if (process.argv.includes('--train')) result.train = trainSpeed();
  if (JSON_OUT) console.log(JSON.stringify(result, null, 2));
}

void main();

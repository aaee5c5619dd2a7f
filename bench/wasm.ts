/**
 * `npm run bench -- wasm [--batch 16] [--size 32] [--steps 2] [--json]`: what the wasm training patches buy.
 *
 * 1. Kernel timings (ms, median of 3 after a warm-up) for a ResNet-sized 3×3 convolution at stride 1 and 2:
 *    forward Conv2D, the stock and the patched Conv2DBackpropInput, the patched Conv2DBackpropFilter; and the
 *    batch-norm gradient's Tile, stock and patched.
 * 2. Training img/s and peak RSS of the "small" ResNet of ../shared/reference/tfjs-cpu-measurements.md
 *    (3×3 stem 32 ch, 3 stages × 2 BasicBlocks 32/64/128, GAP, dense 10; momentum SGD) with only the missing
 *    Conv2DBackpropFilter added, then + the fast input gradient, then + the fast Tile (all patches).
 *    Single-threaded: wasm has no threads under Node.
 */
import * as tf from '@tensorflow/tfjs';
import {registerWasmPatches} from '../src/backend/wasm';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const BATCH = arg('batch', 16);
const SIZE = arg('size', 32);
const STEPS = arg('steps', 2);
const JSON_OUT = process.argv.includes('--json');

/** Median wall time of `fn` over 3 runs after one warm-up, in ms. */
async function timeKernel(fn: () => tf.Tensor): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 4; i++) {
    const t0 = performance.now();
    const out = fn();
    await out.data();
    if (i > 0) times.push(performance.now() - t0);
    out.dispose();
  }
  return times.sort((a, b) => a - b)[1];
}

/** The stock kernels our patches replace, captured before `registerWasmPatches()`. */
type Stock = Record<'Conv2DBackpropInput' | 'Tile', tf.KernelConfig>;

/** Registers `config` for wasm in place of whatever is registered under its name. */
function use(config: tf.KernelConfig): void {
  tf.unregisterKernel(config.kernelName, 'wasm');
  tf.registerKernel(config);
}

/** Median ms of kernel `name` run through the engine with the stock and with the patched registration. */
async function stockVsPatched(stock: tf.KernelConfig, run: () => tf.Tensor): Promise<{stock: number, patched: number}> {
  const patched = tf.getKernel(stock.kernelName, 'wasm') as tf.KernelConfig;
  use(stock);
  const stockMs = await timeKernel(run);
  use(patched);
  return {stock: stockMs, patched: await timeKernel(run)};
}

/** ms per kernel for x [8, 32, 32, CI] and a 3×3 CI→CO filter at `stride`, 'same' padding. */
async function kernelTimes(stock: Stock, ci: number, co: number, stride: number): Promise<Record<string, number>> {
  const x = tf.randomNormal([8, 32, 32, ci]) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, ci, co]) as tf.Tensor4D;
  const dy = tf.conv2d(x, w, stride, 'same');
  const attrs = {strides: stride, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined};
  const run = (k: string, inputs: object, extra: object) =>
    tf.engine().runKernel(k, inputs as never, {...attrs, ...extra} as never) as tf.Tensor;
  const dx = await stockVsPatched(stock.Conv2DBackpropInput,
    () => run('Conv2DBackpropInput', {dy, filter: w}, {inputShape: x.shape}));
  const out = {
    conv2d: await timeKernel(() => tf.conv2d(x, w, stride, 'same')),
    dxStock: dx.stock,
    dxPatched: dx.patched,
    dwPatched: await timeKernel(() => run('Conv2DBackpropFilter', {x, dy}, {filterShape: w.shape})),
  };
  tf.dispose([x, w, dy]);
  return out;
}

/** Variables of the small ResNet: every conv with its BN gamma/beta. */
function smallResNet(): {params: tf.Variable[], forward: (x: tf.Tensor4D) => tf.Tensor2D} {
  const params: tf.Variable[] = [];
  const convBn = (ci: number, co: number, k: number) => {
    const w = tf.variable(tf.randomNormal([k, k, ci, co], 0, Math.sqrt(2 / (k * k * ci))));
    const g = tf.variable(tf.ones([co]));
    const b = tf.variable(tf.zeros([co]));
    params.push(w, g, b);
    return (x: tf.Tensor4D, stride: number, relu: boolean): tf.Tensor4D => {
      const y = tf.conv2d(x, w as tf.Tensor4D, stride, 'same');
      const {mean, variance} = tf.moments(y, [0, 1, 2]);
      const [m, v, beta, gamma] = [mean, variance, b, g] as tf.Tensor1D[];
      const n = tf.batchNorm4d(y, m, v, beta, gamma, 1e-5);
      return relu ? tf.relu(n) : n;
    };
  };
  const stem = convBn(3, 32, 3);
  const blocks: Array<(x: tf.Tensor4D) => tf.Tensor4D> = [];
  let ci = 32;
  for (const [co, stride] of [[32, 1], [64, 2], [128, 2]]) {
    for (let b = 0; b < 2; b++) {
      const s = b === 0 ? stride : 1;
      const c1 = convBn(ci, co, 3);
      const c2 = convBn(co, co, 3);
      const sc = s !== 1 || ci !== co ? convBn(ci, co, 1) : undefined;
      blocks.push((x) => tf.relu(tf.add(c2(c1(x, s, true), 1, false), sc ? sc(x, s, false) : x)) as tf.Tensor4D);
      ci = co;
    }
  }
  const dense = tf.variable(tf.randomNormal([128, 10], 0, 0.05));
  params.push(dense);
  const features = (x: tf.Tensor4D) => tf.mean(blocks.reduce((h, f) => f(h), stem(x, 1, true)), [1, 2]) as tf.Tensor2D;
  return {params, forward: (x) => tf.matMul(features(x), dense)};
}

/** img/s of momentum-SGD steps on random data (1 warm-up step, then `STEPS` timed). */
async function trainImagesPerSecond(): Promise<number> {
  const net = smallResNet();
  const x = tf.randomNormal([BATCH, SIZE, SIZE, 3]) as tf.Tensor4D;
  const y = tf.oneHot(tf.tensor1d(Int32Array.from({length: BATCH}, (_, i) => i % 10), 'int32'), 10).cast('float32');
  const opt = tf.train.momentum(0.05, 0.9);
  let t0 = 0;
  for (let step = 0; step <= STEPS; step++) {
    if (step === 1) t0 = performance.now();
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, net.forward(x)) as tf.Scalar, true) as tf.Scalar;
    await loss.data();
    loss.dispose();
  }
  const ips = (BATCH * STEPS) / ((performance.now() - t0) / 1000);
  opt.dispose();
  tf.dispose([x, y, ...net.params]);
  return ips;
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  const stock: Stock = {
    Conv2DBackpropInput: {...tf.getKernel('Conv2DBackpropInput', 'wasm')} as tf.KernelConfig,
    Tile: {...tf.getKernel('Tile', 'wasm')} as tf.KernelConfig,
  };
  registerWasmPatches();
  const patched = {dx: tf.getKernel('Conv2DBackpropInput', 'wasm'), tile: tf.getKernel('Tile', 'wasm')} as
    Record<'dx' | 'tile', tf.KernelConfig>;
  const bnScale = tf.randomNormal([1, 1, 1, 64]);
  const kernels = {
    's1 8x32x32x32 -> 32': await kernelTimes(stock, 32, 32, 1),
    's2 8x32x32x64 -> 128': await kernelTimes(stock, 64, 128, 2),
  };
  const tile = await stockVsPatched(stock.Tile, () => tf.tile(bnScale, [16, 32, 32, 1]));
  // training: only the missing dW added (stock dx and Tile), then + fast dx, then + fast Tile (all patches)
  use(stock.Conv2DBackpropInput);
  use(stock.Tile);
  const dwOnly = await trainImagesPerSecond();
  use(patched.dx);
  const withDx = await trainImagesPerSecond();
  use(patched.tile);
  const all = await trainImagesPerSecond();
  const result = {
    backend: tf.getBackend(), simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'), batch: BATCH, size: SIZE, steps: STEPS,
    kernelsMs: kernels, tileMs: tile, trainImgPerSec: {dwOnly, withDx, all},
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  if (JSON_OUT) {
    console.log(JSON.stringify(result));
    return;
  }
  const fix = (v: Record<string, number>) =>
    Object.fromEntries(Object.entries(v).map(([k, ms]) => [k, +ms.toFixed(1)]));
  console.log(`wasm (SIMD ${result.simd}, 1 thread), kernel ms (median of 3):`);
  console.table(Object.fromEntries(Object.entries(kernels).map(([k, v]) => [k, fix(v)])));
  console.log(`Tile [1,1,1,64] -> [16,32,32,64]: stock ${tile.stock.toFixed(1)} ms, ` +
    `patched ${tile.patched.toFixed(1)} ms`);
  console.log(`small ResNet ${SIZE}x${SIZE} batch ${BATCH}, ${STEPS} timed steps, img/s: ` +
    `dW patch only ${dwOnly.toFixed(2)}, + fast dx ${withDx.toFixed(2)}, ` +
    `+ fast Tile (all patches) ${all.toFixed(2)}; ` +
    `peak RSS ${result.peakRssMB} MB`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

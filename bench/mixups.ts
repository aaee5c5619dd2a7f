/**
 * `npm run bench -- mixups [--batch 64,16] [--size 224] [--backends cpu,wasm] [--methods a,b] [--reps 3] [--json]`:
 * milliseconds per batch of each implemented mixing method (the `mix` call and reading its output back, so the
 * tensors are really computed), on each backend that loads. Feature-level methods are timed on `plan.apply` of a
 * typical feature map (ManifoldMix: stage 1 of a ResNet-18, B×56×56×64; AlignMix: last stage, B×7×7×512).
 * PuzzleMix and AttentiveMix get cheap stand-in hooks (the images as "gradient", a 7×7 resize as "features"), so
 * their figures exclude the extra backward / extractor forward they need in training.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {registry} from '../src/mixups';
import type {MixOutput, ModelHooks} from '../src/mixups/types';
import {Rng} from '../src/rng';

interface Row {
  method: string;
  backend: string;
  batch: number;
  size: number;
  msPerBatch: number;
  imagesPerSecond: number;
  rssMB: number;
}

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const hooks: ModelHooks = {
  inputGradient: (x) => tf.clone(x),
  extractorFeatures: (x) => tf.image.resizeBilinear(x, [7, 7]) as tf.Tensor4D,
};

function featureShape(out: MixOutput & {kind: 'feature'}, n: number): [number, number, number, number] {
  return out.plan.stage === -1 ? [n, 7, 7, 512] : [n, 56, 56, 64];
}

/** One timed call: mix (and apply the plan for feature methods), then read the result back. */
async function once(name: string, images: tf.Tensor4D, labels: Int32Array, seed: number): Promise<number> {
  const method = registry.get(name);
  const start = performance.now();
  const out = await method.mix({images, labels}, {rng: new Rng(seed), alpha: 1, args: method.parseArgs ? method.parseArgs({}) : {}, hooks});
  let result: tf.Tensor = out.images;
  let features: tf.Tensor4D | undefined;
  if (out.kind === 'feature') {
    features = tf.randomUniform(featureShape(out, labels.length)) as tf.Tensor4D;
    const t0 = performance.now();
    result = out.plan.apply(features);
    await result.data();
    const ms = performance.now() - t0;
    tf.dispose([out.images, result, features]);
    return ms;
  }
  await result.data();
  const ms = performance.now() - start;
  tf.dispose([out.images, ...(out.mask ? [out.mask] : [])]);
  return ms;
}

async function main(): Promise<void> {
  const batches = option('batch', '64,16').split(',').map(Number);
  const size = Number(option('size', '224'));
  const reps = Number(option('reps', '3'));
  const backends = option('backends', 'cpu,wasm').split(',');
  const methods = option('methods', registry.names().filter((n) => registry.get(n).implemented).join(',')).split(',');
  const json = process.argv.includes('--json');
  const rows: Row[] = [];
  for (const backend of backends) {
    if (backend === 'wasm') {
      try {
        require('@tensorflow/tfjs-backend-wasm');
      } catch (error) {
        console.error(`wasm backend not available: ${(error as Error).message}`);
        continue;
      }
    }
    if (!(await tf.setBackend(backend).catch(() => false))) {
      console.error(`backend ${backend} did not initialise; skipped`);
      continue;
    }
    for (const n of batches) {
      const rng = new Rng(0);
      const images = tf.tensor4d(Float32Array.from({length: n * size * size * 3}, () => rng.normal()), [n, size, size, 3]);
      const labels = Int32Array.from({length: n}, (_, i) => i % 200);
      for (const name of methods) {
        await once(name, images, labels, 0); // warm-up
        const times: number[] = [];
        for (let r = 0; r < reps; r++) times.push(await once(name, images, labels, r + 1));
        times.sort((a, b) => a - b);
        const ms = times[Math.floor(times.length / 2)];
        const row = {method: name, backend, batch: n, size, msPerBatch: Math.round(ms * 10) / 10, imagesPerSecond: Math.round((n / ms) * 1000 * 10) / 10, rssMB: Math.round(process.memoryUsage().rss / 2 ** 20)};
        rows.push(row);
        if (!json) console.error(`${backend} b${n} ${name}: ${row.msPerBatch} ms`);
      }
      images.dispose();
    }
  }
  if (json) {
    console.log(JSON.stringify({reps, statistic: 'median', rows}, null, 2));
    return;
  }
  const Table = require('cli-table3');
  const table = new Table({head: ['method', 'backend', 'batch', 'ms / batch', 'images / s', 'RSS MB'], style: {head: [], border: []}});
  for (const r of rows) table.push([r.method, r.backend, `${r.batch}×${r.size}×${r.size}×3`, r.msPerBatch, r.imagesPerSecond, r.rssMB]);
  console.log(table.toString());
  console.log(`median of ${reps} runs after one warm-up; feature methods: plan.apply only`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

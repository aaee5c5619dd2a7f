/**
 * `npm run bench -- automix [--configs a.json,b.json] [--backend native] [--steps 6] [--json]`
 *
 * Cost of a learned-mixer training step against a plain mixup step: each config (default: the demo's mixup,
 * AutoMix and SAMix configs, ResNet_CIFAR-18 base 16, 32×32, batch 64) in its own child process, its learner's
 * `step` (the engine's: for AutoMix the Mix Block, three forward/backward passes, two SGD groups and the momentum
 * update) on a resident random batch, read back every step. Reports img/s after 2 warm-up steps, ms per step,
 * the ratio to the first config, and the child's peak RSS. Weights random; no data loading, no validation.
 */
import * as tf from '@tensorflow/tfjs-core';
import {loadConfig} from '../src/config/validate';
import {parseBackendName, selectBackend} from '../src/engine/backend';
import {buildTrainable, numClassesOf} from '../src/engine/parts';
import {Rng} from '../src/rng';
import {arg, childRow} from './lib/child';

const DEFAULT_CONFIGS = ['configs/demo/r18_mixups_CE_none.json', 'configs/demo/automix.json', 'configs/demo/samix.json'];

interface Row {
  config: string;
  backend?: string;
  imagesPerSecond?: number;
  msPerStep?: number;
  ratio?: number;
  peakRssMB?: number;
  error?: string;
}

/** Child: times one config's learner step, prints one JSON line. */
async function child(configPath: string, backend: string, steps: number): Promise<void> {
  const choice = await selectBackend(parseBackendName(backend, '--backend'));
  const config = loadConfig(configPath);
  const trainable = buildTrainable(config, 0, configPath, false);
  const learner = trainable.learner(1, steps + 2);
  const n = config.data.imgs_per_gpu;
  const size = 32;
  const rng = new Rng(0);
  const classes = numClassesOf(config);
  const batch = {
    images: Float32Array.from({length: n * size * size * 3}, () => rng.normal()),
    shape: [n, size, size, 3] as [number, number, number, number],
    labels: Int32Array.from({length: n}, (_, i) => i % classes),
  };
  const step = async (iter: number) => {
    const result = await learner.step(batch, {rng, epoch: 0, iter});
    await result.loss.data();
    tf.dispose([result.loss, ...Object.values(result.metrics).filter((m): m is tf.Scalar => typeof m !== 'number')]);
  };
  await step(0);
  await step(1);
  const t = performance.now();
  for (let i = 0; i < steps; i++) await step(i + 2);
  const ms = (performance.now() - t) / steps;
  learner.dispose();
  trainable.dispose();
  const row: Row = {config: configPath, backend: choice.name, imagesPerSecond: (n * 1000) / ms, msPerStep: ms, peakRssMB: process.resourceUsage().maxRSS / 1024};
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

async function main(): Promise<void> {
  const steps = Number(arg('steps', '6'));
  const backend = arg('backend', 'auto');
  if (process.argv.includes('--child')) return child(arg('config', ''), backend, steps);
  const configs = arg('configs', DEFAULT_CONFIGS.join(',')).split(',');
  const json = process.argv.includes('--json');
  const rows: Row[] = [];
  for (const config of configs) {
    const row = childRow<Row>(__filename, ['--config', config, '--backend', backend, '--steps', String(steps)], Number(arg('timeout', '600')), (error) => ({config, error}));
    if (rows[0]?.imagesPerSecond !== undefined && row.imagesPerSecond !== undefined) row.ratio = rows[0].imagesPerSecond / row.imagesPerSecond;
    rows.push(row);
    if (!json) {
      const f = (v: number | undefined, d = 1) => (v === undefined ? '-' : v.toFixed(d));
      console.log(
        row.error
          ? `${config}: error: ${row.error}`
          : `${config.padEnd(42)} ${row.backend} ${f(row.imagesPerSecond)} img/s, ${f(row.msPerStep, 0)} ms/step${row.ratio === undefined ? '' : `, ${f(row.ratio, 2)}x the first`}, peak RSS ${f(row.peakRssMB, 0)} MB`,
      );
    }
  }
  if (json) console.log(JSON.stringify(rows, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

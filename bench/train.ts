/**
 * `npm run bench -- train [--backends native,wasm,cpu,webgpu] [--shapes cifar32,in64,in224,cifar32s] [--steps 4]
 *   [--warmup 2] [--batch N] [--timeout 300] [--json]`
 *
 * Training speed of ResNet-18 per backend and input shape, each (backend, shape) in its own child process:
 * - `cifar32`: CIFAR stem (3×3, no max-pool), 32×32, batch 64;  `in64`: ImageNet stem, 64×64, batch 16;
 *   `in224`: ImageNet stem, 224×224, batch 8;  `cifar32s`: ResNet_CIFAR-18 with base_channels 16 (stage widths
 *   16/32/64/128, the demo's model), 32×32, batch 64. 100 classes. Weights random; inputs random (mixup in the loop).
 * - `pure`: forward + backward + SGD update on one resident batch (`tf.variableGrads` + `Sgd`), img/s, after
 *   `--warmup` (2) warm-up steps, measured before and after the loop and averaged;
 * - `loop`: the engine's `train()` (loader, mixup schedule, loss/acc metrics, logging every 50 iters; on webgpu,
 *   whose kernels run after the call returns, every iteration, timed after each loss read), img/s;
 *   `overhead` = pure / loop − 1 (what the loop adds);
 * - peak RSS of the child (`process.resourceUsage().maxRSS`).
 * `--batch N` replaces every shape's batch (a webgpu run on SwiftShader, software Vulkan, takes about a minute per
 * step of cifar32s at batch 64: `--batch 4 --steps 1 --warmup 1` measures it in minutes). On webgpu the line names the
 * adapter and says "software adapter" when it is one (correctness only, never a speed figure for a GPU).
 * With `/usr/bin/python3` + torch, the same pure step in PyTorch (CPU, 2 threads) gives the ratio ours / PyTorch;
 * without torch that column says so. A child that exceeds its time limit is reported as such, not guessed.
 */
import {fillDefaults} from '../src/config/normalise';
import {LrSchema} from '../src/config/schema';
import {spawnSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {describeAdapter} from '../src/backend/webgpu';
import {parseBackendName, selectBackend} from '../src/engine/backend';
import {RunLogger} from '../src/engine/logger';
import {buildLrSchedule} from '../src/engine/lr';
import {Sgd} from '../src/engine/sgd';
import {ClassifierLearner, type HostBatchLike, type LoaderLike} from '../src/engine/learner';
import {train} from '../src/engine/trainer';
import {arg, childRow} from './lib/child';
import {formatRow, type Row, type ShapeName} from './lib/train-row';
import {accuracyMixDevice, accuracyTop1Device, mixLoss, MixSchedule, registry} from '../src/mixups';
import {buildClassifier} from '../src/models';
import {Rng} from '../src/rng';

/** base: base_channels (stem width and first-stage planes; the stages have 1, 2, 4, 8 × base). */
const SHAPES: Record<ShapeName, {stem: string; size: number; batch: number; torchStem: string; base: number}> = {
  cifar32: {stem: 'ResNet_CIFAR', size: 32, batch: 64, torchStem: 'cifar', base: 64},
  in64: {stem: 'ResNet', size: 64, batch: 16, torchStem: 'imagenet', base: 64},
  in224: {stem: 'ResNet', size: 224, batch: 8, torchStem: 'imagenet', base: 64},
  cifar32s: {stem: 'ResNet_CIFAR', size: 32, batch: 64, torchStem: 'cifar', base: 16},
};
const CLASSES = 100;

/** `--<name>` as an integer >= `min`, or `fallback`. */
function intArg(name: string, fallback: number, min: number): number {
  const raw = arg(name, String(fallback));
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name}: expected an integer >= ${min}, got "${raw}"`);
  return value;
}

/** Child: measures one backend and shape, prints one JSON line. */
async function child(backend: string, shapeName: ShapeName, steps: number, warmup: number, batch: number): Promise<void> {
  const shape = SHAPES[shapeName];
  const choice = await selectBackend(parseBackendName(backend, '--backends'));
  const model = buildClassifier({
    backbone: {type: shape.stem, depth: 18, out_indices: [3], base_channels: shape.base},
    head: {type: 'ClsHead', num_classes: CLASSES, in_channels: 8 * shape.base},
  }, {seed: 0});
  const rng = new Rng(0);
  const n = batch;
  const pixels = n * shape.size * shape.size * 3;
  const images = Float32Array.from({length: pixels}, () => rng.normal());
  const labels = Int32Array.from({length: n}, (_, i) => i % CLASSES);
  // pure step
  const sgd = new Sgd(model.params, {momentum: 0.9, weightDecay: 1e-4});
  const names = new Map([...model.params].map(([k, v]) => [v.name, k]));
  const x = tf.tensor4d(images, [n, shape.size, shape.size, 3]);
  const step = async () => {
    const {value, grads} = tf.variableGrads(() => mixLoss(model.forward(x, {training: true}), {yA: labels, yB: labels, lam: 1}, CLASSES), [...model.params.values()]);
    const named: Record<string, tf.Tensor> = {};
    for (const [k, g] of Object.entries(grads)) named[names.get(k) ?? k] = g;
    sgd.step(named, 0.01);
    await value.data();
    tf.dispose([value, ...Object.values(grads)]);
  };
  const pureSpeed = async (): Promise<number> => {
    const t = performance.now();
    for (let i = 0; i < steps; i++) await step();
    return (steps * n) / ((performance.now() - t) / 1000);
  };
  for (let i = 0; i < warmup; i++) await step();
  const pureBefore = await pureSpeed();
  // full loop: 1 warm-up epoch of 1 batch is not needed (the pure step warmed kernels); steps+1 iterations
  const loader: LoaderLike = {
    numSamples: (steps + 1) * n,
    numBatches: steps + 1,
    async *epoch(): AsyncIterable<HostBatchLike> {
      for (let b = 0; b <= steps; b++) yield {images: images.slice(), shape: [n, shape.size, shape.size, 3], labels};
    },
  };
  const val: LoaderLike = {numSamples: n, numBatches: 1, async *epoch() {
    yield {images, shape: [n, shape.size, shape.size, 3], labels};
  }};
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-bench-'));
  const logger = new RunLogger(dir, {env_info: '', config: {}, config_path: 'bench', seed: 0, exp_name: 'bench', backend: choice, mixup_version: ''});
  // iterations 2..steps+1 are timed (the first includes the first mixup draw), up to the end of the last step:
  // the final validation and checkpoint are not part of the per-iteration loop
  // webgpu queues its kernels and returns: an iteration's callback fires before its GPU work is done, so there the
  // loss is read every iteration (log interval 1) and the times are taken after each read (the log line)
  const queued = choice.name === 'webgpu';
  let first = 0;
  let last = 0;
  let logged = 0;
  const learner = new ClassifierLearner({
    model, planner: new MixSchedule({mix_mode: 'mixup', alpha: 0.2, mix_prob: null, mix_repeat: 1, mix_args: {}}, registry),
    criteria: {loss: (z, y) => mixLoss(z, y, CLASSES), acc: accuracyTop1Device, accMix: accuracyMixDevice},
    hooks: {}, lr: buildLrSchedule(fillDefaults(LrSchema, {policy: 'CosineAnnealing'}), 0.01, 1, steps + 1),
    sgd: {momentum: 0.9, weightDecay: 1e-4},
  });
  await train({
    learner, train: loader, val, maxEpochs: 1, logInterval: queued ? 1 : 50, evalInterval: 1000, topk: [1, 5],
    ckptInterval: 1000, maxKeep: 1, workDir: dir, logger,
    ckptMeta: {seed: 0, configHash: '', configPath: 'bench', mixupVersion: ''},
    start: {epoch: 0, iter: 0, rng: new Rng(1)},
    progress: {
      iteration: (done) => {
        if (queued) return;
        if (done === 1) first = performance.now();
        if (done === steps + 1) last = performance.now();
      },
      line: () => {
        if (!queued || logged > steps) return; // the first steps+1 lines are the iterations' (then validation)
        logged++;
        if (logged === 1) first = performance.now();
        if (logged === steps + 1) last = performance.now();
      },
    },
  });
  fs.rmSync(dir, {recursive: true, force: true});
  const loop = (steps * n) / ((last - first) / 1000);
  // the pure step again after the loop: the mean of both brackets drift (other load, allocator warm-up)
  const pure = (pureBefore + (await pureSpeed())) / 2;
  sgd.dispose();
  const row: Row = {backend: choice.name, shape: shapeName, batch: n, pure, loop, overheadPercent: (pure / loop - 1) * 100, peakRssMB: process.resourceUsage().maxRSS / 1024};
  if (choice.adapter) Object.assign(row, {adapter: describeAdapter(choice.adapter), software: choice.adapter.software});
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

const TORCH = `
import sys, time, torch, torchvision
from torchvision.models.resnet import BasicBlock
torch.set_num_threads(2)
size, batch, stem, steps, base = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
m = torchvision.models.resnet18(num_classes=100)
if base != 64:  # a narrower ResNet-18: stem and stages base, 2, 4, 8 x base (mmcls base_channels)
    m.inplanes = base
    m.conv1 = torch.nn.Conv2d(3, base, 7, 2, 3, bias=False); m.bn1 = torch.nn.BatchNorm2d(base)
    m.layer1 = m._make_layer(BasicBlock, base, 2)
    m.layer2 = m._make_layer(BasicBlock, 2 * base, 2, stride=2)
    m.layer3 = m._make_layer(BasicBlock, 4 * base, 2, stride=2)
    m.layer4 = m._make_layer(BasicBlock, 8 * base, 2, stride=2)
    m.fc = torch.nn.Linear(8 * base, 100)
if stem == 'cifar':
    m.conv1 = torch.nn.Conv2d(3, base, 3, 1, 1, bias=False); m.maxpool = torch.nn.Identity()
opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
x = torch.randn(batch, 3, size, size); y = torch.arange(batch) % 100
def step():
    opt.zero_grad(); loss = torch.nn.functional.cross_entropy(m(x), y); loss.backward(); opt.step()
step(); t = time.time()
for _ in range(steps): step()
print(steps * batch / (time.time() - t))
`;

/** PyTorch img/s for a shape, or why it was not measured. */
function torchSpeed(shape: ShapeName, steps: number, batch: number): number | string {
  const s = SHAPES[shape];
  const r = spawnSync('/usr/bin/python3', ['-c', TORCH, String(s.size), String(batch), s.torchStem, String(steps), String(s.base)], {encoding: 'utf8', timeout: 600_000});
  if (r.status !== 0) return /No module named '?(torch|torchvision)/.exec(r.stderr ?? '') ? 'torch/torchvision not installed in /usr/bin/python3' : `python failed: ${(r.stderr ?? r.error?.message ?? '').trim().split('\n').pop()}`;
  return Number(r.stdout.trim());
}

async function main(): Promise<void> {
  const steps = intArg('steps', 4, 1);
  const warmup = intArg('warmup', 2, 0);
  const batchOf = (shape: ShapeName) => (process.argv.includes('--batch') ? intArg('batch', 1, 1) : SHAPES[shape].batch);
  if (process.argv.includes('--child')) {
    const shape = arg('shape', 'cifar32') as ShapeName;
    return child(arg('backend', 'cpu'), shape, steps, warmup, batchOf(shape));
  }
  const backends = arg('backends', 'native,wasm,cpu').split(',');
  const shapes = arg('shapes', 'cifar32,in64,in224,cifar32s').split(',') as ShapeName[];
  const unknown = shapes.filter((name) => !(name in SHAPES));
  if (unknown.length > 0) throw new Error(`--shapes: unknown shape ${unknown.join(', ')} (known: ${Object.keys(SHAPES).join(', ')})`);
  const json = process.argv.includes('--json');
  const rows: Row[] = [];
  const torch = new Map(shapes.map((s) => [s, torchSpeed(s, steps, batchOf(s))]));
  for (const backend of backends) {
    for (const shape of shapes) {
      const row = childRow<Row>(__filename, ['--backend', backend, '--shape', shape, '--steps', String(steps), '--warmup', String(warmup), '--batch', String(batchOf(shape))], intArg('timeout', 300, 1), (error) => ({backend, shape, error}));
      const t = torch.get(shape)!;
      row.torch = t;
      if (typeof t === 'number' && row.pure !== undefined) row.ratio = row.pure / t;
      rows.push(row);
      if (!json) {
        console.log(formatRow(row, process.argv.includes('--batch') ? batchOf(shape) : undefined));
      }
    }
  }
  if (json) console.log(JSON.stringify(rows, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

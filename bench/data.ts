/**
 * `npm run bench -- data [--images N] [--json]`: decode + augment throughput of the data pipeline.
 *
 * Generates N (default 300) 500×375 JPEGs (CUB-like size, quality 90, textured so they compress like photos) in a
 * temp dir, then runs one epoch of the train pipeline (Resize 256 -> RandomResizedCrop 224 scale [0.5, 1] -> flip ->
 * Normalize) and of the test pipeline (Resize 256 -> CenterCrop 224 -> Normalize) through `createLoader`, batch 16,
 * with 1 and 2 workers, and reports images/s, CPU ms per image and peak RSS (after a warm-up epoch). libvips runs one
 * thread per image (`sharp.concurrency(1)`), so `workers` is the parallelism. When a python3 with torchvision
 * exists, the same pipelines run in torchvision (DataLoader with 1 and 2 worker processes) for comparison.
 */
import {spawnSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import {createLoader} from '../src/data';
import {Rng} from '../src/rng';

interface Row {
  impl: 'mixup' | 'torchvision';
  pipeline: 'train' | 'test';
  workers: number;
  images: number;
  seconds: number;
  imagesPerSecond: number;
  /** CPU time (user + system, all threads and worker processes) per image: robust to other load on the machine. */
  cpuMsPerImage: number;
  /** mixup: this process's peak so far; torchvision: the largest of its main and worker processes. */
  peakRssMB: number;
}

const args = process.argv.slice(2);
const json = args.includes('--json');
const countAt = args.indexOf('--images');
const count = countAt >= 0 ? Number(args[countAt + 1]) : 300;
if (!Number.isInteger(count) || count < 16) {
  console.error(`--images must be an integer >= 16, got ${args[countAt + 1]}`);
  process.exit(2);
}

/** A 500×375 textured image: smooth colour gradients, a few blocks and noise. */
function photoLike(rng: Rng): Buffer {
  const [w, h] = [500, 375];
  const data = Buffer.alloc(w * h * 3);
  const base = [rng.int(256), rng.int(256), rng.int(256)];
  const blocks = Array.from({length: 6}, () => [rng.int(w), rng.int(h), 40 + rng.int(120), rng.int(256)]);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = (x + y) / 4;
      for (const [bx, by, size, shade] of blocks) if (x >= bx && x < bx + size && y >= by && y < by + size) v = shade;
      const o = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) data[o + c] = Math.max(0, Math.min(255, (base[c] + v * (c + 1)) % 256 + rng.int(24) - 12));
    }
  }
  return data;
}

async function generate(dir: string): Promise<string> {
  const rng = new Rng(0);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = `img_${i}.jpg`;
    await sharp(photoLike(rng), {raw: {width: 500, height: 375, channels: 3}}).jpeg({quality: 90}).toFile(path.join(dir, file));
    lines.push(`${file} ${i % 200}`);
  }
  const list = path.join(dir, 'list.txt');
  fs.writeFileSync(list, lines.join('\n') + '\n');
  return list;
}

const PIPELINES = {
  train: [{type: 'Resize', size: 256}, {type: 'RandomResizedCrop', size: 224, scale: [0.5, 1]}, {type: 'RandomHorizontalFlip'}, {type: 'Normalize'}],
  test: [{type: 'Resize', size: 256}, {type: 'CenterCrop', size: 224}, {type: 'Normalize'}],
};

async function measure(dir: string, list: string, pipeline: 'train' | 'test', workers: number): Promise<Row> {
  const dataCfg = {imgs_per_gpu: 16, val: {data_source: {type: 'ImageList', root: dir, list_file: list}, pipeline: PIPELINES[pipeline]}};
  const loader = createLoader(dataCfg, 'val', {seed: 0, workers, strict: true});
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let images = 0;
  for await (const batch of loader.epoch(0)) images += batch.shape[0];
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  return {impl: 'mixup', pipeline, workers, images, seconds, imagesPerSecond: images / seconds, cpuMsPerImage: (cpu.user + cpu.system) / 1000 / images, peakRssMB};
}

/**
 * The same two pipelines in torchvision: `ImageFolder`-style dataset of PIL images, `transforms.Compose` of
 * Resize(256) -> RandomResizedCrop(224, scale=(0.5, 1)) -> RandomHorizontalFlip -> ToTensor -> Normalize (train) or
 * Resize(256) -> CenterCrop(224) -> ToTensor -> Normalize (test), and a `DataLoader(batch_size=16, num_workers=w)`.
 */
const TORCHVISION_SCRIPT = String.raw`
import json, resource, sys, time
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
torch.set_num_threads(1)
norm = T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
PIPES = {'train': T.Compose([T.Resize(256), T.RandomResizedCrop(224, scale=(0.5, 1.0)), T.RandomHorizontalFlip(), T.ToTensor(), norm]),
         'test': T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(), norm])}
class Files(Dataset):
    def __init__(self, files, pipe): self.files, self.pipe = files, pipe
    def __len__(self): return len(self.files)
    def __getitem__(self, i): return self.pipe(Image.open(self.files[i]).convert('RGB')), 0
if __name__ == '__main__':
    mode, workers, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    usage = lambda: sum(r.ru_utime + r.ru_stime for r in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))
    loader = DataLoader(Files(files, PIPES[mode]), batch_size=16, num_workers=workers)
    for _ in loader: pass  # warm-up (page cache); the workers exit at the end of each epoch and are reaped
    c = usage(); t = time.perf_counter(); n = sum(x.shape[0] for x, _ in loader); s = time.perf_counter() - t; c = usage() - c
    rss = max(resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    print(json.dumps({'images': n, 'seconds': s, 'cpu': c, 'rss': rss}))
`;

/** A python3 that can import torchvision, or the reason there is none. */
function findPython(): {python?: string; reason: string} {
  for (const python of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(python, ['-c', 'import torchvision, PIL; print(torchvision.__version__, PIL.__version__)'], {encoding: 'utf8'});
    if (r.status === 0) {
      const [tv, pil] = r.stdout.trim().split(' ');
      return {python, reason: `${python}: torchvision ${tv}, Pillow ${pil}, DataLoader worker processes`};
    }
  }
  return {reason: 'not run: no python3 can import torchvision and PIL'};
}

/** Runs the torchvision pipeline on the generated files. */
function measureTorchvision(python: string, dir: string, pipeline: 'train' | 'test', workers: number): Row {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.jpg')).map((f) => path.join(dir, f));
  const r = spawnSync(python, ['-c', TORCHVISION_SCRIPT, pipeline, String(workers), ...files], {encoding: 'utf8'});
  if (r.status !== 0) throw new Error(`torchvision comparison failed: ${r.stderr}`);
  const {images, seconds, cpu, rss} = JSON.parse(r.stdout) as {images: number; seconds: number; cpu: number; rss: number};
  return {impl: 'torchvision', pipeline, workers, images, seconds, imagesPerSecond: images / seconds, cpuMsPerImage: (cpu * 1000) / images, peakRssMB: rss};
}

async function main(): Promise<void> {
  sharp.concurrency(1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-bench-data-'));
  try {
    const genStart = Date.now();
    const list = await generate(dir);
    const genSeconds = (Date.now() - genStart) / 1000;
    await measure(dir, list, 'train', 2); // warm-up: JIT, libvips start, page cache
    const py = findPython();
    const rows: Row[] = [];
    for (const pipeline of ['train', 'test'] as const) {
      for (const workers of [1, 2]) {
        rows.push(await measure(dir, list, pipeline, workers));
        if (py.python) rows.push(measureTorchvision(py.python, dir, pipeline, workers));
      }
    }
    const info = {
      images: count,
      source: '500x375 JPEG q90',
      batch: 16,
      cpus: os.cpus().length,
      loadavg1: Number(os.loadavg()[0].toFixed(2)),
      sharp: sharp.versions.sharp,
      vips: sharp.versions.vips,
      generateSeconds: genSeconds,
      python: py.reason,
    };
    if (json) {
      console.log(JSON.stringify({...info, rows}, null, 2));
      return;
    }
    console.log(`${count} images 500x375 JPEG q90 (generated in ${genSeconds.toFixed(1)} s), batch 16, ${info.cpus} CPUs, load average ${info.loadavg1}, sharp ${info.sharp} / libvips ${info.vips}`);
    console.log('impl         pipeline  workers  images/s  seconds  CPU ms/img  peak RSS MB');
    for (const r of rows) {
      const rss = r.peakRssMB.toFixed(0);
      console.log(`${r.impl.padEnd(11)}  ${r.pipeline.padEnd(8)}  ${String(r.workers).padStart(7)}  ${r.imagesPerSecond.toFixed(1).padStart(8)}  ${r.seconds.toFixed(2).padStart(7)}  ${r.cpuMsPerImage.toFixed(2).padStart(10)}  ${rss.padStart(11)}`);
    }
    console.log(`torchvision comparison: ${info.python}`);
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

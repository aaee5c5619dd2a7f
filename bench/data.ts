/**
 * `npm run bench -- data [--images N] [--json]`: decode + augment throughput of the data pipeline.
 *
 * Generates N (default 300) 500×375 JPEGs (CUB-like size, quality 90, textured so they compress like photos) in a
 * temp dir, then runs one epoch of the train pipeline (Resize 256 -> RandomResizedCrop 224 scale [0.5, 1] -> flip ->
 * Normalize) and of the test pipeline (Resize 256 -> CenterCrop 224 -> Normalize) through `createLoader`, batch 16,
 * with 1 and 2 workers, and reports images/s and the process's peak RSS (after a warm-up epoch). libvips runs one
 * thread per image (`sharp.concurrency(1)`), so `workers` is the parallelism. When a python3 with Pillow and numpy
 * exists, the same pipelines run in PIL for comparison (torchvision is not needed: its PIL calls are replayed).
 */
import {spawnSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import {createLoader} from '../src/data';
import {Rng} from '../src/rng';

interface Row {
  impl: 'mixup' | 'PIL';
  pipeline: 'train' | 'test';
  workers: number;
  images: number;
  seconds: number;
  imagesPerSecond: number;
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
  let images = 0;
  for await (const batch of loader.epoch(0)) images += batch.shape[0];
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  return {impl: 'mixup', pipeline, workers, images, seconds, imagesPerSecond: images / seconds, peakRssMB};
}

/**
 * The same two pipelines with PIL + numpy, doing what torchvision's transforms do on PIL images: `img.resize` (bilinear)
 * to shorter side 256, `RandomResizedCrop.get_params` + crop + resize 224, `transpose(FLIP_LEFT_RIGHT)`, then
 * ToTensor/Normalize as float32 arithmetic; 2 workers = a `multiprocessing.Pool(2)` (DataLoader's worker processes).
 */
const PIL_SCRIPT = String.raw`
import json, math, random, sys, time
from multiprocessing import Pool
import numpy as np
from PIL import Image
MEAN = np.array([0.485, 0.456, 0.406], np.float32); STD = np.array([0.229, 0.224, 0.225], np.float32)
def resize_short(img, size):
    w, h = img.size
    if w <= h: return img.resize((size, int(size * h / w)), Image.BILINEAR)
    return img.resize((int(size * w / h), size), Image.BILINEAR)
def rrc_params(w, h, scale=(0.5, 1.0), ratio=(3 / 4, 4 / 3)):
    area = w * h
    for _ in range(10):
        ta = area * random.uniform(*scale); ar = math.exp(random.uniform(math.log(ratio[0]), math.log(ratio[1])))
        cw = int(round(math.sqrt(ta * ar))); ch = int(round(math.sqrt(ta / ar)))
        if 0 < cw <= w and 0 < ch <= h:
            return random.randint(0, h - ch), random.randint(0, w - cw), ch, cw
    return 0, 0, h, w
def load(args):
    path, mode = args
    img = resize_short(Image.open(path).convert('RGB'), 256)
    w, h = img.size
    if mode == 'train':
        i, j, ch, cw = rrc_params(w, h)
        img = img.crop((j, i, j + cw, i + ch)).resize((224, 224), Image.BILINEAR)
        if random.random() < 0.5: img = img.transpose(Image.FLIP_LEFT_RIGHT)
    else:
        i = int(round((h - 224) / 2.0)); j = int(round((w - 224) / 2.0))
        img = img.crop((j, i, j + 224, i + 224))
    return ((np.asarray(img, np.float32) / 255.0 - MEAN) / STD).shape
if __name__ == '__main__':
    files = sys.argv[3:]; mode = sys.argv[1]; workers = int(sys.argv[2])
    jobs = [(f, mode) for f in files]
    with Pool(workers) as pool:
        pool.map(load, jobs[:16])
        t = time.perf_counter(); n = len(pool.map(load, jobs, chunksize=4)); s = time.perf_counter() - t
    print(json.dumps({'images': n, 'seconds': s}))
`;

/** A python3 that can import PIL and numpy, or the reason there is none. */
function findPython(): {python?: string; reason: string} {
  for (const python of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(python, ['-c', 'import PIL, numpy; print(PIL.__version__)'], {encoding: 'utf8'});
    if (r.status === 0) {
      const tv = spawnSync(python, ['-c', 'import torchvision'], {encoding: 'utf8'});
      return {python, reason: `${python}: Pillow ${r.stdout.trim()} + numpy; torchvision ${tv.status === 0 ? 'installed' : 'not installed, its PIL operations are replayed directly'}`};
    }
  }
  return {reason: 'not run: no python3 with PIL and numpy'};
}

/** Runs the PIL pipeline on the generated files. */
function measurePil(python: string, dir: string, pipeline: 'train' | 'test', workers: number): Row {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.jpg')).map((f) => path.join(dir, f));
  const r = spawnSync(python, ['-c', PIL_SCRIPT, pipeline, String(workers), ...files], {encoding: 'utf8'});
  if (r.status !== 0) throw new Error(`PIL comparison failed: ${r.stderr}`);
  const {images, seconds} = JSON.parse(r.stdout) as {images: number; seconds: number};
  return {impl: 'PIL', pipeline, workers, images, seconds, imagesPerSecond: images / seconds, peakRssMB: Number.NaN};
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
        if (py.python) rows.push(measurePil(py.python, dir, pipeline, workers));
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
    console.log('impl   pipeline  workers  images/s  seconds  peak RSS MB');
    for (const r of rows) {
      const rss = Number.isNaN(r.peakRssMB) ? '-' : r.peakRssMB.toFixed(0);
      console.log(`${r.impl.padEnd(5)}  ${r.pipeline.padEnd(8)}  ${String(r.workers).padStart(7)}  ${r.imagesPerSecond.toFixed(1).padStart(8)}  ${r.seconds.toFixed(2).padStart(7)}  ${rss.padStart(11)}`);
    }
    console.log(`PIL comparison: ${info.python}`);
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

import {execFileSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {createLoader} from '../../src/data';
import {DatasetLoader} from '../../src/data/loader';
import type {HostBatch, Loader} from '../../src/data/types';
import {cleanup, colour, tempDir, writeImage, writeText} from './helpers';

const synthetic = (numSamples: number, extra: Record<string, unknown> = {}) => ({
  imgs_per_gpu: 4,
  workers_per_gpu: 2,
  drop_last: true,
  train: {type: 'ClassificationDataset', data_source: {type: 'Synthetic', num_classes: 5, size: 12, num_samples: numSamples}, pipeline: [{type: 'RandomCrop', size: 8, padding: 1}, {type: 'RandomHorizontalFlip'}, {type: 'Normalize'}]},
  val: {data_source: {type: 'Synthetic', num_classes: 5, size: 12, num_samples: numSamples}, pipeline: [{type: 'CenterCrop', size: 8}]},
  ...extra,
});

async function collect(loader: Loader, epoch: number): Promise<HostBatch[]> {
  const out: HostBatch[] = [];
  for await (const b of loader.epoch(epoch)) out.push(b);
  return out;
}
const labelsOf = (batches: HostBatch[]) => batches.flatMap((b) => Array.from(b.labels));

describe('createLoader on an in-memory source', () => {
  it('train: seeded shuffle per epoch, drop_last, NHWC batches of the crop size', async () => {
    const loader = createLoader(synthetic(10), 'train', {seed: 3}) as DatasetLoader;
    expect([loader.numSamples, loader.numBatches, loader.batchSize, loader.numClasses]).toEqual([10, 2, 4, 5]);
    const e0 = await collect(loader, 0);
    expect(e0.map((b) => b.shape)).toEqual([[4, 8, 8, 3], [4, 8, 8, 3]]);
    expect(e0[0].images).toHaveLength(4 * 8 * 8 * 3);
    const order = Array.from(loader.order(0));
    expect(order.slice().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(labelsOf(e0)).toEqual(order.slice(0, 8).map((i) => i % 5));
    expect(Array.from(loader.order(1))).not.toEqual(order);
    // same seed + epoch -> same data (a resumed run sees the same batches), whatever the worker count
    const again = await collect(createLoader(synthetic(10), 'train', {seed: 3, workers: 1}), 0);
    expect(again.map((b) => Array.from(b.images))).toEqual(e0.map((b) => Array.from(b.images)));
    const otherSeed = await collect(createLoader(synthetic(10), 'train', {seed: 4}), 0);
    expect(labelsOf(otherSeed)).not.toEqual(labelsOf(e0));
  });

  it('val: fixed order, last partial batch kept, values scaled to [0, 1] without Normalize', async () => {
    const loader = createLoader(synthetic(10), 'val', {seed: 3});
    expect(loader.numBatches).toBe(3);
    const batches = await collect(loader, 0);
    expect(batches.map((b) => b.shape[0])).toEqual([4, 4, 2]);
    expect(labelsOf(batches)).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
    expect(labelsOf(await collect(loader, 5))).toEqual(labelsOf(batches));
    const values = batches.flatMap((b) => Array.from(b.images));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    expect(Math.max(...values)).toBeGreaterThan(0.5);
  });

  it('uses opts.batchSize and drop_last false', async () => {
    const loader = createLoader(synthetic(10, {drop_last: false}), 'train', {seed: 0, batchSize: 3});
    expect(loader.numBatches).toBe(4);
    expect((await collect(loader, 0)).map((b) => b.shape[0])).toEqual([3, 3, 3, 1]);
  });

  it('rejects a label outside numClasses before any epoch', () => {
    expect(() => createLoader(synthetic(10), 'train', {seed: 0, numClasses: 3})).toThrow('synthetic train #3: label 3 is out of range for num_classes 3 (labels must be in [0, 2])');
  });

  it('rejects drop_last leaving no batch, and invalid fields with their dotted path', () => {
    expect(() => createLoader(synthetic(3), 'train', {seed: 0})).toThrow('data.train: 3 samples make no batch of 4 with drop_last');
    expect(() => createLoader({...synthetic(3), imgs_per_gpu: 0}, 'train', {seed: 0})).toThrow('data.imgs_per_gpu must be an integer >= 1, got 0');
    expect(() => createLoader({...synthetic(3), val: undefined}, 'val', {seed: 0})).toThrow('data.val must be an object, got nothing');
    expect(() => createLoader({...synthetic(3), val: {data_source: {type: 'Cifar'}}}, 'val', {seed: 0})).toThrow(
      'data.val.data_source.type "Cifar" is not a known data source; known: ImageList, ImageNet, CUB200',
    );
    expect(() => createLoader({...synthetic(3), val: {type: 'SemiDataset', data_source: {type: 'Synthetic'}}}, 'val', {seed: 0})).toThrow(
      'data.val.type must be "ClassificationDataset", got "SemiDataset"',
    );
  });
});

describe('DatasetLoader prefetching', () => {
  it('decodes the next batches while the consumer still holds the current one', async () => {
    let decoded = 0;
    const dataset = {
      description: 'counting',
      root: '',
      samples: Array.from({length: 20}, (_, i) => ({file: `m/${i}`, label: 0, where: `#${i}`})),
      raw: () => {
        decoded++;
        return {data: new Uint8Array(4 * 4 * 3), width: 4, height: 4};
      },
    };
    const settings = {at: 'data.val', shuffle: false, dropLast: false, batchSize: 4, workers: 2, prefetch: 2, seed: 0, strict: false};
    const loader = new DatasetLoader(dataset, {steps: [], mean: [0, 0, 0], std: [1, 1, 1]}, settings);
    const it = loader.epoch(0)[Symbol.asyncIterator]();
    await it.next();
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(decoded).toBe(12); // batch 0 consumed, batches 1 and 2 decoded ahead, nothing beyond
    await it.return?.(undefined);
  });
});

describe('createLoader on image files', () => {
  let dir: string;
  let list: string;
  const data = (pipeline: unknown[], extra: Record<string, unknown> = {}) => ({
    imgs_per_gpu: 2,
    val: {data_source: {type: 'ImageList', root: path.join(dir, 'images'), list_file: list, ...extra}, pipeline},
  });

  beforeAll(async () => {
    dir = tempDir();
    list = path.join(dir, 'val.txt');
    for (let i = 0; i < 5; i++) await writeImage(path.join(dir, 'images', `${i}.jpg`), 30 + i * 4, 24, colour(i % 3));
    fs.writeFileSync(path.join(dir, 'images', 'corrupt.jpg'), 'not a jpeg');
    writeText(list, ['0.jpg 0', 'missing.jpg 1', '1.jpg 1', 'corrupt.jpg 2', '2.jpg 2', '3.jpg 0', '4.jpg 1'].join('\n') + '\n');
  });
  afterAll(() => cleanup(dir));

  it('skips missing and corrupt images, counts them and reports their paths', async () => {
    const loader = createLoader(data([{type: 'Resize', size: 20}, {type: 'CenterCrop', size: 16}, {type: 'Normalize'}]), 'val', {seed: 0});
    const batches = await collect(loader, 0);
    expect(batches.map((b) => b.shape)).toEqual([[1, 16, 16, 3], [1, 16, 16, 3], [2, 16, 16, 3], [1, 16, 16, 3]]);
    expect(labelsOf(batches)).toEqual([0, 1, 2, 0, 1]);
    expect(loader.skipped).toBe(2);
    expect(loader.skippedFiles.map((s) => s.path)).toEqual([path.join(dir, 'images', 'missing.jpg'), path.join(dir, 'images', 'corrupt.jpg')]);
    expect(loader.skippedFiles[0].reason).toBe('file not found');
  });

  it('strict mode fails with the path and the list line', async () => {
    const loader = createLoader(data([{type: 'CenterCrop', size: 16}]), 'val', {seed: 0, strict: true});
    await expect(collect(loader, 0)).rejects.toThrow(`${path.join(dir, 'images', 'missing.jpg')}: cannot load image (file not found), listed at ${list}:2`);
  });

  it('a FIFO or device listed as an image is skipped (strict: an error naming it), never a hang', async () => {
    const fifoList = path.join(dir, 'fifo.txt');
    execFileSync('mkfifo', [path.join(dir, 'images', 'pipe.jpg')]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'images', 'zero.jpg'));
    writeText(fifoList, '0.jpg 0\npipe.jpg 1\nzero.jpg 1\n');
    const source = {list_file: fifoList};
    const loader = createLoader(data([{type: 'CenterCrop', size: 16}], source), 'val', {seed: 0});
    expect(labelsOf(await collect(loader, 0))).toEqual([0]);
    expect(loader.skippedFiles.map((f) => f.reason)).toEqual(['it is a FIFO (named pipe), not a regular file', 'it is a character device, not a regular file']);
    const strict = createLoader(data([{type: 'CenterCrop', size: 16}], source), 'val', {seed: 0, strict: true});
    await expect(collect(strict, 0)).rejects.toThrow(`${path.join(dir, 'images', 'pipe.jpg')}: cannot load image (it is a FIFO (named pipe), not a regular file), listed at ${fifoList}:2`);
  });

  it('names the list line of a label outside numClasses', () => {
    expect(() => createLoader(data([{type: 'CenterCrop', size: 16}]), 'val', {seed: 0, numClasses: 2})).toThrow(`${list}:4: label 2 is out of range for num_classes 2`);
  });

  it('needs a fixed output size for files of different sizes', () => {
    expect(() => createLoader(data([{type: 'Resize', size: 16}]), 'val', {seed: 0})).toThrow('data.val.pipeline must end with a crop or a Resize to [h, w]');
  });

  it('checks the list separator', () => {
    expect(() => createLoader(data([{type: 'CenterCrop', size: 16}], {splitor: ':'}), 'val', {seed: 0})).toThrow(
      'data.val.data_source.splitor must be one of " ", ",", ";", got ":"',
    );
    expect(() => createLoader(data([{type: 'CenterCrop', size: 16}], {splitor: ','}), 'val', {seed: 0})).toThrow(`${list}:1: no "," separator in "0.jpg 0"; found " " instead`);
  });
});

describe('createLoader on MNIST', () => {
  // the demo's dataset template (config room), read as the engine gets it
  const template = path.join(__dirname, '..', '..', 'templates', 'datasets', 'demo_mnist_sz32_bs64.json');
  const demo = JSON.parse(fs.readFileSync(template, 'utf8')).data;

  it('serves the demo template: val 1,996 normalised 32x32x3 digits, train 8,004 padded random crops', async () => {
    const val = createLoader(demo, 'val', {seed: 0, numClasses: 10, batchSize: 500});
    expect([val.numSamples, val.numBatches]).toEqual([1996, 4]);
    const first = (await val.epoch(0)[Symbol.asyncIterator]().next()).value as HostBatch;
    expect(first.shape).toEqual([500, 32, 32, 3]);
    expect(first.images[0]).toBeCloseTo(-0.1307 / 0.3081, 5); // black padding
    expect(first.images.reduce((a, v) => Math.max(a, v), -Infinity)).toBeCloseTo((1 - 0.1307) / 0.3081, 5);
    expect(new Set(first.labels).size).toBeGreaterThan(1);
    const train = createLoader(demo, 'train', {seed: 0, numClasses: 10});
    expect([train.numSamples, train.numBatches, train.batchSize]).toEqual([8004, 125, 64]);
    const batch = (await train.epoch(0)[Symbol.asyncIterator]().next()).value as HostBatch;
    expect(batch.shape).toEqual([64, 32, 32, 3]);
  });
});

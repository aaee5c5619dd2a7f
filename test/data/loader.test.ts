import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {closeDataWorkers, createLoader, parsePipeline} from '../../src/data';
import {MixupError} from '../../src/errors';
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

  it('train: the last batches of an epoch leave their slots to the next epoch, whose batches stay the same', async () => {
    const decodedAt: number[] = [];
    const dataset = {
      description: 'counting',
      root: '',
      samples: Array.from({length: 20}, (_, i) => ({file: `m/${i}`, label: i % 3, where: `#${i}`})),
      raw: (index: number) => {
        decodedAt.push(index);
        return {data: Uint8Array.from({length: 4 * 4 * 3}, (_, k) => (index * 7 + k) % 256), width: 4, height: 4};
      },
    };
    const settings = {at: 'data.train', shuffle: true, dropLast: true, batchSize: 4, workers: 0, prefetch: 2, seed: 9, strict: false};
    const pipeline = {steps: parsePipeline([{type: 'RandomCrop', size: 4, padding: 1}, {type: 'RandomHorizontalFlip'}], 'p').steps, mean: [0, 0, 0], std: [1, 1, 1]};
    const settle = async () => {
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    };
    const loader = new DatasetLoader(dataset, pipeline, settings);
    const epoch0: HostBatch[] = [];
    const it = loader.epoch(0)[Symbol.asyncIterator]();
    for (let b = 0; b < 5; b++) epoch0.push((await it.next()).value as HostBatch);
    await settle();
    // batch 4 (the last) is held by the consumer: both slots already decode epoch 1's batches 0 and 1
    expect(decodedAt.slice(20)).toEqual(Array.from(loader.order(1).subarray(0, 8)));
    expect((await it.next()).done).toBe(true);
    const epoch1 = await collect(loader, 1);
    // nothing decoded twice; epoch 1's end started epoch 2's first two batches
    expect(decodedAt.slice(40)).toEqual(Array.from(loader.order(2).subarray(0, 8)));
    expect(new Set(decodedAt.slice(0, 20)).size + new Set(decodedAt.slice(20, 40)).size).toBe(40);
    // a loader per epoch (no lookahead) gives the same batches
    const fresh = (e: number) => collect(new DatasetLoader(dataset, pipeline, settings), e);
    expect([epoch0, epoch1].map((bs) => bs.map((b) => [Array.from(b.images), Array.from(b.labels)]))).toEqual((await Promise.all([fresh(0), fresh(1)])).map((bs) => bs.map((b) => [Array.from(b.images), Array.from(b.labels)])));
    // val (fixed order) does not look ahead
    decodedAt.length = 0;
    await collect(new DatasetLoader(dataset, pipeline, {...settings, at: 'data.val', shuffle: false}), 0);
    await settle();
    expect(decodedAt).toHaveLength(20);
  });
});

describe('createLoader on image files', () => {
  let dir: string;
  let list: string;
  const data = (pipeline: unknown[], extra: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => ({
    imgs_per_gpu: 2,
    max_skip_fraction: {val: 1},
    ...top,
    val: {data_source: {type: 'ImageList', root: path.join(dir, 'images'), list_file: list, ...extra}, pipeline},
  });
  const crop = [{type: 'Resize', size: 20}, {type: 'CenterCrop', size: 16}, {type: 'Normalize'}];

  beforeAll(async () => {
    dir = tempDir();
    list = path.join(dir, 'val.txt');
    for (let i = 0; i < 5; i++) await writeImage(path.join(dir, 'images', `${i}.jpg`), 30 + i * 4, 24, colour(i % 3));
    fs.writeFileSync(path.join(dir, 'images', 'corrupt.jpg'), 'not a jpeg');
    writeText(list, ['0.jpg 0', 'missing.jpg 1', '1.jpg 1', 'corrupt.jpg 2', '2.jpg 2', '3.jpg 0', '4.jpg 1'].join('\n') + '\n');
  });
  afterAll(() => cleanup(dir));

  it('skips missing and corrupt images, counts them by reason and reports their paths', async () => {
    const warnings: string[] = [];
    const loader = createLoader(data(crop), 'val', {seed: 0, warn: (m) => warnings.push(m)});
    // the missing file is found before the first epoch, the corrupt one while decoding
    expect(warnings).toEqual([expect.stringContaining(`data.val: 1 of 7 images cannot be loaded and will be skipped (missing 1); list ${list}, root ${path.join(dir, 'images')}; e.g. ${path.join(dir, 'images', 'missing.jpg')} (file not found, listed at ${list}:2)`)]);
    expect(loader.report().skipped).toEqual({count: 1, by_reason: {missing: 1}, examples: [expect.objectContaining({kind: 'missing', path: path.join(dir, 'images', 'missing.jpg')})]});
    const batches = await collect(loader, 0);
    expect(batches.map((b) => b.shape)).toEqual([[1, 16, 16, 3], [1, 16, 16, 3], [2, 16, 16, 3], [1, 16, 16, 3]]);
    expect(labelsOf(batches)).toEqual([0, 1, 2, 0, 1]);
    expect(loader.skipped).toBe(2);
    expect(loader.skippedFiles.map((s) => [s.path, s.kind])).toEqual([
      [path.join(dir, 'images', 'missing.jpg'), 'missing'],
      [path.join(dir, 'images', 'corrupt.jpg'), 'undecodable'],
    ]);
    expect(loader.skippedFiles[0].reason).toBe('file not found');
    expect(warnings[1]).toContain(`data.val, epoch 1: 1 image could not be read or decoded and was skipped (undecodable 1): ${path.join(dir, 'images', 'corrupt.jpg')} (cannot decode:`);
    await collect(loader, 1);
    expect(warnings).toHaveLength(2); // a file is named once, not every epoch
    expect(loader.skipped).toBe(2);
  });

  it('strict mode fails with the path and the list line, before any epoch for a missing file', async () => {
    expect(() => createLoader(data(crop), 'val', {seed: 0, strict: true})).toThrow(`${path.join(dir, 'images', 'missing.jpg')}: cannot load image (file not found), listed at ${list}:2`);
    const noMissing = path.join(dir, 'no-missing.txt');
    writeText(noMissing, '0.jpg 0\ncorrupt.jpg 1\n');
    const loader = createLoader({...data(crop, {list_file: noMissing}), strict: true}, 'val', {seed: 0});
    await expect(collect(loader, 0)).rejects.toThrow(`${path.join(dir, 'images', 'corrupt.jpg')}: cannot load image (cannot decode:`);
  });

  it('a FIFO or device listed as an image is skipped (strict: an error naming it), never a hang', async () => {
    const fifoList = path.join(dir, 'fifo.txt');
    execFileSync('mkfifo', [path.join(dir, 'images', 'pipe.jpg')]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'images', 'zero.jpg'));
    writeText(fifoList, '0.jpg 0\npipe.jpg 1\nzero.jpg 1\n');
    const source = {list_file: fifoList};
    const loader = createLoader(data([{type: 'CenterCrop', size: 16}], source), 'val', {seed: 0});
    expect(labelsOf(await collect(loader, 0))).toEqual([0]);
    expect(loader.skippedFiles.map((f) => f.reason)).toEqual(['not a regular file', 'not a regular file']);
    expect(() => createLoader(data([{type: 'CenterCrop', size: 16}], source), 'val', {seed: 0, strict: true})).toThrow(`${path.join(dir, 'images', 'pipe.jpg')}: cannot load image (not a regular file), listed at ${fifoList}:2`);
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

describe('skip accounting and limits', () => {
  let dir: string;
  let images: string;
  const cfg = (list: string, top: Record<string, unknown> = {}, split: 'train' | 'val' = 'train') => ({
    imgs_per_gpu: 2,
    drop_last: false,
    ...top,
    [split]: {data_source: {type: 'ImageList', root: images, list_file: list}, pipeline: [{type: 'CenterCrop', size: 8}]},
  });
  const writeList = (name: string, files: string[]) => {
    const list = path.join(dir, name);
    writeText(list, files.map((f, i) => `${f} ${i % 2}`).join('\n') + '\n');
    return list;
  };
  const quiet = {seed: 0, warn: () => undefined};

  beforeAll(async () => {
    dir = tempDir();
    images = path.join(dir, 'images');
    for (let i = 0; i < 8; i++) await writeImage(path.join(images, `${i}.png`), 10, 10, colour(i), 'png');
    await writeImage(path.join(images, 'whole.jpg'), 64, 64, colour(1));
    const jpeg = fs.readFileSync(path.join(images, 'whole.jpg'));
    fs.writeFileSync(path.join(images, 'truncated.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    fs.writeFileSync(path.join(images, 'empty.png'), '');
    fs.mkdirSync(path.join(images, 'folder.png'));
  });
  afterAll(() => cleanup(dir));

  it('counts every reason: missing, zero-byte, not a file before the first epoch; truncated and undecodable while decoding', async () => {
    fs.writeFileSync(path.join(images, 'text.png'), 'hello');
    const list = writeList('all.txt', ['0.png', 'gone.png', 'empty.png', 'folder.png', 'truncated.jpg', 'text.png', '1.png']);
    const loader = createLoader(cfg(list, {max_skip_fraction: {train: 1}}), 'train', quiet);
    expect(loader.report().skipped.by_reason).toEqual({missing: 1, 'not-a-file': 1, 'zero-byte': 1});
    const batches = await collect(loader, 0);
    expect(batches.reduce((n, b) => n + b.shape[0], 0)).toBe(2);
    const byKind = Object.fromEntries(loader.skippedFiles.map((f) => [path.basename(f.path), f.kind]));
    expect(byKind).toEqual({'gone.png': 'missing', 'empty.png': 'zero-byte', 'folder.png': 'not-a-file', 'truncated.jpg': 'truncated', 'text.png': 'undecodable'});
  });

  it('train: more than 1% skipped stops with exit code 3 naming the list, the root and an example', () => {
    const list = writeList('one-missing.txt', ['0.png', '1.png', '2.png', 'gone.png', '3.png']);
    let error: unknown;
    try {
      createLoader(cfg(list), 'train', quiet);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MixupError);
    expect((error as MixupError).exitCode).toBe(3);
    expect((error as MixupError).message).toBe(
      `data.train: 1 of 5 images could not be loaded (missing 1), more than data.max_skip_fraction.train = 0.01 allows (0); list ${list}, root ${images}; ` +
        `e.g. ${path.join(images, 'gone.png')} (file not found, listed at ${list}:4)`,
    );
    expect(() => createLoader(cfg(list, {max_skip_fraction: {train: 0.2}}), 'train', quiet)).not.toThrow();
  });

  it('val: any skip stops by default; a decode failure stops the epoch', async () => {
    const list = writeList('val.txt', ['0.png', 'gone.png', '1.png']);
    expect(() => createLoader(cfg(list, {}, 'val'), 'val', quiet)).toThrow('data.val: 1 of 3 images could not be loaded (missing 1), more than data.max_skip_fraction.val = 0 allows (0)');
    const bad = writeList('val-truncated.txt', ['0.png', '1.png', '2.png', 'truncated.jpg']);
    const loader = createLoader(cfg(bad, {}, 'val'), 'val', quiet);
    await expect(collect(loader, 0)).rejects.toThrow(`data.val: 1 of 4 images could not be loaded (truncated 1), more than data.max_skip_fraction.val = 0 allows (0); list ${bad}, root ${images}; e.g. ${path.join(images, 'truncated.jpg')} (truncated image:`);
  });

  it('a split with no loadable image stops whatever the limit, naming list, root and an example', () => {
    const list = writeList('wrong-root.txt', ['0.png', '1.png', '2.png']);
    const wrong = {imgs_per_gpu: 2, max_skip_fraction: {train: 1}, train: {data_source: {type: 'ImageList', root: path.join(dir, 'nowhere'), list_file: list}, pipeline: [{type: 'CenterCrop', size: 8}]}};
    expect(() => createLoader(wrong, 'train', quiet)).toThrow(
      `data.train: none of the 3 images could be loaded (missing 3); list ${list}, root ${path.join(dir, 'nowhere')}; e.g. ${path.join(dir, 'nowhere', '0.png')} (file not found, listed at ${list}:1); ` +
        `${path.join(dir, 'nowhere', '1.png')} (file not found, listed at ${list}:2); ${path.join(dir, 'nowhere', '2.png')} (file not found, listed at ${list}:3)`,
    );
  });

  it('a list entry leaving the root is a warning, an error under strict', () => {
    fs.mkdirSync(path.join(dir, 'outside'), {recursive: true});
    fs.copyFileSync(path.join(images, '0.png'), path.join(dir, 'outside', 'x.png'));
    const list = writeList('escape.txt', ['0.png', '../outside/x.png', '1.png']);
    const warnings: string[] = [];
    const loader = createLoader(cfg(list), 'train', {seed: 0, warn: (m) => warnings.push(m)});
    expect(warnings).toEqual([`data.train: 1 list entry leaves the image root ${images} ("../outside/x.png" at ${list}:2); they are read from outside it`]);
    expect(loader.report().outside_root).toBe(1);
    expect(() => createLoader(cfg(list, {strict: true}), 'train', quiet)).toThrow(`data.train: 1 list entry leaves the image root ${images} ("../outside/x.png" at ${list}:2); strict mode refuses paths outside the root`);
  });

  it('rejects bad loader fields with their dotted path', () => {
    const list = writeList('ok.txt', ['0.png', '1.png']);
    expect(() => createLoader(cfg(list, {max_skip_fraction: {train: 2}}), 'train', quiet)).toThrow('data.max_skip_fraction.train must be a number in [0, 1], got 2');
    expect(() => createLoader(cfg(list, {max_skip_fraction: {tarin: 0.1}}), 'train', quiet)).toThrow('data.max_skip_fraction.tarin is not a known field');
    expect(() => createLoader(cfg(list, {cache: 'yes'}), 'train', quiet)).toThrow('data.cache must be "auto", true or false, got "yes"');
    expect(() => createLoader(cfg(list, {strict: 1}), 'train', quiet)).toThrow('data.strict must be true or false, got 1');
    // the config schema has no data.<split>.prefetch: the loader refuses it too instead of ignoring it
    const train = {data_source: {type: 'ImageList', root: images, list_file: list}, pipeline: [{type: 'CenterCrop', size: 8}], prefetch: 4};
    expect(() => createLoader({imgs_per_gpu: 2, train}, 'train', quiet)).toThrow('data.train.prefetch is not a known field; expected one of: type, data_source, pipeline');
  });
});

describe('worker threads and the decoded cache', () => {
  let dir: string;
  let list: string;
  const pipeline = [{type: 'Resize', size: 20}, {type: 'RandomResizedCrop', size: 12, scale: [0.3, 1]}, {type: 'RandomHorizontalFlip'}, {type: 'Normalize'}];
  const cfg = (workers: number, cache: unknown = 'auto') => ({
    imgs_per_gpu: 3,
    workers_per_gpu: workers,
    drop_last: true,
    cache,
    train: {data_source: {type: 'ImageList', root: path.join(dir, 'images'), list_file: list}, pipeline},
  });
  const images = (batches: HostBatch[]) => batches.map((b) => Array.from(b.images));

  beforeAll(async () => {
    dir = tempDir();
    list = path.join(dir, 'train.txt');
    const lines: string[] = [];
    for (let i = 0; i < 10; i++) {
      await writeImage(path.join(dir, 'images', `${i}.jpg`), 24 + 3 * i, 18 + i, colour(i));
      lines.push(`${i}.jpg ${i % 3}`);
    }
    writeText(list, lines.join('\n') + '\n');
  });
  afterAll(async () => {
    await closeDataWorkers();
    cleanup(dir);
  });

  it('gives the same batches on the main thread, on 1 or 2 worker threads, with or without the cache', async () => {
    const main = createLoader(cfg(0, false), 'train', {seed: 7}) as DatasetLoader;
    expect(main.threads).toBe(0);
    const reference = [images(await collect(main, 0)), images(await collect(main, 1))];
    expect(reference[0]).not.toEqual(reference[1]);
    for (const [workers, cache] of [[1, false], [2, 'auto'], [2, true], [0, 'auto']] as const) {
      const loader = createLoader(cfg(workers, cache), 'train', {seed: 7}) as DatasetLoader;
      expect(loader.threads).toBe(workers);
      expect(images(await collect(loader, 0))).toEqual(reference[0]);
      // epoch 1 reads the cached pixels (when caching) and still draws epoch 1's augmentation
      expect(images(await collect(loader, 1))).toEqual(reference[1]);
      expect(loader.cacheStats.images).toBe(cache === false ? 0 : 9);
    }
  });

  it('a resize-then-crop pipeline: same batches for 0, 1, 2 workers, cached or not; the cache keeps the resized pixels', async () => {
    const small = [{type: 'Resize', size: 16}, {type: 'RandomCrop', size: 16, padding: 3}, {type: 'RandomHorizontalFlip'}, {type: 'Normalize'}];
    const run = async (workers: number, cache: unknown) => {
      const loader = createLoader({...cfg(workers, cache), train: {...cfg(workers).train, pipeline: small}}, 'train', {seed: 3}) as DatasetLoader;
      const epochs = [images(await collect(loader, 0)), images(await collect(loader, 1)), images(await collect(loader, 2))];
      return {epochs, cached: loader.cacheStats};
    };
    const reference = await run(0, false);
    expect(reference.epochs[1]).not.toEqual(reference.epochs[2]);
    for (const [workers, cache] of [[0, 'auto'], [1, true], [2, 'auto'], [2, false], [1, false]] as const) {
      const {epochs, cached} = await run(workers, cache);
      expect(epochs).toEqual(reference.epochs);
      if (cache !== false) expect(cached.images).toBe(10); // 3 epochs visit all 10
    }
    const {cached} = await run(2, true);
    // kept after Resize 16, not as decoded: image i (24 + 3i wide, 18 + i high) is 16 rows of floor(16 (24 + 3i) / (18 + i))
    const resized = Array.from({length: 10}, (_, i) => 16 * Math.floor((16 * (24 + 3 * i)) / (18 + i)) * 3);
    expect(cached.bytes).toBe(resized.reduce((a, b) => a + b, 0));
  });

  it('data.cache true stays within data.cache_budget_mb: a partial cache, batches unchanged', async () => {
    const big = [{type: 'Resize', size: 300}, {type: 'CenterCrop', size: 300}, {type: 'RandomHorizontalFlip'}, {type: 'Normalize'}];
    const at = (cache: unknown) => createLoader({...cfg(1, cache), cache_budget_mb: 1, train: {...cfg(1).train, pipeline: big}}, 'train', {seed: 5}) as DatasetLoader;
    // a digest per batch: the batches are 3 x 300x300x3 floats
    const digests = (batches: HostBatch[]) => batches.map((b) => createHash('sha1').update(b.images).digest('hex'));
    const partial = at(true);
    const cold = digests(await collect(partial, 0));
    // 300x300x3 = 270,000 bytes an image: 3 fit the 1 MiB budget, the other 6 are decoded every epoch
    expect(partial.cacheStats).toEqual({images: 3, bytes: 3 * 270000});
    const uncached = at(false);
    expect(cold).toEqual(digests(await collect(uncached, 0)));
    expect(digests(await collect(partial, 1))).toEqual(digests(await collect(uncached, 1)));
    expect(partial.cacheStats.bytes).toBeLessThanOrEqual(2 ** 20);
  });

  it.each([0, 1, 2])('a corrupt image is named with its list line on %i worker threads (strict: an error, else a skip)', async (workers) => {
    const bad = path.join(dir, 'corrupt-list.txt');
    fs.writeFileSync(path.join(dir, 'images', 'broken.jpg'), 'not a jpeg');
    writeText(bad, '0.jpg 0\n1.jpg 1\nbroken.jpg 2\n3.jpg 0\n');
    const train = {...cfg(workers).train, data_source: {type: 'ImageList', root: path.join(dir, 'images'), list_file: bad}};
    const strict = createLoader({...cfg(workers), train, strict: true}, 'train', {seed: 0}) as DatasetLoader;
    expect(strict.threads).toBe(workers);
    await expect(collect(strict, 0)).rejects.toThrow(`${path.join(dir, 'images', 'broken.jpg')}: cannot load image (cannot decode:`);
    const warnings: string[] = [];
    const lenient = createLoader({...cfg(workers), train, max_skip_fraction: {train: 0.5}}, 'train', {seed: 0, warn: (m) => warnings.push(m)});
    await collect(lenient, 0);
    expect(lenient.skippedFiles.map((f) => [f.path, f.kind, f.where])).toEqual([[path.join(dir, 'images', 'broken.jpg'), 'undecodable', `${bad}:3`]]);
    expect(warnings.join('\n')).toContain(path.join(dir, 'images', 'broken.jpg'));
  });

  it('auto mode gives the cache up when the split would not fit the budget; report() says which', async () => {
    const fits = createLoader({...cfg(0), cache_budget_mb: 1}, 'train', {seed: 0});
    expect(fits.report()).toMatchObject({decode: 'main thread', cache: 'auto, budget 1 MB', samples: 10, batches: 3});
    const small = createLoader({...cfg(0), cache_budget_mb: 0}, 'train', {seed: 0}) as DatasetLoader;
    await collect(small, 0);
    expect(small.cacheStats.images).toBe(0);
    expect(createLoader(cfg(2, false), 'train', {seed: 0}).report()).toMatchObject({decode: '2 worker threads', cache: 'off (data.cache false)'});
  });

  it('resamples in-memory images on worker threads with the same result', async () => {
    const synth = (workers: number) => ({
      imgs_per_gpu: 4,
      workers_per_gpu: workers,
      train: {data_source: {type: 'Synthetic', num_classes: 3, size: 16, num_samples: 8}, pipeline: [{type: 'RandomResizedCrop', size: 10}, {type: 'RandomHorizontalFlip'}]},
    });
    const onWorkers = createLoader(synth(2), 'train', {seed: 1}) as DatasetLoader;
    expect(onWorkers.threads).toBe(2);
    expect(onWorkers.report().cache).toBe('not needed (in-memory source)');
    expect(images(await collect(onWorkers, 0))).toEqual(images(await collect(createLoader(synth(0), 'train', {seed: 1}), 0)));
    // a copy-only pipeline stays on the loader's thread
    expect((createLoader({...synth(2), train: {...synth(2).train, pipeline: [{type: 'RandomCrop', size: 16, padding: 2}]}}, 'train', {seed: 1}) as DatasetLoader).threads).toBe(0);
  });

  it('a config error inside a worker comes back as the same MixupError', async () => {
    const bad = {...cfg(1), train: {...cfg(1).train, pipeline: [{type: 'RandomCrop', size: 64}]}};
    await expect(collect(createLoader(bad, 'train', {seed: 0}), 0)).rejects.toThrow('RandomCrop size 64x64 is larger than the padded');
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

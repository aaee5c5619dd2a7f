/**
 * Small RGB images for `mixup visualize`: recognisable synthetic pictures (`--demo`, no files needed), the first
 * images of a folder (`--images DIR`) or of a config's val set (`--val-images CONFIG`), all resized to S×S and
 * returned as H×W×3 floats in [0, 1].
 */
import {promises as fs} from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import {displayPath} from '../config/files';
import {loadConfig} from '../config/validate';
import {openDataset, type Dataset} from '../data';
import {dataError} from '../errors';

/** One S×S×3 image, row-major HWC floats in [0, 1]. */
export interface RgbImage {
  name: string;
  size: number;
  pixels: Float32Array;
}

/** File endings read from `--images`. */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.bmp', '.tif', '.tiff'];

const DEMO_SVGS: Record<string, string> = {
  sun: `<rect width="100" height="100" fill="#4a90d9"/><rect y="70" width="100" height="30" fill="#3c9a3c"/><circle cx="68" cy="32" r="17" fill="#ffd400"/>`,
  house: `<rect width="100" height="100" fill="#f2eadf"/><rect x="24" y="48" width="52" height="40" fill="#c0392b"/><polygon points="18,50 50,18 82,50" fill="#6d3b1f"/><rect x="44" y="64" width="12" height="24" fill="#3b2413"/>`,
  checker: Array.from({length: 16}, (_, i) => `<rect x="${(i % 4) * 25}" y="${Math.floor(i / 4) * 25}" width="25" height="25" fill="${(i + Math.floor(i / 4)) % 2 ? '#111' : '#eee'}"/>`).join(''),
  target: `<rect width="100" height="100" fill="#222"/><circle cx="50" cy="50" r="40" fill="#fff"/><circle cx="50" cy="50" r="28" fill="#d62828"/><circle cx="50" cy="50" r="15" fill="#fff"/><circle cx="50" cy="50" r="6" fill="#d62828"/>`,
};

async function toFloats(input: sharp.Sharp, size: number): Promise<Float32Array> {
  const raw = await input.resize(size, size, {fit: 'cover'}).removeAlpha().toColourspace('srgb').raw().toBuffer();
  return Float32Array.from(raw, (v) => v / 255);
}

/** The four synthetic demo images (sun over a meadow, a house, a checkerboard, a target). */
export async function demoImages(size: number): Promise<RgbImage[]> {
  return Promise.all(
    Object.entries(DEMO_SVGS).map(async ([name, body]) => {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 100 100">${body}</svg>`;
      return {name, size, pixels: await toFloats(sharp(Buffer.from(svg)), size)};
    }),
  );
}

/** The first `limit` images of a folder (sorted by name), resized and centre-cropped to S×S. */
export async function folderImages(dir: string, size: number, limit = 4): Promise<RgbImage[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    throw dataError(`--images ${dir}: cannot read the folder (${(error as Error).message})`);
  }
  const files = names.filter((f) => IMAGE_EXTENSIONS.includes(path.extname(f).toLowerCase())).sort().slice(0, limit);
  if (files.length < 2) {
    throw dataError(`--images ${dir}: needs at least 2 images (${IMAGE_EXTENSIONS.join(', ')}), found ${files.length}`);
  }
  return Promise.all(
    files.map(async (file) => {
      try {
        return {name: file, size, pixels: await toFloats(sharp(path.join(dir, file)), size)};
      } catch (error) {
        throw dataError(`--images ${path.join(dir, file)}: cannot decode the image (${(error as Error).message})`);
      }
    }),
  );
}

/**
 * The first val image of each of the first `limit` classes (in the order of the val list) of a config's dataset:
 * in-memory sources (MNIST, Synthetic) give their pixels, the others are read from `<root>/<file>` (FGVC-Aircraft's
 * banner cropped off). Pictures of the data a run was trained on, for its learned masks.
 */
export async function valSetImages(configFile: string, size: number, limit = 4): Promise<RgbImage[]> {
  const config = loadConfig(configFile) as {data?: unknown};
  const {dataset} = openDataset(config.data, 'val');
  const picked: number[] = [];
  const seen = new Set<number>();
  dataset.samples.forEach((sample, index) => {
    if (picked.length < limit && !seen.has(sample.label)) {
      seen.add(sample.label);
      picked.push(index);
    }
  });
  if (picked.length < 2) {
    throw dataError(`--val-images ${displayPath(configFile)}: ${dataset.description} needs images of at least 2 classes, found ${picked.length}`);
  }
  return Promise.all(
    picked.map(async (index) => {
      const sample = dataset.samples[index];
      const name = dataset.classNames?.[sample.label] ?? `class ${sample.label}`;
      try {
        return {name, size, pixels: await toFloats(await sampleImage(dataset, index), size)};
      } catch (error) {
        throw dataError(`--val-images ${displayPath(configFile)}: cannot decode ${sample.where} (${(error as Error).message})`);
      }
    }),
  );
}

async function sampleImage(dataset: Dataset, index: number): Promise<sharp.Sharp> {
  if (dataset.raw) {
    const {data, width, height} = dataset.raw(index);
    return sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), {raw: {width, height, channels: 3}});
  }
  const file = path.join(dataset.root, dataset.samples[index].file);
  if (!dataset.cropBottom) return sharp(file);
  const {width, height} = await sharp(file).metadata();
  return sharp(file).extract({left: 0, top: 0, width: width!, height: height! - dataset.cropBottom});
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import {Rng} from '../../src/rng';
import {decodeView, normaliseInto} from '../../src/data/decode';
import {IMAGENET_MEAN, IMAGENET_STD, parsePipeline} from '../../src/data/transforms';
import type {RawImage} from '../../src/data/types';
import {cleanup, tempDir, writeImage} from './helpers';

const steps = (value: unknown[]) => parsePipeline(value, 'data.train.pipeline').steps;
let dir: string;
let jpeg: string;

beforeAll(async () => {
  dir = tempDir();
  jpeg = path.join(dir, 'a.jpg');
  await writeImage(jpeg, 80, 60, [200, 40, 10]);
});
afterAll(() => cleanup(dir));

/** Pixel (x, y) of a decoded RGB view. */
const px = (data: Uint8Array, width: number, x: number, y: number) => Array.from(data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3));
const near = (a: number[], b: number[], tol: number) => a.every((v, i) => Math.abs(v - b[i]) <= tol);

describe('decodeView', () => {
  it('Resize -> CenterCrop gives the crop size and keeps left/right content', async () => {
    const view = await decodeView({file: jpeg}, steps([{type: 'Resize', size: 32}, {type: 'CenterCrop', size: 24}]), new Rng(0));
    expect([view.width, view.height, view.data.length, view.flip]).toEqual([24, 24, 24 * 24 * 3, false]);
    expect(near(px(view.data, 24, 2, 12), [200, 40, 10], 12)).toBe(true);
    expect(near(px(view.data, 24, 21, 12), [55, 215, 245], 12)).toBe(true);
  });

  it('is deterministic under a seed and varies across seeds', async () => {
    const s = steps([{type: 'Resize', size: 48}, {type: 'RandomResizedCrop', size: 16, scale: [0.08, 1]}, {type: 'RandomHorizontalFlip'}]);
    const a = await decodeView({file: jpeg}, s, new Rng(5));
    const b = await decodeView({file: jpeg}, s, new Rng(5));
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
    const others = await Promise.all([6, 7, 8, 9].map((seed) => decodeView({file: jpeg}, s, new Rng(seed))));
    expect(others.some((o) => !Buffer.from(o.data).equals(Buffer.from(a.data)))).toBe(true);
  });

  it('pads with zeros where a crop is larger than the image', async () => {
    const view = await decodeView({file: jpeg}, steps([{type: 'CenterCrop', size: 100}]), new Rng(0));
    expect([view.width, view.height]).toEqual([100, 100]);
    expect(px(view.data, 100, 1, 1)).toEqual([0, 0, 0]);
    expect(px(view.data, 100, 5, 50)).toEqual([0, 0, 0]);
    expect(near(px(view.data, 100, 20, 50), [200, 40, 10], 12)).toBe(true);
  });

  it('turns grey and RGBA PNGs into 3 channels', async () => {
    const grey = path.join(dir, 'grey.png');
    await sharp({create: {width: 10, height: 10, channels: 3, background: {r: 90, g: 90, b: 90}}}).toColourspace('b-w').png().toFile(grey);
    const rgba = path.join(dir, 'rgba.png');
    await sharp({create: {width: 10, height: 10, channels: 4, background: {r: 10, g: 20, b: 30, alpha: 0.5}}}).png().toFile(rgba);
    const g = await decodeView({file: grey}, steps([{type: 'CenterCrop', size: 8}]), new Rng(0));
    expect(g.data.length).toBe(8 * 8 * 3);
    expect(px(g.data, 8, 3, 3)).toEqual([90, 90, 90]);
    const c = await decodeView({file: rgba}, steps([{type: 'CenterCrop', size: 8}]), new Rng(0));
    expect(px(c.data, 8, 3, 3)).toEqual([10, 20, 30]);
  });

  it('crops the bottom banner before the transforms', async () => {
    const file = path.join(dir, 'banner.png');
    const data = Buffer.alloc(10 * 30 * 3, 250);
    data.fill(0, 10 * 20 * 3); // bottom 10 rows black
    await sharp(data, {raw: {width: 10, height: 30, channels: 3}}).png().toFile(file);
    const view = await decodeView({file}, [], new Rng(0), 10);
    expect([view.width, view.height]).toEqual([10, 20]);
    expect(Math.min(...view.data)).toBe(250);
  });

  it('copies in-memory images exactly for a padded RandomCrop and resamples otherwise', async () => {
    const raw: RawImage = {width: 6, height: 6, data: Uint8Array.from({length: 108}, (_, i) => i + 1)};
    const crop = steps([{type: 'RandomCrop', size: 6, padding: 2}]);
    const rng = new Rng(1);
    const top = rng.intRange(0, 5) - 2;
    const left = rng.intRange(0, 5) - 2;
    const view = await decodeView({raw}, crop, new Rng(1));
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 6; x++) {
        const [sy, sx] = [y + top, x + left];
        const inside = sy >= 0 && sy < 6 && sx >= 0 && sx < 6;
        expect(px(view.data, 6, x, y)).toEqual(inside ? px(raw.data, 6, sx, sy) : [0, 0, 0]);
      }
    }
    const resized = await decodeView({raw}, steps([{type: 'Resize', size: [3, 4]}]), new Rng(0));
    expect([resized.width, resized.height, resized.data.length]).toEqual([4, 3, 36]);
  });

  it('resizes once, then crops and mirrors by copying, when the random steps only crop and mirror', async () => {
    const raw: RawImage = {width: 7, height: 5, data: Uint8Array.from({length: 105}, (_, i) => (i * 37) % 256)};
    const resized = await decodeView({raw}, steps([{type: 'Resize', size: [8, 8]}]), new Rng(0));
    const view = await decodeView({raw}, steps([{type: 'Resize', size: [8, 8]}, {type: 'RandomCrop', size: 8, padding: 3}]), new Rng(4));
    const rng = new Rng(4);
    const top = rng.intRange(0, 7) - 3;
    const left = rng.intRange(0, 7) - 3;
    expect([top, left]).not.toEqual([0, 0]);
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const [sy, sx] = [y + top, x + left];
        const inside = sy >= 0 && sy < 8 && sx >= 0 && sx < 8;
        expect(px(view.data, 8, x, y)).toEqual(inside ? px(resized.data, 8, sx, sy) : [0, 0, 0]);
      }
    }
  });

  it('rejects missing and corrupt files', async () => {
    const bad = path.join(dir, 'bad.jpg');
    fs.writeFileSync(bad, Buffer.from(fs.readFileSync(jpeg).subarray(0, 200)));
    await expect(decodeView({file: path.join(dir, 'none.jpg')}, [], new Rng(0))).rejects.toMatchObject({code: 'ENOENT'});
    await expect(decodeView({file: bad}, steps([{type: 'CenterCrop', size: 8}]), new Rng(0))).rejects.toThrow();
    const bytes = fs.readFileSync(jpeg);
    const truncated = path.join(dir, 'truncated.jpg');
    fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expect(decodeView({file: truncated}, steps([{type: 'CenterCrop', size: 8}]), new Rng(0))).rejects.toThrow(/premature end|truncated/i);
  });
});

describe('normaliseInto', () => {
  it('writes (v/255 - mean)/std, mirrored when flipped, at the offset', () => {
    const data = Uint8Array.from([0, 0, 0, 255, 255, 255]); // 2x1: black, white
    const dst = new Float32Array(9).fill(9);
    normaliseInto(dst, 3, {data, width: 2, height: 1, flip: true}, IMAGENET_MEAN, IMAGENET_STD);
    expect(Array.from(dst.subarray(0, 3))).toEqual([9, 9, 9]);
    const white = IMAGENET_MEAN.map((m, c) => (1 - m) / IMAGENET_STD[c]);
    const black = IMAGENET_MEAN.map((m, c) => -m / IMAGENET_STD[c]);
    Array.from(dst.subarray(3, 6)).forEach((v, c) => expect(v).toBeCloseTo(white[c], 5));
    Array.from(dst.subarray(6, 9)).forEach((v, c) => expect(v).toBeCloseTo(black[c], 5));
  });
});

/**
 * Turns a planned view (`transforms.ts`) into pixels. A file is first decoded whole to 8-bit RGB by sharp (libvips:
 * JPEG/PNG/WebP/TIFF); the view is then realised from those pixels: a whole-pixel shift at scale 1 (RandomCrop +
 * flip on 32×32) is copied in JS, anything else is one sharp extract + resize of the part of the rectangle inside
 * the image, padded with 0 in JS. A pipeline whose random steps only crop and mirror (`splitSteps`) is realised in two
 * parts: its fixed prefix once per image (`renderFixed`, the pixels the cache keeps), then the random steps, which are
 * copies. Files, cached images and in-memory sources thus take the same path and give the same pixels. Normalisation and the mirror are applied while copying into the batch (`normaliseInto`).
 */
import * as fs from 'node:fs';
import sharp from 'sharp';

// libvips' operation cache keys buffer loads by address: a freed buffer's address reused by the next file can return
// the earlier file's result (seen: a truncated JPEG reported with another file's 'corrupt header'). Off, as in worker.ts.
sharp.cache(false);
import {Rng} from '../rng';
import {SampleError} from './skips';
import {Interpolation, Plan, Step, planSample, splitSteps} from './transforms';
import type {RawImage} from './types';

const KERNELS: Record<Interpolation, keyof sharp.KernelEnum> = {nearest: 'nearest', bilinear: 'linear', bicubic: 'cubic'};

/** A decoded, cropped and resized RGB view; `flip` is still to be applied (by `normaliseInto`). */
export interface DecodedView {
  data: Uint8Array;
  width: number;
  height: number;
  flip: boolean;
}

/** An image to decode: a file path, or pixels already in memory. */
export type ImageInput = {file: string} | {raw: RawImage};

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/**
 * Reads and decodes one image file to 8-bit RGB (alpha dropped, grey expanded, CMYK converted).
 * @throws SampleError for a path that is not a regular file or is empty; the reader's or decoder's error otherwise
 *   (`classify` in skips.ts names it: missing, unreadable, truncated, undecodable).
 */
export async function readImageFile(file: string): Promise<RawImage> {
  const stat = await fs.promises.stat(file);
  if (!stat.isFile()) throw new SampleError('not-a-file', stat.isDirectory() ? 'is a directory' : 'not a regular file');
  if (stat.size === 0) throw new SampleError('zero-byte', 'zero-byte file');
  const bytes = await fs.promises.readFile(file);
  // failOn 'truncated': like PIL, a truncated file is an error, not grey pixels
  const {data, info} = await sharp(bytes, {failOn: 'truncated'}).removeAlpha().toColourspace('srgb').raw({depth: 'uchar'}).toBuffer({resolveWithObject: true});
  if (info.channels !== 3) throw new SampleError('undecodable', `cannot decode: decoder returned ${info.channels} channels, expected 3`);
  return {data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height};
}

/** Copies `src` (`w`×`h`×3) into a zero `outW`×`outH`×3 image at (`x0`, `y0`). */
function pad(src: Uint8Array, w: number, h: number, outW: number, outH: number, x0: number, y0: number): Uint8Array {
  const out = new Uint8Array(outW * outH * 3);
  for (let y = 0; y < h; y++) out.set(src.subarray(y * w * 3, (y + 1) * w * 3), ((y + y0) * outW + x0) * 3);
  return out;
}

/** Realises `plan` on the top `srcH` rows of `raw` with one sharp extract + resize, padding the rest with 0. */
async function resample(raw: RawImage, srcH: number, plan: Plan): Promise<Uint8Array> {
  const {outW, outH} = plan;
  const srcW = raw.width;
  // Part of the rectangle inside the image, in source pixels, then in output pixels.
  const ix0 = clamp(Math.round(plan.x), 0, srcW);
  const iy0 = clamp(Math.round(plan.y), 0, srcH);
  const ix1 = clamp(Math.round(plan.x + plan.w), 0, srcW);
  const iy1 = clamp(Math.round(plan.y + plan.h), 0, srcH);
  const ox0 = clamp(Math.round(((ix0 - plan.x) * outW) / plan.w), 0, outW);
  const oy0 = clamp(Math.round(((iy0 - plan.y) * outH) / plan.h), 0, outH);
  const ox1 = clamp(Math.round(((ix1 - plan.x) * outW) / plan.w), 0, outW);
  const oy1 = clamp(Math.round(((iy1 - plan.y) * outH) / plan.h), 0, outH);
  if (ix1 <= ix0 || iy1 <= iy0 || ox1 <= ox0 || oy1 <= oy0) return new Uint8Array(outW * outH * 3);
  let pipe = sharp(raw.data, {raw: {width: srcW, height: raw.height, channels: 3}});
  if (ix0 !== 0 || iy0 !== 0 || ix1 !== srcW || iy1 !== raw.height) pipe = pipe.extract({left: ix0, top: iy0, width: ix1 - ix0, height: iy1 - iy0});
  if (ox1 - ox0 !== ix1 - ix0 || oy1 - oy0 !== iy1 - iy0) pipe = pipe.resize(ox1 - ox0, oy1 - oy0, {fit: 'fill', kernel: KERNELS[plan.interpolation]});
  const {data, info} = await pipe.raw({depth: 'uchar'}).toBuffer({resolveWithObject: true});
  if (info.channels !== 3 || info.width !== ox1 - ox0 || info.height !== oy1 - oy0) {
    throw new Error(`resampler returned ${info.width}x${info.height}x${info.channels}, expected ${ox1 - ox0}x${oy1 - oy0}x3`);
  }
  const inner = new Uint8Array(data.buffer, data.byteOffset, data.length);
  return ox0 === 0 && oy0 === 0 && ox1 === outW && oy1 === outH ? inner : pad(inner, ox1 - ox0, oy1 - oy0, outW, outH, ox0, oy0);
}

/** JS copy for a whole-pixel shift at scale 1 (zero outside the top `srcH` rows); undefined when the plan needs resampling. */
function shiftCopy(raw: RawImage, srcH: number, plan: Plan): Uint8Array | undefined {
  if (plan.w !== plan.outW || plan.h !== plan.outH || !Number.isInteger(plan.x) || !Number.isInteger(plan.y)) return undefined;
  const out = new Uint8Array(plan.outW * plan.outH * 3);
  for (let y = 0; y < plan.outH; y++) {
    const sy = y + plan.y;
    if (sy < 0 || sy >= srcH) continue;
    const x0 = Math.max(0, -plan.x);
    const x1 = Math.min(plan.outW, raw.width - plan.x);
    if (x1 > x0) out.set(raw.data.subarray((sy * raw.width + x0 + plan.x) * 3, (sy * raw.width + x1 + plan.x) * 3), (y * plan.outW + x0) * 3);
  }
  return out;
}

/**
 * Applies the geometric steps to decoded pixels, drawing from `rng` (one stream per sample).
 * @param cropBottom rows removed from the bottom first (FGVC-Aircraft banner)
 */
export async function renderView(raw: RawImage, steps: readonly Step[], rng: Rng, cropBottom = 0): Promise<DecodedView> {
  const srcH = Math.max(1, raw.height - cropBottom);
  const plan = planSample(steps, raw.width, raw.height, rng, cropBottom);
  const data = shiftCopy(raw, srcH, plan) ?? (await resample(raw, srcH, plan));
  return {data, width: plan.outW, height: plan.outH, flip: plan.flip};
}

/** The `Rng` of the fixed steps, which draw nothing (`splitSteps`). */
const NO_DRAWS = new Rng(0);

/**
 * Realises the fixed steps of `splitSteps` on decoded pixels: what every epoch starts from, and what the decoded
 * cache keeps. No fixed steps: `raw` itself (`cropBottom` is then applied with the random steps).
 */
export async function renderFixed(raw: RawImage, fixed: readonly Step[], cropBottom = 0): Promise<RawImage> {
  if (fixed.length === 0) return raw;
  const {data, width, height} = await renderView(raw, fixed, NO_DRAWS, cropBottom);
  return {data, width, height};
}

/**
 * Decodes one image (a file, or pixels in memory) and applies the geometric steps, drawing from `rng`, the way the
 * loader does: the fixed steps once (`renderFixed`), then the random ones.
 * @throws the reader's or decoder's error for a missing or corrupt file (the loader adds the path and decides: skip or fail).
 */
export async function decodeView(input: ImageInput, steps: readonly Step[], rng: Rng, cropBottom = 0): Promise<DecodedView> {
  const raw = 'raw' in input ? input.raw : await readImageFile(input.file);
  const {fixed, random} = splitSteps(steps);
  return renderView(await renderFixed(raw, fixed, cropBottom), random, rng, fixed.length > 0 ? 0 : cropBottom);
}

/** Writes `(v / 255 − mean[c]) / std[c]` of `view` (mirrored if `view.flip`) into `dst` from `offset`, HWC order. */
export function normaliseInto(dst: Float32Array, offset: number, view: DecodedView, mean: readonly number[], std: readonly number[]): void {
  const {data, width, height, flip} = view;
  const a = std.map((s) => 1 / (255 * s));
  const b = mean.map((m, c) => -m / std[c]);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (y * width + (flip ? width - 1 - x : x)) * 3;
      const d = offset + (y * width + x) * 3;
      dst[d] = data[s] * a[0] + b[0];
      dst[d + 1] = data[s + 1] * a[1] + b[1];
      dst[d + 2] = data[s + 2] * a[2] + b[2];
    }
  }
}

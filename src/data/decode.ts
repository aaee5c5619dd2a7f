/**
 * Turns a planned view (`transforms.ts`) into pixels: sharp (libvips) decodes JPEG/PNG/WebP/TIFF, extracts the
 * source rectangle's part inside the image, resizes it once with the configured kernel and pads the rest with 0;
 * in-memory images whose plan is a whole-pixel shift at scale 1 (RandomCrop + flip on 32×32) are copied in JS.
 * Normalisation and the mirror are applied while copying into the batch.
 */
import * as fs from 'node:fs';
import sharp from 'sharp';
import {notRegularFile} from '../io/read';
import type {Rng} from '../rng';
import {Interpolation, Plan, Step, planSample} from './transforms';
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

/** Realises `plan` on `image` (a sharp instance of a `srcW`×`srcH` image) with one extract + resize + pad. */
async function realise(image: sharp.Sharp, srcW: number, srcH: number, plan: Plan): Promise<Uint8Array> {
  const {outW, outH} = plan;
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
  let pipe = image.removeAlpha().toColourspace('srgb');
  if (ix0 !== 0 || iy0 !== 0 || ix1 !== srcW || iy1 !== srcH) pipe = pipe.extract({left: ix0, top: iy0, width: ix1 - ix0, height: iy1 - iy0});
  if (ox1 - ox0 !== ix1 - ix0 || oy1 - oy0 !== iy1 - iy0) pipe = pipe.resize(ox1 - ox0, oy1 - oy0, {fit: 'fill', kernel: KERNELS[plan.interpolation]});
  if (ox0 > 0 || oy0 > 0 || ox1 < outW || oy1 < outH) {
    pipe = pipe.extend({left: ox0, top: oy0, right: outW - ox1, bottom: outH - oy1, background: {r: 0, g: 0, b: 0}});
  }
  const {data, info} = await pipe.raw({depth: 'uchar'}).toBuffer({resolveWithObject: true});
  if (info.channels !== 3 || info.width !== outW || info.height !== outH) {
    throw new Error(`decoder returned ${info.width}x${info.height}x${info.channels}, expected ${outW}x${outH}x3`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/** JS copy for a whole-pixel shift at scale 1 (zero outside the image); undefined when the plan needs resampling. */
function shiftCopy(raw: RawImage, plan: Plan): Uint8Array | undefined {
  if (plan.w !== plan.outW || plan.h !== plan.outH || !Number.isInteger(plan.x) || !Number.isInteger(plan.y)) return undefined;
  const out = new Uint8Array(plan.outW * plan.outH * 3);
  for (let y = 0; y < plan.outH; y++) {
    const sy = y + plan.y;
    if (sy < 0 || sy >= raw.height) continue;
    const x0 = Math.max(0, -plan.x);
    const x1 = Math.min(plan.outW, raw.width - plan.x);
    if (x1 > x0) out.set(raw.data.subarray((sy * raw.width + x0 + plan.x) * 3, (sy * raw.width + x1 + plan.x) * 3), (y * plan.outW + x0) * 3);
  }
  return out;
}

/**
 * Decodes one image and applies the geometric steps, drawing from `rng` (one stream per sample).
 * @throws Error from the decoder for a missing or corrupt file (the loader adds the path and decides: skip or fail).
 */
export async function decodeView(input: ImageInput, steps: readonly Step[], rng: Rng, cropBottom = 0): Promise<DecodedView> {
  if ('raw' in input) {
    const {raw} = input;
    const plan = planSample(steps, raw.width, raw.height, rng, cropBottom);
    const data =
      shiftCopy(raw, plan) ?? (await realise(sharp(raw.data, {raw: {width: raw.width, height: raw.height, channels: 3}}), raw.width, raw.height, plan));
    return {data, width: plan.outW, height: plan.outH, flip: plan.flip};
  }
  // a FIFO or device listed as an image would block the read forever
  const irregular = notRegularFile(await fs.promises.stat(input.file));
  if (irregular !== undefined) throw new Error(irregular);
  const bytes = await fs.promises.readFile(input.file);
  const image = sharp(bytes, {failOn: 'truncated'}); // like PIL: a truncated file is an error, not grey pixels
  const meta = await image.metadata();
  if (!meta.width || !meta.height) throw new Error('image has no size');
  const plan = planSample(steps, meta.width, meta.height, rng, cropBottom);
  return {data: await realise(image, meta.width, meta.height, plan), width: plan.outW, height: plan.outH, flip: plan.flip};
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

/**
 * The augmentation pipeline, torchvision semantics, planned as geometry before any pixel is touched.
 *
 * Each geometric step maps the current view to a new one. The view is a rectangle in the source image's pixel
 * coordinates (it may extend past the image: padding, filled with 0) shown at an output size, plus a mirror flag.
 * `Resize 256 -> RandomResizedCrop 224 -> flip` thus becomes one rectangle that `decode.ts` realises with a single
 * extract + resize (one resampling instead of torchvision's two). Random draws come from the `Rng` the caller
 * derives per sample, in the order torchvision draws them.
 *
 * Steps (config `pipeline: [...]`):
 * - `Resize {size, interpolation?}`: shorter side to `size`, longer `floor(size · long / short)`; `[h, w]` is exact.
 * - `RandomResizedCrop {size, scale?: [0.08, 1], ratio?: [3/4, 4/3], interpolation?}`: 10 attempts of
 *   `area · U(scale)` with `exp(U(log ratio))` aspect ratio, `w = round(√(A·r))`, `h = round(√(A/r))`; first that fits
 *   wins at a uniform position, else the central crop clamped to the ratio range; then resized to `size`.
 * - `CenterCrop {size}`: `top = round((H − h) / 2)`, `left = round((W − w) / 2)` (zero padding when larger).
 * - `RandomCrop {size, padding?: 0}`: pad by `padding`, crop at a uniform position.
 * - `RandomHorizontalFlip {p?: 0.5}`: mirror when `U < p`.
 * - `Normalize {mean, std}`: `(v / 255 − mean) / std` per channel (means and stds on the [0, 1] scale).
 * `interpolation`: `"bilinear"` (default, torchvision 2), `"bicubic"` (3), `"nearest"` (0), names or codes.
 */
import {usageError, showValue} from '../errors';
import type {Rng} from '../rng';
import {Fields, asFields, checkKnownKeys, optInt, optNumber, optNumbers} from './fields';

export type Interpolation = 'nearest' | 'bilinear' | 'bicubic';
const INTERPOLATIONS: Record<string, Interpolation> = {nearest: 'nearest', bilinear: 'bilinear', bicubic: 'bicubic', 0: 'nearest', 2: 'bilinear', 3: 'bicubic'};

/** ImageNet statistics (the benchmark configs' `img_norm_cfg`). */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406];
export const IMAGENET_STD = [0.229, 0.224, 0.225];

export type Step =
  | {type: 'Resize'; size: [number, number] | number; interpolation: Interpolation}
  | {type: 'RandomResizedCrop'; size: [number, number]; scale: [number, number]; ratio: [number, number]; interpolation: Interpolation}
  | {type: 'CenterCrop'; size: [number, number]}
  | {type: 'RandomCrop'; size: [number, number]; padding: number}
  | {type: 'RandomHorizontalFlip'; p: number};

/** A validated pipeline: geometric steps, then the normalisation. */
export interface Pipeline {
  steps: Step[];
  mean: number[];
  std: number[];
}

/** Where a sample's output pixels come from (see the module comment). */
export interface Plan {
  /** Source rectangle (may reach outside `[0, srcW] × [0, srcH]`). */
  x: number;
  y: number;
  w: number;
  h: number;
  outW: number;
  outH: number;
  flip: boolean;
  interpolation: Interpolation;
}

function interpolationOf(f: Fields): Interpolation {
  const v = f.obj.interpolation ?? 'bilinear';
  const found = INTERPOLATIONS[String(v)];
  if (!found) throw usageError(`${f.at}.interpolation must be "bilinear" (2), "bicubic" (3) or "nearest" (0), got ${showValue(v)}`);
  return found;
}

/** Largest output side a step may ask for (the config schema's bound too): larger is a typo, not an image. */
export const MAX_SIDE = 8192;

/** `size`: a positive integer (square) or `[h, w]`, at most `MAX_SIDE`. */
function sizeOf(f: Fields): [number, number] | number {
  const v = f.obj.size;
  if (Array.isArray(v)) {
    const [h, w] = optNumbers(f, 'size', 2, [], (x) => Number.isInteger(x) && x > 0 && x <= MAX_SIDE, `integers [h, w] in [1, ${MAX_SIDE}]`);
    return [h, w];
  }
  return optInt(f, 'size', 1, undefined, MAX_SIDE);
}

function square(size: [number, number] | number): [number, number] {
  return typeof size === 'number' ? [size, size] : size;
}

/** Steps a pipeline may list but that need no work here (tensor conversion happens in every batch). */
const IMPLICIT = new Set(['ToTensor']);

/**
 * Validates a config's `pipeline` array. A missing Normalize means values scaled to [0, 1] (ToTensor only).
 * @param at dotted path of the array, e.g. `data.train.pipeline`
 * @throws MixupError (usage) naming `at[i].field` and the value.
 */
export function parsePipeline(value: unknown, at: string): Pipeline {
  if (!Array.isArray(value)) throw usageError(`${at} must be an array of steps, got ${showValue(value)}`);
  const pipeline: Pipeline = {steps: [], mean: [0, 0, 0], std: [1, 1, 1]};
  value.forEach((raw, i) => {
    const f = asFields(raw, `${at}[${i}]`);
    const type = f.obj.type;
    if (type === 'Resize') {
      checkKnownKeys(f, ['type', 'size', 'interpolation']);
      pipeline.steps.push({type, size: sizeOf(f), interpolation: interpolationOf(f)});
    } else if (type === 'RandomResizedCrop') {
      checkKnownKeys(f, ['type', 'size', 'scale', 'ratio', 'interpolation']);
      const scale = optNumbers(f, 'scale', 2, [0.08, 1], (x) => x > 0 && x <= 1, 'in (0, 1]');
      const ratio = optNumbers(f, 'ratio', 2, [3 / 4, 4 / 3], (x) => x > 0, '> 0');
      if (scale[0] > scale[1] || ratio[0] > ratio[1]) throw usageError(`${f.at}: scale and ratio must be [low, high] with low <= high, got ${showValue({scale, ratio})}`);
      pipeline.steps.push({type, size: square(sizeOf(f)), scale: [scale[0], scale[1]], ratio: [ratio[0], ratio[1]], interpolation: interpolationOf(f)});
    } else if (type === 'CenterCrop') {
      checkKnownKeys(f, ['type', 'size']);
      pipeline.steps.push({type, size: square(sizeOf(f))});
    } else if (type === 'RandomCrop') {
      checkKnownKeys(f, ['type', 'size', 'padding']);
      pipeline.steps.push({type, size: square(sizeOf(f)), padding: optInt(f, 'padding', 0, 0)});
    } else if (type === 'RandomHorizontalFlip') {
      checkKnownKeys(f, ['type', 'p']);
      pipeline.steps.push({type, p: optNumber(f, 'p', 0, 1, 0.5)});
    } else if (type === 'Normalize') {
      checkKnownKeys(f, ['type', 'mean', 'std']);
      pipeline.mean = optNumbers(f, 'mean', 3, IMAGENET_MEAN, () => true, 'per-channel means on the [0, 1] scale');
      pipeline.std = optNumbers(f, 'std', 3, IMAGENET_STD, (x) => x > 0, 'per-channel stds > 0');
    } else if (!IMPLICIT.has(String(type))) {
      throw usageError(`${f.at}.type ${JSON.stringify(type)} is not a known pipeline step; known: Resize, RandomResizedCrop, CenterCrop, RandomCrop, RandomHorizontalFlip, Normalize, ToTensor`);
    }
  });
  return pipeline;
}

/** Python's `round` (half to even), which torchvision's crop arithmetic uses. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** torchvision `RandomResizedCrop.get_params` on a `width`×`height` view: `[top, left, h, w]`. */
export function randomResizedCropParams(width: number, height: number, scale: [number, number], ratio: [number, number], rng: Rng): [number, number, number, number] {
  const area = width * height;
  const logRatio = [Math.log(ratio[0]), Math.log(ratio[1])];
  for (let attempt = 0; attempt < 10; attempt++) {
    const targetArea = area * rng.uniformRange(scale[0], scale[1]);
    const aspect = Math.exp(rng.uniformRange(logRatio[0], logRatio[1]));
    const w = roundHalfEven(Math.sqrt(targetArea * aspect));
    const h = roundHalfEven(Math.sqrt(targetArea / aspect));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      const top = rng.intRange(0, height - h + 1);
      const left = rng.intRange(0, width - w + 1);
      return [top, left, h, w];
    }
  }
  const inRatio = width / height;
  let w = width;
  let h = height;
  if (inRatio < ratio[0]) h = roundHalfEven(w / ratio[0]);
  else if (inRatio > ratio[1]) w = roundHalfEven(h * ratio[1]);
  return [Math.floor((height - h) / 2), Math.floor((width - w) / 2), h, w];
}

/** Crops the view to `[top, left, h, w]` in its current output coordinates (mirrored when the view is flipped). */
function crop(plan: Plan, top: number, left: number, h: number, w: number): void {
  const sx = plan.w / plan.outW; // source pixels per output pixel
  const sy = plan.h / plan.outH;
  const l = plan.flip ? plan.outW - left - w : left;
  plan.x += l * sx;
  plan.y += top * sy;
  plan.w = w * sx;
  plan.h = h * sy;
  plan.outW = w;
  plan.outH = h;
}

/**
 * Plans one sample: the source rectangle, output size and flip the steps produce for a `srcW`×`srcH` image.
 * @param cropBottom rows removed from the bottom first (FGVC-Aircraft banner)
 */
export function planSample(steps: readonly Step[], srcW: number, srcH: number, rng: Rng, cropBottom = 0): Plan {
  const plan: Plan = {x: 0, y: 0, w: srcW, h: Math.max(1, srcH - cropBottom), outW: srcW, outH: Math.max(1, srcH - cropBottom), flip: false, interpolation: 'bilinear'};
  for (const step of steps) {
    if (step.type === 'Resize') {
      if (typeof step.size === 'number') {
        const short = Math.min(plan.outW, plan.outH);
        const long = Math.floor((step.size * Math.max(plan.outW, plan.outH)) / short);
        [plan.outW, plan.outH] = plan.outW <= plan.outH ? [step.size, long] : [long, step.size];
      } else {
        [plan.outH, plan.outW] = step.size;
      }
      plan.interpolation = step.interpolation;
    } else if (step.type === 'RandomResizedCrop') {
      const [top, left, h, w] = randomResizedCropParams(plan.outW, plan.outH, step.scale, step.ratio, rng);
      crop(plan, top, left, h, w);
      [plan.outH, plan.outW] = step.size;
      plan.interpolation = step.interpolation;
    } else if (step.type === 'CenterCrop') {
      const [h, w] = step.size;
      crop(plan, roundHalfEven((plan.outH - h) / 2), roundHalfEven((plan.outW - w) / 2), h, w);
    } else if (step.type === 'RandomCrop') {
      const [h, w] = step.size;
      const p = step.padding;
      const maxTop = plan.outH + 2 * p - h;
      const maxLeft = plan.outW + 2 * p - w;
      if (maxTop < 0 || maxLeft < 0) throw usageError(`RandomCrop size ${h}x${w} is larger than the padded ${plan.outH + 2 * p}x${plan.outW + 2 * p} image`);
      const top = rng.intRange(0, maxTop + 1);
      const left = rng.intRange(0, maxLeft + 1);
      crop(plan, top - p, left - p, h, w);
    } else if (rng.uniform() < step.p) {
      plan.flip = !plan.flip;
    }
  }
  return plan;
}

/** Steps that draw from the sample's `Rng`. */
const RANDOM_STEPS: ReadonlySet<Step['type']> = new Set(['RandomResizedCrop', 'RandomCrop', 'RandomHorizontalFlip']);
/** Steps that change the scale (a resampling when realised). */
const RESAMPLING_STEPS: ReadonlySet<Step['type']> = new Set(['Resize', 'RandomResizedCrop']);

/** A pipeline's steps split into the part every epoch shares and the part drawn per sample (`splitSteps`). */
export interface SplitSteps {
  /** realised once per image (and cached): the longest prefix without a random step, or none */
  fixed: Step[];
  /** planned per (seed, epoch, sample) on the fixed part's pixels */
  random: Step[];
}

/**
 * Splits `steps` so that the work repeated every epoch is a copy: when no step after the longest random-free prefix
 * resamples, the prefix is `fixed` (`Resize 32 -> RandomCrop 32 pad 4 -> flip`: fixed `[Resize 32]`, so each image is
 * resized once, torchvision's order, and every epoch only crops and mirrors by copying); otherwise `fixed` is empty
 * and the whole pipeline stays one fused plan (`Resize 256 -> RandomResizedCrop 224`: one resampling a sample).
 */
export function splitSteps(steps: readonly Step[]): SplitSteps {
  const cut = steps.findIndex((s) => RANDOM_STEPS.has(s.type));
  const end = cut < 0 ? steps.length : cut;
  if (end === 0 || steps.slice(end).some((s) => RESAMPLING_STEPS.has(s.type))) return {fixed: [], random: [...steps]};
  return {fixed: steps.slice(0, end), random: steps.slice(end)};
}

/** Output `[H, W]` when every sample gets the same size (the last sizing step is a crop or an exact Resize), else undefined. */
export function fixedOutputSize(steps: readonly Step[]): [number, number] | undefined {
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i];
    if (step.type === 'RandomHorizontalFlip') continue;
    if (step.type === 'Resize') return typeof step.size === 'number' ? undefined : step.size;
    return step.size;
  }
  return undefined;
}

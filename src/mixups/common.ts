/**
 * Building blocks shared by the method files: the `defineMethod` wrapper (random draws apart from the maths), λ and
 * permutation draws, label triples, boxes and the one mask-mixing op.
 *
 * Convention for every mask in this folder: `mask[p]` = share of image A (the batch itself, label `yA`) at pixel p,
 * so `x̃ = mask·x + (1 − mask)·x[perm]` and, for a hard mask, `λ = mean(mask)`.
 */
import * as tf from '@tensorflow/tfjs-core';
import {usageError} from '../errors';
import type {Rng} from '../rng';
import {checkNumber} from '../config/args';
import {readMethodArgs} from '../config/methods';
import type {Batch, LabelMix, MixMethod, MixOutput, ModelHooks} from './types';

/** [N, H, W, C] */
export type Shape4 = [number, number, number, number];

/** A box `[x1, x2) × [y1, y2)` in pixels (x = column, y = row). */
export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/**
 * How a method file describes itself: `sampleParams` makes every random draw, `apply` is a pure function of the batch,
 * the drawn parameters and the (validated) arguments, so tests can seed `sampleParams` and check `apply` exactly.
 */
export interface MethodSpec<A, P> {
  name: string;
  needs?: ReadonlyArray<keyof ModelHooks>;
  sampleParams(rng: Rng, shape: Shape4, alpha: number, args: A): P;
  /** may be async: a method that reads tensors on the host does it with `await t.data()` */
  apply(batch: Batch, params: P, args: A, hooks: ModelHooks): MixOutput | Promise<MixOutput>;
}

/**
 * A registered method plus its spec (for tests and the bench); `spec.parseArgs` reads `model.mix_args.<name>` with the
 * catalog's `args` (`readMethodArgs` of src/config/methods.ts: defaults filled in, bounds checked), typed.
 */
export type DefinedMethod<A, P> = MixMethod & {spec: MethodSpec<A, P> & {parseArgs(raw: Record<string, unknown>): A}};

/**
 * Turns a spec into the `MixMethod` the registry holds: `mix = apply ∘ sampleParams`, after validating the batch.
 * The arguments are the catalog's (`src/config/methods.ts`, entry `spec.name`): the one place their defaults and
 * bounds are written, so `validate` reads them exactly as the mixer does.
 */
export function defineMethod<A, P>(spec: MethodSpec<A, P>): DefinedMethod<A, P> {
  const parseArgs = (raw: Record<string, unknown>): A => readMethodArgs(spec.name, raw) as A;
  return {
    name: spec.name,
    implemented: true,
    needs: spec.needs,
    spec: {...spec, parseArgs},
    parseArgs: (raw) => parseArgs(raw) as Record<string, unknown>,
    async mix(batch: Batch, ctx): Promise<MixOutput> {
      const shape = checkBatch(batch);
      const args = parseArgs(ctx.args ?? {});
      for (const hook of spec.needs ?? []) {
        if (!ctx.hooks?.[hook]) throw usageError(`mix method "${spec.name}" needs the model hook ${hook}, which the caller did not provide`);
      }
      return spec.apply(batch, spec.sampleParams(ctx.rng, shape, ctx.alpha, args), args, ctx.hooks ?? {});
    },
  };
}

/** Checks the batch the engine passes in; returns its shape. */
export function checkBatch(batch: Batch): Shape4 {
  if (!batch.images || batch.images.rank !== 4) {
    throw usageError(`mix batch images must be a rank-4 N×H×W×C tensor, got shape ${JSON.stringify(batch.images?.shape)}`);
  }
  const shape = batch.images.shape as Shape4;
  if (shape[0] < 1 || shape[1] < 1 || shape[2] < 1) throw usageError(`mix batch must hold at least one non-empty image, got shape ${JSON.stringify(shape)}`);
  if (batch.labels.length !== shape[0]) {
    throw usageError(`mix batch has ${shape[0]} images but ${batch.labels.length} labels`);
  }
  return shape;
}

/** Validates the Beta α of this iteration (`model.alpha`): a number > 0. */
export function checkAlpha(alpha: number): number {
  return checkNumber(alpha, 'model.alpha', {min: 0, exclusiveMin: true});
}

/** λ ~ Beta(a, b), by default Beta(α, α) (mixup paper, https://arxiv.org/abs/1710.09412). */
export function sampleLam(rng: Rng, alpha: number, b = alpha): number {
  return rng.beta(checkAlpha(alpha), b);
}

/**
 * A pairing permutation without fixed points where possible: like OpenMixup's `_no_repeat_shuffle_idx`, redraws up to
 * 10 times while some `perm[i] = i` (a batch of 1 can only pair with itself).
 */
export function noFixedPointPermutation(rng: Rng, n: number): Int32Array {
  let perm = rng.permutation(n);
  for (let tries = 0; tries < 10 && n > 1 && perm.some((p, i) => p === i); tries++) perm = rng.permutation(n);
  return perm;
}

/** The label triple: `yA = labels`, `yB = labels[perm]`, `lam`. */
export function labelMix(labels: Int32Array, perm: Int32Array, lam: number | Float32Array): LabelMix {
  const yB = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) yB[i] = labels[perm[i]];
  return {yA: Int32Array.from(labels), yB, lam, perm: Int32Array.from(perm)};
}

/**
 * `x̃ = mask·x + (1 − mask)·x[perm]`, with the mask given as a Float32Array of `maskShape` (1×H×W×1 for one mask for the
 * batch, N×H×W×1 for one per sample). Written as two products so a 0/1 mask reproduces the sources exactly.
 * `other` replaces `x[perm]` when the second image is not simply the permuted batch (ResizeMix, PuzzleMix).
 *
 * Computed on the host in one pass and uploaded as one tensor: the mixed images need no gradient (OpenMixup mixes
 * under `no_grad`), and tfjs's cpu backend runs broadcasting element-wise ops and `gather` through a generic per-element
 * index path that is ~50× slower than this loop (16×224×224×3: 5.3 s vs 54 ms, `bench/mixups.ts`).
 */
export async function mixWithMask(
  images: tf.Tensor4D,
  perm: Int32Array,
  mask: Float32Array,
  maskShape: Shape4,
  other?: tf.Tensor4D | Float32Array,
): Promise<{images: tf.Tensor4D; mask: tf.Tensor4D}> {
  const [n, h, w, c] = images.shape;
  const hw = h * w;
  const a = (await images.data()) as Float32Array;
  const b = other === undefined ? a : other instanceof Float32Array ? other : ((await other.data()) as Float32Array);
  const out = new Float32Array(a.length);
  const perSample = maskShape[0] !== 1;
  for (let i = 0; i < n; i++) {
    const base = i * hw * c; // sample i of x (and of `other`)
    const partner = other ? base : perm[i] * hw * c; // the image mixed in
    const m0 = perSample ? i * hw : 0;
    for (let p = 0; p < hw; p++) {
      const m = mask[m0 + p];
      const keep = 1 - m;
      for (let k = 0, j = p * c; k < c; k++, j++) out[base + j] = m * a[base + j] + keep * b[partner + j];
    }
  }
  return {images: tf.tensor4d(out, [n, h, w, c]), mask: tf.tensor4d(mask, maskShape)};
}

/**
 * `x[perm]` along the batch axis, differentiable (slices and one concat: tfjs's cpu `gather` is slow on big tensors).
 */
export function permuteBatch<T extends tf.Tensor>(x: T, perm: Int32Array): T {
  return tf.tidy(() => {
    const size = [1, ...x.shape.slice(1)];
    return tf.concat(Array.from(perm, (p) => tf.slice(x, [p, ...x.shape.slice(1).map(() => 0)], size))) as T;
  });
}

/** Mean of a Float32Array. */
export function mean(values: Float32Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

/**
 * CutMix's box (https://arxiv.org/abs/1905.04899): side ratio `r`, so `cut_w = ⌊W·r⌋`, `cut_h = ⌊H·r⌋`, around the
 * centre `(cx, cy)`, clipped to the image: `x1 = clip(cx − ⌊cut_w/2⌋, 0, W)`, `x2 = clip(cx + ⌊cut_w/2⌋, 0, W)`.
 */
export function boxAround(cx: number, cy: number, ratio: number, h: number, w: number): Box {
  const cutW = Math.floor(w * ratio);
  const cutH = Math.floor(h * ratio);
  const clip = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
  return {
    x1: clip(cx - Math.floor(cutW / 2), w),
    x2: clip(cx + Math.floor(cutW / 2), w),
    y1: clip(cy - Math.floor(cutH / 2), h),
    y2: clip(cy + Math.floor(cutH / 2), h),
  };
}

/** Area share of a box: `(x2 − x1)(y2 − y1) / (H·W)`. */
export function boxShare(box: Box, h: number, w: number): number {
  return ((box.x2 - box.x1) * (box.y2 - box.y1)) / (h * w);
}

/** H×W mask, 1 outside the box (image A) and 0 inside (image B is pasted there). */
export function boxMask(box: Box, h: number, w: number): Float32Array {
  const m = new Float32Array(h * w).fill(1);
  for (let y = box.y1; y < box.y2; y++) m.fill(0, y * w + box.x1, y * w + box.x2);
  return m;
}

/** Output of a method that pastes image B into one box of image A (CutMix, SaliencyMix): `λ = 1 − box area share`. */
export async function pasteBox(batch: Batch, perm: Int32Array, box: Box): Promise<MixOutput> {
  const [, h, w] = batch.images.shape;
  const {images, mask} = await mixWithMask(batch.images, perm, boxMask(box, h, w), [1, h, w, 1]);
  return {kind: 'input', images, mask, labels: labelMix(batch.labels, perm, 1 - boxShare(box, h, w))};
}

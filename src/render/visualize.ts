/**
 * The logic of `mixup visualize`: mixes a small batch with each requested method (same seed for each) and lays out
 * one grid row per method: source A, source B (its pair), the mixed image and the mask (white = A), with λ.
 *
 * Model-dependent methods get model-free stand-ins, labelled as such in the picture: PuzzleMix's input gradient is
 * replaced by the spectral-residual saliency of each image, AttentiveMix's extractor features by that saliency pooled
 * to a 7×7 map. Feature-level methods (ManifoldMix, AlignMix) mix hidden features, not pixels, and are left out with a
 * reason, as are methods that are not implemented.
 *
 * Learned mixers (AutoMix, SAMix) draw the mask of a trained Mix Block (`learned.ts`) when one is given for them, at
 * a fixed λ (0.5 unless set), with OpenMixup `forward_vis`'s pairs i → i+1 (the last → 0); the row shows sample 0
 * with its partner 1 and the mean of its mask. Without a trained Mix Block they are skipped with a reason.
 */
import * as tf from '@tensorflow/tfjs-core';
import {registry} from '../mixups';
import {saliencyAt, spectralResidual} from '../mixups/saliency';
import type {ModelHooks} from '../mixups/types';
import {mixImages} from '../models/automix/mask-ops';
import {Rng} from '../rng';
import {renderGrid, type GridRow} from './grid';
import type {RgbImage} from './images';
import {isLearned, learnedNote, type LearnedMixer} from './learned';

/** What was drawn for one method. */
export interface VisualizedMethod {
  method: string;
  /** λ of the shown sample (share of source A) */
  lam: number;
  /** indices of source A and B in the image list */
  pair: [number, number];
  /** names of source A and B */
  sources: [string, string];
  /** set when a model-free stand-in replaced the model hook */
  standIn?: string;
  /** learned mixers: the mean of the shown mask (the share of A in the mixed image) */
  maskMean?: number;
  /** learned mixers: the config and checkpoint the Mix Block came from, and the checkpoint's epoch */
  learned?: {config: string; checkpoint: string; epoch: number};
}

/** Options of {@link visualizeMethods}. */
export interface VisualizeOptions {
  /** trained Mix Blocks by learned method name (automix, samix) */
  learned?: ReadonlyMap<string, LearnedMixer>;
  /** λ of the learned masks, in (0, 1); default 0.5 */
  lam?: number;
}

/** The rendered PNG, its size, the methods drawn and those skipped with the reason. */
export interface VisualizeResult {
  png: Buffer;
  width: number;
  height: number;
  methods: VisualizedMethod[];
  skipped: Array<{method: string; reason: string}>;
}

/** Side of the stand-in attention map (as a ResNet's 7×7 last stage at 224 px). */
const STAND_IN_GRID = 7;

/** Model-free hooks built from each image's spectral-residual saliency. */
export function standInHooks(images: RgbImage[]): {hooks: ModelHooks; notes: Record<string, string>} {
  const size = images[0].size;
  const maps = images.map((im) => saliencyAt(spectralResidual(im.pixels, size, size, 3), size, size));
  return {
    hooks: {
      inputGradient: () => tf.tile(tf.tensor4d(Float32Array.from(maps.flatMap((m) => Array.from(m))), [images.length, size, size, 1]), [1, 1, 1, 3]) as tf.Tensor4D,
      extractorFeatures: () =>
        tf.tidy(() => {
          const s = tf.tensor4d(Float32Array.from(maps.flatMap((m) => Array.from(m))), [images.length, size, size, 1]);
          return tf.image.resizeBilinear(s, [STAND_IN_GRID, STAND_IN_GRID]) as tf.Tensor4D;
        }),
    },
    notes: {
      inputGradient: 'stand-in: spectral-residual saliency instead of the model gradient',
      extractorFeatures: `stand-in: saliency pooled to ${STAND_IN_GRID}×${STAND_IN_GRID} instead of a pretrained ResNet`,
    },
  };
}

function sample(t: tf.Tensor4D, i: number): Float32Array {
  return tf.tidy(() => {
    const [, h, w, c] = t.shape;
    return tf.clipByValue(tf.slice(t, [i, 0, 0, 0], [1, h, w, c]), 0, 1).dataSync() as Float32Array;
  });
}

/** A grid row: picture A, its partner B, the mixed picture (captioned) and the mask (or none). */
function pairRow(title: string, note: string | undefined, a: RgbImage, b: RgbImage, mixed: Float32Array, mixedCaption: string, mask: Float32Array | null): GridRow {
  return {
    title,
    note,
    tiles: [
      {pixels: a.pixels, channels: 3, caption: `A: ${a.name}`},
      {pixels: b.pixels, channels: 3, caption: `B: ${b.name}`},
      {pixels: mixed, channels: 3, caption: mixedCaption},
      {pixels: mask, channels: 1, caption: 'mask (white = A)'},
    ],
  };
}

/** The mask of a trained Mix Block for the pairs i → i+1 (the last → 0), and the row of sample 0. */
function learnedRow(name: string, mixer: LearnedMixer, batchImages: tf.Tensor4D, images: RgbImage[], seed: number, lam: number): {row: GridRow; shown: VisualizedMethod} {
  const n = images.length;
  const index = Int32Array.from({length: n}, (_, i) => (i + 1) % n);
  const mask = mixer.mask(batchImages, index, lam, new Rng(seed));
  const mixed = mixImages(batchImages, index, mask);
  const maskPixels = sample(mask, 0);
  let sum = 0;
  for (const v of maskPixels) sum += v;
  const maskMean = sum / maskPixels.length;
  const row = pairRow(name, `learned: ${learnedNote(mixer)}`, images[0], images[index[0]], sample(mixed, 0), `λ = ${lam.toFixed(3)}, mean M = ${maskMean.toFixed(3)}`, maskPixels);
  tf.dispose([mask, mixed]);
  return {
    row,
    shown: {
      method: name, lam, pair: [0, index[0]], sources: [images[0].name, images[index[0]].name], maskMean,
      learned: {config: mixer.config, checkpoint: mixer.checkpoint, epoch: mixer.epoch},
    },
  };
}

/**
 * Mixes `images` with each method (a fresh `Rng(seed)` per method, α = `alpha`) and renders the grid. Learned
 * methods use their trained Mix Block from `options.learned` at λ = `options.lam` (0.5), and are skipped without one.
 * @throws MixupError for an unknown method name (listing the known ones)
 */
export async function visualizeMethods(methods: string[], images: RgbImage[], seed: number, alpha: number, options: VisualizeOptions = {}): Promise<VisualizeResult> {
  const size = images[0].size;
  const batch = {
    images: tf.tensor4d(Float32Array.from(images.flatMap((im) => Array.from(im.pixels))), [images.length, size, size, 3]),
    labels: Int32Array.from(images, (_, i) => i),
  };
  const {hooks, notes} = standInHooks(images);
  const rows: GridRow[] = [];
  const shown: VisualizedMethod[] = [];
  const skipped: VisualizeResult['skipped'] = [];
  for (const name of methods) {
    const method = registry.get(name);
    if (isLearned(name)) {
      const mixer = options.learned?.get(name);
      if (mixer === undefined) {
        skipped.push({method: name, reason: 'a learned mixer: give the --config and --checkpoint of a trained run to see its masks'});
        continue;
      }
      const {row, shown: drawn} = learnedRow(name, mixer, batch.images, images, seed, options.lam ?? 0.5);
      rows.push(row);
      shown.push(drawn);
      continue;
    }
    if (!method.implemented) {
      skipped.push({method: name, reason: 'not implemented (see `mixup methods`)'});
      continue;
    }
    const out = await method.mix(batch, {rng: new Rng(seed), alpha, args: method.parseArgs ? method.parseArgs({}) : {}, hooks});
    if (out.kind !== 'input') {
      skipped.push({method: name, reason: 'mixes hidden features inside the backbone, nothing to show at the input'});
      continue;
    }
    const perm = out.labels.perm ?? Int32Array.from(images, (_, i) => i);
    const i = Math.max(0, perm.findIndex((p, k) => p !== k));
    const lam = typeof out.labels.lam === 'number' ? out.labels.lam : out.labels.lam[i];
    const standIn = (method.needs ?? []).map((h) => notes[h]).join('; ') || undefined;
    const mask = out.mask ? sample(out.mask, out.mask.shape[0] === 1 ? 0 : i) : null;
    rows.push(pairRow(name, standIn, images[i], images[perm[i]], sample(out.images, i), `λ = ${lam.toFixed(3)}`, mask));
    shown.push({method: name, lam, pair: [i, perm[i]], sources: [images[i].name, images[perm[i]].name], ...(standIn ? {standIn} : {})});
    tf.dispose([out.images, ...(out.mask ? [out.mask] : [])]);
  }
  batch.images.dispose();
  const {png, width, height} = await renderGrid(['source A', 'source B', 'mixed', 'mask'], rows, size);
  return {png, width, height, methods: shown, skipped};
}

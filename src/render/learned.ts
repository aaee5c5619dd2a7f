/**
 * Learned masks for `mixup visualize`: the Mix Block of a trained AutoMix / SAMix run (OpenMixup `AutoMixup`,
 * `forward_vis`) applied to the pictures of the grid (`load-learned.ts` builds one from a config and a checkpoint).
 *
 * For a pair index (i → i+1, the last → 0, as OpenMixup's `forward_vis`) and a λ:
 *
 *     x   = normalise(resize(images, the training input size))      (the config's pipeline: crop size, Normalize)
 *     f   = backbone_k(x) at stage mask_layer                        (eval mode)
 *     M   = MixBlock(f, index, λ) upsampled to the tile size          (eval mode: no dropout)
 *     mix = M · x_i + (1 − M) · x_index[i]                          (on the shown, unnormalised pictures)
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {METHODS} from '../config/methods';
import {fixedOutputSize, parsePipeline} from '../data/transforms';
import {usageError} from '../errors';
import type {MaskUpsampling} from '../models/automix/mix-block';
import type {Rng} from '../rng';

/** Method names of the learned mixers (catalog kind `learned`: automix, samix). */
export const LEARNED_METHODS: readonly string[] = METHODS.filter((m) => m.kind === 'learned').map((m) => m.name);

/** True for a learned mixer's name. */
export function isLearned(method: string): boolean {
  return LEARNED_METHODS.includes(method);
}

/** What {@link learnedMixer} needs of an AutoMix model (`AutoMixModel` of `src/models/automix/model.ts`). */
export interface MaskModel {
  maskFeatures(x: tf.Tensor4D, opts: {training: boolean}): tf.Tensor4D;
  readonly mixBlock: {
    mask(features: tf.Tensor4D, index: Int32Array, lam: number, size: [number, number], opts?: {upsampling?: MaskUpsampling; training?: boolean; rng?: Rng}): tf.Tensor4D;
  };
  dispose(): void;
}

/** How the pictures are fed to the model: the training input size and the pipeline's Normalize. */
export interface InputPrep {
  /** [H, W] the features are computed at; undefined = the tile size */
  size?: [number, number];
  mean: number[];
  std: number[];
}

/** A trained Mix Block ready to draw masks, with what it came from. */
export interface LearnedMixer {
  method: string;
  /** the config and checkpoint files as given */
  config: string;
  checkpoint: string;
  /** epochs the checkpoint had completed */
  epoch: number;
  /** the input size the features are computed at */
  inputSize?: [number, number];
  /**
   * M_i for the pairs (i, index[i]) at ratio `lam`.
   * @param images N×S×S×3 pictures in [0, 1]
   * @returns N×S×S×1 in [0, 1]
   */
  mask(images: tf.Tensor4D, index: Int32Array, lam: number, rng: Rng): tf.Tensor4D;
  dispose(): void;
}

/** Downscales by averaging when the factor is an integer (no aliasing of fine patterns), else bilinearly. */
function resizeTo(images: tf.Tensor4D, [h, w]: [number, number]): tf.Tensor4D {
  const [, H, W] = images.shape;
  if (H === h && W === w) return images;
  if (H % h === 0 && W % w === 0 && H / h === W / w) return tf.avgPool(images, H / h, H / h, 'valid');
  return tf.image.resizeBilinear(images, [h, w], false, true);
}

/** Wraps a model (already holding its trained weights) as a {@link LearnedMixer}. */
export function learnedMixer(model: MaskModel, prep: InputPrep, info: Pick<LearnedMixer, 'method' | 'config' | 'checkpoint' | 'epoch'>): LearnedMixer {
  return {
    ...info,
    ...(prep.size ? {inputSize: prep.size} : {}),
    mask(images, index, lam, rng) {
      const [, H, W] = images.shape;
      return tf.tidy(() => {
        const x = tf.div(tf.sub(resizeTo(images, prep.size ?? [H, W]), tf.tensor1d(prep.mean)), tf.tensor1d(prep.std)) as tf.Tensor4D;
        const features = model.maskFeatures(x, {training: false});
        return model.mixBlock.mask(features, index, lam, [H, W], {training: false, rng});
      });
    },
    dispose: () => model.dispose(),
  };
}

/**
 * The input size and normalisation of a config: the train pipeline's fixed output size (its last crop or exact
 * Resize; the val pipeline's when the train one has none; undefined when neither has one) and the val pipeline's
 * Normalize (the train one's without a val pipeline).
 */
export function inputPrep(config: unknown): InputPrep {
  const data = (config as {data?: {train?: {pipeline?: unknown}; val?: {pipeline?: unknown}}}).data ?? {};
  const train = data.train?.pipeline !== undefined ? parsePipeline(data.train.pipeline, 'data.train.pipeline') : undefined;
  const val = data.val?.pipeline !== undefined ? parsePipeline(data.val.pipeline, 'data.val.pipeline') : undefined;
  const size = (train && fixedOutputSize(train.steps)) ?? (val && fixedOutputSize(val.steps));
  const norm = val ?? train ?? {mean: [0, 0, 0], std: [1, 1, 1]};
  return {...(size ? {size} : {}), mean: norm.mean, std: norm.std};
}

/** The suggestion of a usage error about a learned method's missing --config/--checkpoint. */
export function trainHint(method: string): string {
  const config = `configs/demo/${method}.json`;
  return `Train one with \`mixup train ${config}\`, then add \`--checkpoint work_dirs/demo/${method}/latest.safetensors --config ${config}\`.`;
}

/** A short description of a mixer's source for the picture: `automix.json, epoch 4`. */
export function learnedNote(source: {config: string; epoch: number}): string {
  return `${path.basename(source.config)}, epoch ${source.epoch}`;
}

/**
 * Pairs the learned methods of --methods with the --config/--checkpoint flags, in order.
 * @throws MixupError (usage) for a learned method without them (saying how to train one), a count that does not
 *   match, a learned method listed twice, or the flags without a learned method
 */
export function learnedRuns(methods: string[], configs: string[], checkpoints: string[]): Array<{method: string; config: string; checkpoint: string}> {
  const learned = methods.filter((m) => isLearned(m));
  const twice = learned.find((m, i) => learned.indexOf(m) !== i);
  if (twice) throw usageError(`--methods lists the learned method ${twice} twice; list it once`);
  if (learned.length === 0) {
    if (configs.length > 0 || checkpoints.length > 0) {
      throw usageError(`--config and --checkpoint are for the learned methods (${LEARNED_METHODS.join(', ')}), but --methods has none`);
    }
    return [];
  }
  for (const [flag, values] of [['--config', configs], ['--checkpoint', checkpoints]] as const) {
    if (values.length === 0) {
      throw usageError(`--methods ${learned.join(',')}: a learned mixer needs --config (the config its run was trained with) and --checkpoint (a checkpoint of that run); ${flag} is missing`, {
        suggestions: [trainHint(learned[0])],
      });
    }
    if (values.length !== learned.length) {
      throw usageError(`--methods has ${learned.length} learned methods (${learned.join(', ')}): give one ${flag} for each, in that order; got ${values.length}`);
    }
  }
  return learned.map((method, i) => ({method, config: configs[i], checkpoint: checkpoints[i]}));
}

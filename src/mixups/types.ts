/**
 * The contract between mixing methods (`src/mixups/`) and the training engine (`src/engine/`, `src/models/`).
 *
 * A method is a pure function of a batch, a seeded `Rng` and its arguments. It returns the mixed images (or, for
 * feature-level methods, a plan the backbone applies) and the label-mixing triple of the reference benchmark
 * (OpenMixup `MixUpClassification`): `yA` = the labels, `yB` = the labels of the paired samples (`labels[perm]`),
 * `lam` = the share of `yA`, one number per batch or one per sample.
 *
 * Tensor layout is NHWC float32 (tfjs's native layout), images already normalised.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type {Rng} from '../rng';

/** A batch as the engine hands it to a mixer. */
export interface Batch {
  /** N×H×W×C, float32 */
  images: tf.Tensor4D;
  /** N integer class indices, 0-based */
  labels: Int32Array;
}

/** The label-mixing triple `(y_a, y_b, lam)`; loss = lam·CE(y_a) + (1−lam)·CE(y_b). */
export interface LabelMix {
  yA: Int32Array;
  yB: Int32Array;
  /** share of yA: one scalar for the batch, or one value per sample (PuzzleMix) */
  lam: number | Float32Array;
  /** the pairing permutation (`yB[i] = yA[perm[i]]`, mixed with image `perm[i]`), where the method has one */
  perm?: Int32Array;
}

/** Model access that model-dependent methods need; the engine provides it. */
export interface ModelHooks {
  /** d loss / d input of the current model (one extra backward): N×H×W×C. PuzzleMix saliency. */
  inputGradient?(images: tf.Tensor4D, labels: Int32Array): tf.Tensor4D;
  /** last-stage feature map of a frozen pretrained extractor (AttentiveMix+): N×h×w×C. */
  extractorFeatures?(images: tf.Tensor4D): tf.Tensor4D;
}

/** What `mix` gets besides the batch: the seeded Rng, this iteration's α, the validated args and the model hooks. */
export interface MixContext {
  rng: Rng;
  /** the Beta α chosen for this iteration */
  alpha: number;
  /** `model.mix_args[name]` merged over the catalog defaults (`src/config/methods.ts`) */
  args: Record<string, unknown>;
  hooks?: ModelHooks;
}

/**
 * A feature-level mix the backbone applies while it runs the forward pass (ManifoldMix, AlignMix).
 * `stage` 0 = the input of the backbone, k = the output of residual stage k (1-based), -1 = the last stage.
 */
export interface FeaturePlan {
  stage: number;
  /** returns the mixed features, e.g. lam·x + (1−lam)·x[perm]; must keep the shape of x */
  apply(x: tf.Tensor4D): tf.Tensor4D;
}

/** The result of `mix`: mixed images (`input`) or a plan the backbone applies (`feature`), with the label triple. */
export type MixOutput =
  | {
      kind: 'input';
      /** mixed images, same shape as the input */
      images: tf.Tensor4D;
      labels: LabelMix;
      /** where set: share of the yA image per pixel, N×H×W×1 or 1×H×W×1 (for tests and `mixup visualize`) */
      mask?: tf.Tensor4D;
    }
  | {
      kind: 'feature';
      /** the unmixed input images */
      images: tf.Tensor4D;
      labels: LabelMix;
      plan: FeaturePlan;
    };

/** One mixing method, registered by its config name in `src/mixups/index.ts`. */
export interface MixMethod {
  /** config name, one of `METHOD_NAMES` (`src/config/methods.ts`) */
  name: string;
  /** false only for a registered placeholder whose `mix` throws a not-implemented error */
  implemented: boolean;
  /**
   * true for the learned mixers (AutoMix, SAMix): implemented by their own classifier (`model.type: "AutoMixup"`,
   * src/models/automix + the engine), not as a `mix_mode`; their `mix` and `parseArgs` throw a usage error saying so
   */
  learned?: boolean;
  /** model hooks `mix` needs; the engine refuses to start when it cannot provide them */
  needs?: ReadonlyArray<keyof ModelHooks>;
  /** checks and normalises `mix_args` once, when a run is built; errors name the field and value */
  parseArgs?(args: Record<string, unknown>): Record<string, unknown>;
  /** async: host reads are `await t.data()` (the webgpu backend cannot read a GPU tensor synchronously in Node) */
  mix(batch: Batch, ctx: MixContext): Promise<MixOutput>;
}

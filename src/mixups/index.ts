/**
 * The one list of mixing methods (like tfjs's register_all_kernels.ts): every method file is imported here and
 * registered by its config name. `mix_mode` names resolve only through `registry`.
 *
 * What the engine uses (names and signatures are stable):
 * - `registry.get(name): MixMethod` — `await method.mix(batch, {rng, alpha, args, hooks}) → MixOutput` (`./types.ts`):
 *   `kind: 'input'` → train on `images`; `kind: 'feature'` → train on `images` and let the backbone call
 *   `plan.apply(h)` at stage `plan.stage`. Both carry `labels: LabelMix = {yA, yB, lam, perm?}`.
 * - `new MixSchedule(model, registry)` (`./schedule.ts`): `.pick(rng)` / `await .mix(batch, rng, hooks) → MixOutput[]`
 *   (`mix_repeat` outputs; divide each loss by their number), `.needs` = model hooks required.
 * - `mixLoss(logits: tf.Tensor2D, labels: LabelMix, numClasses: number, lossCfg) → tf.Scalar` (differentiable in
 *   `logits`; `lossCfg` = OpenMixup's `CrossEntropyLoss` dict), `accuracyTop1(logits, labels: Int32Array)` (`acc`)
 *   and `accuracyMix(logits, labels: LabelMix)` (`acc_mix`), both in percent (`./loss.ts`). Gradients need tfjs's
 *   gradient functions registered (the engine imports `@tensorflow/tfjs`, which does that).
 * - `automix` / `samix` are registered with `learned: true`: implemented by the `AutoMixup` classifier
 *   (`model.type: "AutoMixup"`, `isAutoMix(config)` of src/config), not as a mix_mode; `MixSchedule` refuses them
 *   with `learnedAsMixModeError`.
 */
import {alignmix} from './alignmix';
import {attentivemix} from './attentivemix';
import {automix} from './automix';
import {cutmix} from './cutmix';
import {fmix} from './fmix';
import {gridmix} from './gridmix';
import {manifoldmix} from './manifoldmix';
import {mixup} from './mixup';
import {puzzlemix} from './puzzlemix';
import {MixRegistry} from './registry';
import {resizemix} from './resizemix';
import {saliencymix} from './saliencymix';
import {samix} from './samix';
import {smoothmix} from './smoothmix';
import type {MixMethod} from './types';
import {vanilla} from './vanilla';

/** Every method, in the order of the method catalog. */
export const METHOD_LIST: readonly MixMethod[] = [
  vanilla,
  mixup,
  cutmix,
  manifoldmix,
  saliencymix,
  fmix,
  puzzlemix,
  resizemix,
  gridmix,
  smoothmix,
  attentivemix,
  alignmix,
  automix,
  samix,
];

/** The registry every `mix_mode` name resolves through (all methods of `METHOD_LIST`). */
export const registry = new MixRegistry();
for (const method of METHOD_LIST) registry.register(method, `src/mixups/${method.name}.ts`);

export type {Batch, FeaturePlan, LabelMix, MixContext, MixMethod, MixOutput, ModelHooks} from './types';
export {MixRegistry} from './registry';
export {learnedAsMixModeError} from './learned';
export {MixSchedule, type ModelMixConfig, type ScheduledMix} from './schedule';
export {mixLoss, accuracyMix, accuracyMixDevice, accuracyTop1, accuracyTop1Device, mixedOneHot, parseLossConfig, type LossConfig} from './loss';

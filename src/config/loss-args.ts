/**
 * `model.head.loss` (OpenMixup's `CrossEntropyLoss` dict): its fields, defaults and bounds, and the rules between
 * them. `validate` and the loss that trains with them (`src/mixups/loss.ts`) both read it through `readLossArgs`.
 */
import {notImplemented, usageError, showValue} from '../errors';
import {readArgs, type ArgSpecs, type ArgValues} from './args';

/** The fields of a loss dict. `reduction` may only be "mean" (OpenMixup's default) and `class_weight` only null. */
export const LOSS_ARGS = {
  type: {type: 'choice', default: 'CrossEntropyLoss', allowed: ['CrossEntropyLoss']},
  use_sigmoid: {type: 'bool', default: false},
  use_soft: {type: 'bool', default: false},
  use_mix_decouple: {type: 'bool', default: false},
  label_smooth_val: {type: 'number', default: 0, rule: {min: 0, max: 1}},
  loss_weight: {type: 'number', default: 1, rule: {min: 0}},
  eta_weight: {type: 'range', default: [1, 1], rule: {min: 0}},
  reduction: {type: 'choice', default: 'mean', allowed: ['mean']},
  class_weight: {type: 'nullableNumber', default: null},
} as const satisfies ArgSpecs;

/** A read loss dict, defaults filled in (`eta_weight` = [η_A, η_B] of the decoupled loss; `class_weight` only null). */
export type LossArgs = Omit<ArgValues<typeof LOSS_ARGS>, 'class_weight'> & {class_weight: null};

/**
 * Reads a loss dict (`where` = its dotted path).
 * @throws MixupError (usage) naming the field; (notImplemented) for a `class_weight`
 */
export function readLossArgs(raw: Record<string, unknown>, where = 'model.head.loss'): LossArgs {
  if (raw !== null && typeof raw === 'object' && raw.class_weight != null) {
    throw notImplemented(`${where}.class_weight is not supported, got ${showValue(raw.class_weight)}; remove it or set it to null`);
  }
  const args = readArgs(LOSS_ARGS, raw, where) as unknown as LossArgs;
  if (args.use_sigmoid && args.use_soft) throw usageError(`${where}.use_soft and ${where}.use_sigmoid cannot both be true`);
  if (args.use_mix_decouple && !args.use_soft) throw usageError(`${where}.use_mix_decouple requires ${where}.use_soft: true`);
  return args;
}

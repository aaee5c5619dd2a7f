/**
 * The learned mixers (AutoMix, SAMix) in the registry. They are implemented, but not as a `mix_mode`: a Mix Block is
 * trained jointly with the classifier, so they are their own classifier type, OpenMixup's `AutoMixup`
 * (`model.type: "AutoMixup"`: src/models/automix, the engine's AutoMix learner). Registered with `learned: true` so
 * that `mixup methods` lists them as implemented; as a `mix_mode` of a `MixUpClassification` model they are a usage
 * error pointing at the AutoMixup configs (OpenMixup's MixUpClassification refuses them too), never a silent fallback.
 */
import {usageError, type MixupError} from '../errors';
import type {MixMethod} from './types';

/** The usage error for a learned mixer named as a `mix_mode`. */
export function learnedAsMixModeError(name: string): MixupError {
  return usageError(
    `model.mix_mode: "${name}" is a learned mixer (a Mix Block trained with the classifier): it is its own classifier type, not a mix_mode of "MixUpClassification"; use a config with model.type "AutoMixup", e.g. configs/cub200/r18_${name}.json or configs/demo/${name}.json`,
    {suggestions: [`Generate the benchmark's ${name} configs with \`mixup gen-configs --dataset <dataset> --methods ${name}\`; see docs/config.md (AutoMixup).`]},
  );
}

/** A registered learned mixer: `implemented` and `learned`; `mix`/`parseArgs` throw `learnedAsMixModeError`. */
export function learnedMixer(name: string): MixMethod {
  return {
    name,
    implemented: true,
    learned: true,
    parseArgs: () => {
      throw learnedAsMixModeError(name);
    },
    mix: () => {
      throw learnedAsMixModeError(name);
    },
  };
}

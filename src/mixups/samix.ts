/**
 * `samix`: "Boosting Discriminative Visual Representation Learning with Scenario-Agnostic Mixup", Li et al.,
 * https://arxiv.org/abs/2111.15454. A learned mixer like AutoMix (same `AutoMixup` classifier) with SAMix's Mix Block
 * (λ multiplied into the features, a non-linear value network, q/k on [x_i ‖ x_j], L1+Variance mask loss) and the
 * η-balanced mixed loss for the Mix Block (`model.head_mix_k`): configs/<dataset>/<backbone>_samix.json. Registered
 * here as `learned` so that `mix_mode: "samix"` explains that.
 */
import {learnedMixer} from './learned';

/** The `samix` registry entry (`learned: true`). */
export const samix = learnedMixer('samix');

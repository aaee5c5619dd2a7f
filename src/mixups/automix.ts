/**
 * `automix`: "AutoMix: Unveiling the Power of Mixup for Stronger Classifiers", Liu et al., ECCV 2022,
 * https://arxiv.org/abs/2103.13027. A learned mixer: a Mix Block predicts the mixing mask M from the momentum
 * encoder's stage features, x_mix = M ⊙ x_i + (1 − M) ⊙ x_j, trained jointly with the classifier (bi-level). It is
 * its own classifier type, `model.type: "AutoMixup"` (configs/<dataset>/<backbone>_automix.json); registered here
 * as `learned` so that `mix_mode: "automix"` explains that.
 */
import {learnedMixer} from './learned';

/** The `automix` registry entry (`learned: true`). */
export const automix = learnedMixer('automix');

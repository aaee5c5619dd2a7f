/**
 * `automix`: "AutoMix: Unveiling the Power of Mixup for Stronger Classifiers", Liu et al., ECCV 2022,
 * https://arxiv.org/abs/2103.13027. A learned mixer (MixBlock trained jointly with the classifier, its own
 * classifier type in OpenMixup); registered here as not implemented until the learned-mixers issue lands.
 */
import {learnedPlaceholder} from './learned';

/** The `automix` placeholder (`implemented: false`). */
export const automix = learnedPlaceholder('automix');

/**
 * `samix`: "Boosting Discriminative Visual Representation Learning with Scenario-Agnostic Mixup", Li et al.,
 * https://arxiv.org/abs/2111.15454. A learned mixer like AutoMix; registered here as not implemented until the
 * learned-mixers issue lands.
 */
import {learnedPlaceholder} from './learned';

/** The `samix` placeholder (`implemented: false`). */
export const samix = learnedPlaceholder('samix');

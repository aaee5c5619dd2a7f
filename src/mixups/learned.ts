/**
 * Placeholder for the learned mixers (AutoMix, SAMix): they train a MixBlock jointly with the classifier (OpenMixup's
 * `AutoMixup` classifier), which is the subject of its own issue. Registered with `implemented: false`; `mix` throws
 * a not-implemented error, never a silent fallback to another method.
 */
import {notImplemented} from '../errors';
import type {MixMethod} from './types';

/** A registered, not implemented learned mixer. */
export function learnedPlaceholder(name: string): MixMethod {
  const fail = () =>
    notImplemented(`mix method "${name}" is a learned mixer (a MixBlock trained with the classifier) and is not implemented yet; it has its own issue (AutoMix/SAMix learned mixers)`, {
      suggestions: ['Run `mixup methods` to see which methods are implemented.'],
    });
  return {
    name,
    implemented: false,
    parseArgs: () => {
      throw fail();
    },
    mix: () => {
      throw fail();
    },
  };
}

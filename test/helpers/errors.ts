/** Catching the `MixupError` a call must throw. */
import {MixupError} from '../../src/errors';

/** The `MixupError` `fn` throws; fails the test when it throws something else or nothing. */
export function thrown(fn: () => unknown): MixupError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MixupError);
    return error as MixupError;
  }
  throw new Error('expected a MixupError');
}

/** Runs `fn` and returns what it throws; fails the test if it returns normally. */
export function caught(fn: () => unknown): Error & {exitCode?: number} {
  try {
    fn();
  } catch (error) {
    return error as Error & {exitCode?: number};
  }
  throw new Error('expected an error, but none was thrown');
}

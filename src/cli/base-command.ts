/**
 * Base class of every `mixup` command: `--json` on by default, and `MixupError`s turned into oclif errors with the
 * exit code of `src/errors.ts` (messages printed as they are, suggestions below them).
 */
import {Command, Errors} from '@oclif/core';
import {isMixupError, MixupError} from '../errors';
import {describeFsError, errorCode} from '../io/fs-error';
import {displayPath} from '../io/paths';

/**
 * A file-system error no module turned into a `MixupError` (a safety net): an io error naming the path, in words
 * instead of Node's `EACCES: permission denied, open '...'` text.
 */
function fromFsError(err: Error & {path?: unknown; syscall?: unknown}): MixupError | undefined {
  const code = errorCode(err);
  if (code === undefined || typeof err.syscall !== 'string') return undefined;
  const where = typeof err.path === 'string' ? `${displayPath(err.path)}: ` : '';
  return new MixupError('io', `${where}cannot ${err.syscall}: ${describeFsError(err)}`, {cause: err});
}

export abstract class BaseCommand extends Command {
  static enableJsonFlag = true;

  protected async catch(raw: Error & {exitCode?: number}): Promise<unknown> {
    const err = fromFsError(raw) ?? raw;
    if (isMixupError(err)) {
      process.exitCode = err.exitCode;
      const cliError = new Errors.CLIError(err.message, {exit: err.exitCode, suggestions: err.suggestions.length > 0 ? err.suggestions : undefined});
      return super.catch(cliError as Error & {exitCode?: number});
    }
    return super.catch(err);
  }
}

/**
 * Base class of every `mixup` command: `--json` on by default, and `MixupError`s turned into oclif errors with the
 * exit code of `src/errors.ts` (messages printed as they are, suggestions below them).
 */
import {Command, Errors} from '@oclif/core';
import {isMixupError} from '../errors';

export abstract class BaseCommand extends Command {
  static enableJsonFlag = true;

  protected async catch(err: Error & {exitCode?: number}): Promise<unknown> {
    if (isMixupError(err)) {
      process.exitCode = err.exitCode;
      const cliError = new Errors.CLIError(err.message, {exit: err.exitCode, suggestions: err.suggestions.length > 0 ? err.suggestions : undefined});
      return super.catch(cliError as Error & {exitCode?: number});
    }
    return super.catch(err);
  }
}

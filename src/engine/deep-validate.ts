/**
 * `mixup validate --deep`: a config that passed the schema and the semantic rules is also dry-run (`dry-run.ts`),
 * so that what `train` would refuse when it builds the run (a missing list file, a weights file, an unreadable first
 * batch) is reported by `validate` too, in the same words.
 */
import type {FileValidation} from '../config/validate';
import {isMixupError} from '../errors';
import {dryRun} from './dry-run';

/** `result` with the dry run's problem added (valid: false) when building the run fails. */
export async function deepValidate(result: FileValidation, backend?: string): Promise<FileValidation> {
  try {
    await dryRun({configPath: result.source, backend, print: () => {}});
    return result;
  } catch (error) {
    if (!isMixupError(error)) throw error;
    const lines = error.message.split('\n').map((line) => (line.startsWith(`${result.file}:`) ? line : `${result.file}: ${line}`));
    return {...result, valid: false, errors: [...result.errors, ...lines]};
  }
}

/** `mixup validate CONFIG...`: merges each config's `_base_` chain and checks it against the schema. */
import {Args} from '@oclif/core';
import {BaseCommand} from '../cli/base-command';
import {elideLines, usageError} from '../errors';
import {validateFiles, type FileValidation} from '../config/validate';

/** `--json` output of `validate`. */
export interface ValidateResult {
  valid: boolean;
  files: FileValidation[];
}

/** `mixup validate` */
export default class Validate extends BaseCommand {
  static summary = 'Check configs against the schema (after merging _base_).';
  static description = `Loads each CONFIG with its _base_ chain merged and reports every problem, naming the file and the dotted field (e.g. "configs/x.json: model.alpha must be ..., got \\"abc\\""). Exits with status 2 if any config is invalid.`;

  static examples = [
    {command: '<%= config.bin %> validate configs/cub200/r18_mixups_CE_none.json', description: 'check one config'},
    {command: '<%= config.bin %> validate configs/generated/cub200 --json', description: 'check a generated tree, machine-readable'},
  ];

  static strict = false;
  static args = {config: Args.string({required: true, description: 'config file(s) (JSON, may use _base_); a directory means every .json file below it'})};

  async run(): Promise<ValidateResult> {
    const {argv} = await this.parse(Validate);
    const files = (argv as string[]).flatMap((arg) => {
      const found = validateFiles([arg]).map((f) => ({...f, errors: f.errors.map((e) => elideLines(e))}));
      if (found.length === 0) throw usageError(`${arg}: no .json config files in this directory or below it`);
      return found;
    });
    for (const result of files) {
      if (result.valid) this.log(`ok       ${result.file}`);
      else for (const line of result.errors) this.log(`invalid  ${line}`);
    }
    const bad = files.filter((f) => !f.valid).length;
    this.log(`\n${files.length - bad} valid, ${bad} invalid`);
    if (bad > 0) {
      if (this.jsonEnabled()) {
        process.exitCode = 2;
      } else {
        throw usageError(`${bad} of ${files.length} config(s) invalid`);
      }
    }
    return {valid: bad === 0, files};
  }
}

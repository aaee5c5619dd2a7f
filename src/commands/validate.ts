/** `mixup validate CONFIG...`: merges each config's `_base_` chain and checks it against the schema. */
import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command';
import {elideLines, usageError} from '../errors';
import {validateFiles, type FileValidation} from '../config/validate';
import {deepValidate} from '../engine/deep-validate';

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
    {command: '<%= config.bin %> validate CONFIG --deep', description: 'also build what train builds (data lists, one decoded batch, model, mixer, optimizer): `train --dry-run` for each file'},
  ];

  static strict = false;
  static flags = {
    deep: Flags.boolean({description: 'also do what `mixup train --dry-run` does for each valid config (read the list files, decode one batch per split, build model, mixer and optimizer), so that a config that passes would start training', default: false}),
    backend: Flags.string({description: 'tfjs backend for --deep (default: config backend, else env MIXUP_BACKEND, else auto)'}),
  };
  static args = {config: Args.string({required: true, description: 'config file(s) (JSON, may use _base_); a directory means every .json file below it'})};

  async run(): Promise<ValidateResult> {
    const {argv, flags} = await this.parse(Validate);
    const files: FileValidation[] = [];
    for (const arg of argv as string[]) {
      const found = validateFiles([arg]);
      if (found.length === 0) throw usageError(`${arg}: no .json config files in this directory or below it`);
      for (const f of found) {
        const checked = flags.deep && f.valid ? await deepValidate(f, flags.backend) : f;
        files.push({...checked, errors: checked.errors.map((e) => elideLines(e))});
      }
    }
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

/** `mixup import-config FILE.py|FILE.json|DIR`: OpenMixup configs -> validated mixup JSON configs (src/config/import/). */
import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command';
import {usageError} from '../errors';
import {planImport, runImport, type ImportOutcome} from '../config/import/convert';
import {MAX_IMPORT_GPUS} from '../config/import/gpus';
import {outcomeLines, summaryLine} from '../config/import/report';

/** `--json` output of `import-config`. */
export interface ImportConfigResult {
  imported: number;
  failed: number;
  files: ImportOutcome[];
}

/** `mixup import-config` */
export default class ImportConfig extends BaseCommand {
  static summary = "Convert OpenMixup Python configs to mixup's JSON configs.";
  static description = `Evaluates each config with Python 3 as mmcv's Config.fromfile does (the file is run as code; _base_ resolved with mmcv's merge rules: dicts merge, lists and scalars replace, _delete_=True replaces), maps OpenMixup's spellings to mixup's and writes a JSON config that \`mixup validate\` accepts. Every change is listed by dotted path; a field mixup has no place for is left out and listed as "unmapped" (--strict refuses the file instead). A config that still does not validate is listed and not written. The JSON OpenMixup's ConfigGenerator writes is read the same way. A directory converts every .py and .json file below it (outside _base_/), mirrored under --out. Existing files are never replaced without --force.`;

  static examples = [
    {command: '<%= config.bin %> import-config openmixup/configs/classification/cub200/mixups/basic/r18_mixups_CE_none.py --out configs/imported/cub200_r18.json', description: 'one config'},
    {command: '<%= config.bin %> import-config openmixup/configs/classification/cub200 --out configs/imported/cub200', description: 'a whole dataset tree'},
    {command: '<%= config.bin %> import-config openmixup/configs/classification/inaturalist2017/mixups --out configs/imported/inat2017 --gpus 4', description: 'the "4xb64" configs at their batch of 256 on one device (update_interval 4)'},
    {command: '<%= config.bin %> import-config work_dirs/generated/r18_mixups_CE_none_alpha1_0.json', description: "a JSON config OpenMixup's ConfigGenerator wrote (-> r18_mixups_CE_none_alpha1_0.mixup.json)"},
    {command: '<%= config.bin %> import-config x.py --strict --json', description: 'machine-readable; refuse a config with any unmapped field'},
  ];

  static flags = {
    out: Flags.string({char: 'o', description: 'output JSON file (or directory) for a file; the output directory (required) for a directory [default: beside the input, x.py -> x.json, x.json -> x.mixup.json]'}),
    force: Flags.boolean({char: 'f', description: 'overwrite existing JSON files'}),
    strict: Flags.boolean({description: 'do not write a config that has a field mixup cannot map'}),
    verbose: Flags.boolean({char: 'v', description: 'list every change (mapped spellings, defaults, helper variables, private names), not only the unmapped fields; on by default for a single file'}),
    gpus: Flags.integer({min: 1, max: MAX_IMPORT_GPUS, default: 1, description: "GPUs OpenMixup trained on (4 for the iNat/Places \"4xb64\" configs): optimizer_config.update_interval is multiplied by it, so that one process takes OpenMixup's step of N × imgs_per_gpu images"}),
    python: Flags.string({description: 'Python 3 interpreter that evaluates the configs [default: MIXUP_PYTHON, else python3]'}),
  };

  static args = {input: Args.string({required: true, description: 'an OpenMixup config (.py, or .json as its ConfigGenerator writes), or a directory of them (e.g. configs/classification/cub200)'})};

  async run(): Promise<ImportConfigResult> {
    const {args, flags} = await this.parse(ImportConfig);
    const targets = planImport(args.input, flags.out);
    const files = runImport(targets, {force: flags.force, strict: flags.strict, python: flags.python, gpus: flags.gpus});
    const verbose = flags.verbose || targets.length === 1;
    for (const outcome of files) for (const line of outcomeLines(outcome, verbose)) this.log(line);
    this.log(`\n${summaryLine(files)}`);
    const failed = files.filter((f) => !f.written).length;
    if (failed > 0) {
      if (this.jsonEnabled()) process.exitCode = 2;
      else throw usageError(`${failed} of ${files.length} config(s) not imported (see above)`);
    }
    return {imported: files.length - failed, failed, files};
  }
}

/** `mixup compare PATH --reference DATASET`: reproduced top-1 next to the published benchmark table. */
import {Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command';
import {logsArg, statFlags} from '../summary/cli-flags';
import {compare, compareGrid, CompareResult} from '../summary/compare';
import {renderGrid} from '../summary/grid';
import {PUBLISHED_DATASETS} from '../summary/published';

export default class Compare extends BaseCommand {
  static summary = 'Compare reproduced top-1 accuracies with the published OpenMixup benchmark table.';
  static description =
    'Summarises the logs under PATH (see "summarize"; default: median of the last 10 of 200 or 5 of 100 ' +
    'epochs, as published) and prints, per method and backbone of the reference dataset, the published ' +
    'top-1, the reproduced one and the difference (reproduced - published). "-" marks a missing number. ' +
    'Runs of other datasets are ignored.';

  static examples = [
    {command: '<%= config.bin %> compare work_dirs/generated/cub200 --reference cub200', description: 'table against CUB-200'},
    {command: '<%= config.bin %> compare work_dirs --reference inat2017 --format markdown', description: 'Markdown for a report'},
  ];

  static args = logsArg;

  static flags = {
    reference: Flags.string({description: 'published table to compare with', options: [...PUBLISHED_DATASETS], required: true}),
    metric: Flags.string({description: 'the reproduced val metric', default: 'head0_top1'}),
    ...statFlags,
  };

  async run(): Promise<CompareResult> {
    const {args, flags} = await this.parse(Compare);
    const result = compare(args.path, {
      reference: flags.reference,
      metric: flags.metric,
      stat: flags.stat as CompareResult['stat'],
      epochs: flags.epochs,
      last: flags.last,
      runs: flags.runs,
    });
    for (const warning of result.warnings) this.logToStderr(`warning: ${warning}`);
    this.log(flags.format === 'json' ? JSON.stringify(result, null, 2) : renderGrid(compareGrid(result), flags.format as 'table'));
    return result;
  }
}

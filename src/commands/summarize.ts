/** `mixup summarize PATH`: the reference tools' statistics of every work dir's logs, as a benchmark table. */
import {Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command';
import {logsArg, statFlags} from '../summary/cli-flags';
import {renderGrid} from '../summary/grid';
import {summarize, SummaryResult} from '../summary/summarize';
import {summaryGrid} from '../summary/summary-table';

export default class Summarize extends BaseCommand {
  static summary = 'Summarise training logs (mmcv .log.json) into a benchmark table.';
  static description =
    'PATH is one .log.json file or a directory tree of work dirs (every directory holding *.log.json ' +
    'files is one run configuration; the seed<S> dirs of gen-configs --seeds are pooled into one). A log ' +
    'that continues a killed run (resumed) is joined to it; other logs in one dir are repeated runs. ' +
    'Statistics per run are those of OpenMixup\'s tools/summary scripts: "median" of the val values with ' +
    'epoch >= E - N (E = the run\'s max_epochs, N = E/20: the last 10 of 200 or 5 of 100 epochs), "max" = ' +
    '(max + 99th percentile)/2, "last", "mean-last" (mean of the median\'s window); a cell is the mean ± ' +
    'population std over the latest --runs runs of each work dir, with the run count. With several runs a ' +
    'cell, a best value is marked only beyond the runs\' spread. Method, alpha, backbone and dataset come ' +
    'from the log\'s config or the generated work-dir names. Unparsable lines and unreadable logs are ' +
    'warnings; the exit code is non-zero (3) only when nothing could be summarised.';

  static examples = [
    {command: '<%= config.bin %> summarize work_dirs/generated/cub200', description: 'median of the last 10 of 200 epochs, one table'},
    {command: '<%= config.bin %> summarize work_dirs --metrics head0_top1-head0_top5 --stat max --format markdown', description: 'max statistic over 3 runs, Markdown'},
  ];

  static args = logsArg;

  static flags = {
    metrics: Flags.string({description: 'val metric keys separated by "-"', default: 'head0_top1'}),
    ...statFlags,
  };

  async run(): Promise<SummaryResult> {
    const {args, flags} = await this.parse(Summarize);
    const result = summarize(args.path, {
      metrics: flags.metrics.split('-').filter((m) => m !== ''),
      stat: flags.stat as SummaryResult['stat'],
      epochs: flags.epochs,
      last: flags.last,
      runs: flags.runs,
    });
    for (const warning of [...result.warnings, ...result.workDirs.flatMap((w) => w.problems)]) this.logToStderr(`warning: ${warning}`);
    if (flags.format === 'json') this.log(JSON.stringify(result, null, 2));
    else for (const metric of result.metrics) this.log(`${renderGrid(summaryGrid(result, metric), flags.format as 'table')}\n`);
    return result;
  }
}

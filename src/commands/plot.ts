/** `mixup plot PATH --metric M --out FILE`: metric curves of every run, one line each, as SVG or PNG. */
import {Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command';
import {logsArg} from '../summary/cli-flags';
import {checkOutput, writeFileAtomic} from '../io/write';
import {readCurves, renderPlot} from '../summary/plot';

/** What `mixup plot` returns under --json. */
export interface PlotResult {
  out: string;
  metric: string;
  curves: {name: string; log: string; source: 'val' | 'train'; points: number}[];
}

export default class Plot extends BaseCommand {
  static summary = 'Plot accuracy or loss curves of training logs (SVG or PNG).';
  static description =
    'One line per run under PATH (a resumed run\'s log pieces joined), named by method, alpha, backbone, ' +
    'dataset and seed dir, with a legend and axis labels. A val metric (head0_top1) is plotted per ' +
    'evaluated epoch; a train metric (loss, acc_mix) as its mean per epoch. The format follows the ' +
    'extension of --out; an existing file is kept unless --force.';

  static examples = [
    {command: '<%= config.bin %> plot work_dirs/generated/cub200 --out curves.png', description: 'top-1 curves as PNG'},
    {command: '<%= config.bin %> plot work_dirs/generated/cub200/r18 --metric loss --out loss.svg', description: 'training loss as SVG'},
  ];

  static args = logsArg;

  static flags = {
    metric: Flags.string({description: 'metric key (val, else train lines)', default: 'head0_top1'}),
    out: Flags.string({description: 'output file, .svg or .png', required: true}),
    width: Flags.integer({description: 'width in pixels (200-8192)', default: 900, min: 200, max: 8192}),
    height: Flags.integer({description: 'height in pixels (200-8192)', default: 560, min: 200, max: 8192}),
    title: Flags.string({description: 'chart title (default: the metric)'}),
    force: Flags.boolean({description: 'overwrite --out if it exists', default: false}),
  };

  async run(): Promise<PlotResult> {
    const {args, flags} = await this.parse(Plot);
    checkOutput(flags.out, flags.force);
    const curves = readCurves(args.path, flags.metric);
    for (const warning of curves.warnings) this.logToStderr(`warning: ${warning}`);
    const image = await renderPlot(curves, flags.out, {width: flags.width, height: flags.height, title: flags.title});
    writeFileAtomic(flags.out, image, {overwrite: flags.force});
    this.log(`wrote ${flags.out}: ${curves.curves.length} curve(s) of ${flags.metric}`);
    return {
      out: flags.out,
      metric: flags.metric,
      curves: curves.curves.map((c) => ({name: c.name, log: c.log, source: c.source, points: c.points.length})),
    };
  }
}

/**
 * What `mixup demo` leaves after training: the summary table of its runs (`mixup summarize --stat last`: the last
 * val top-1 of each run, seeds pooled to mean ± population std (n); a best cell marked only beyond the spread,
 * else "differences within seed noise", `src/summary/noise.ts`) and the val top-1 curves of every run
 * (`mixup plot`), written next to each other as `<out>/summary.txt` and `<out>/curves.png`.
 *
 * Both files are derived from the runs under `<out>/runs` and rewritten from them on every demo (as `mixup
 * summarize` and `mixup plot --force` would); the runs themselves are never replaced without `--force`.
 */
import * as path from 'node:path';
import {writeFileAtomic} from '../io/write';
import {renderGrid} from '../summary/grid';
import {readCurves, renderPlot} from '../summary/plot';
import {summarize, type SummaryResult} from '../summary/summarize';
import {summaryGrid} from '../summary/summary-table';

/** The metric the demo reports. */
export const DEMO_METRIC = 'head0_top1';

/** The table, the curves and where they were written. */
export interface DemoReport {
  summary: SummaryResult;
  /** the terminal table with its title and notes */
  table: string;
  /** `<out>/summary.txt` */
  tableFile: string;
  /** `<out>/curves.png` */
  plotFile: string;
  /** curves drawn (one per run) */
  curves: number;
  /** true when the table marks no best because the differences are within seed noise */
  withinNoise: boolean;
  warnings: string[];
}

/** The demo's table of the runs under `runsDir` (see the module comment). */
export function demoTable(runsDir: string): {summary: SummaryResult; table: string; withinNoise: boolean} {
  const summary = summarize(runsDir, {metrics: [DEMO_METRIC], stat: 'last'});
  const grid = summaryGrid(summary, DEMO_METRIC);
  const withinNoise = (grid.notes ?? []).some((n) => n.startsWith('differences within seed noise'));
  return {summary, table: renderGrid(grid, 'table'), withinNoise};
}

/** Writes `<out>/summary.txt` and `<out>/curves.png` from the runs under `runsDir`. */
export async function writeDemoReport(runsDir: string, out: string): Promise<DemoReport> {
  const {summary, table, withinNoise} = demoTable(runsDir);
  const tableFile = path.join(out, 'summary.txt');
  writeFileAtomic(tableFile, `${table}\n`, {overwrite: true});
  const curves = readCurves(runsDir, DEMO_METRIC);
  const plotFile = path.join(out, 'curves.png');
  const runs = curves.curves.length;
  const png = await renderPlot(curves, plotFile, {width: 1000, height: 600, title: `val top-1 (%) of the ${runs} demo run(s), per epoch`});
  writeFileAtomic(plotFile, png, {overwrite: true});
  return {summary, table, tableFile, plotFile, curves: runs, withinNoise, warnings: [...summary.warnings, ...curves.warnings]};
}

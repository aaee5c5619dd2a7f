/**
 * `mixup plot`: metric curves, one line per run (a resumed run's log pieces joined, `runs.ts`), legend = method, α,
 * backbone and dataset, plus the seed dir and `run k` when there are several. Drawn with Apache
 * ECharts' server-side SVG renderer (no canvas, no browser), converted to PNG by sharp (librsvg; text needs a system
 * font such as Debian's fonts-dejavu-core).
 */
import * as path from 'node:path';
import * as echarts from 'echarts';
import sharp from 'sharp';
import {mixesNothing} from '../config/methods';
import {dataError, usageError} from '../errors';
import {collectWorkDirs, groupSeeds} from './collect';
import {ParsedLog, readLog, valMetricNames} from './log';
import {joinRuns} from './runs';
import {backboneLabel, datasetLabel, inferRunInfo, methodLabel, RunInfo} from './runinfo';
import {mean, Point} from './stats';
import {automixSeries, series} from './summarize';

/** One curve. */
export interface Curve {
  name: string;
  /** the newest log piece of the run */
  log: string;
  /** all its log pieces, oldest first */
  logs: string[];
  /** `val` lines, or `train` lines averaged per epoch (e.g. `loss`) */
  source: 'val' | 'train';
  points: Point[];
}

/** The curves of one metric under a PATH, and the warnings met while reading them. */
export interface CurvesResult {
  metric: string;
  curves: Curve[];
  warnings: string[];
}

/** Reads the curves of `metric` from every log under `target` (val values, else per-epoch means of train values). */
export function readCurves(target: string, metric: string): CurvesResult {
  const collected = collectWorkDirs(target);
  const result: CurvesResult = {metric, curves: [], warnings: [...collected.warnings]};
  const missing: string[] = [];
  for (const config of groupSeeds(collected.workDirs)) {
    for (const member of config.members) {
      const pieces = member.logs.flatMap((file) => {
        try {
          return [readLog(file, {train: true})];
        } catch (error) {
          result.warnings.push(`${(error as Error).message}; skipped`);
          return [];
        }
      });
      pieces.forEach((p) => result.warnings.push(...p.warnings));
      const runs = joinRuns(pieces, result.warnings);
      const info = inferRunInfo(config.dir, [...pieces].reverse().find((p) => p.meta)?.meta);
      const seed = member.workDir === config.dir ? '' : ` ${path.basename(member.workDir)}`;
      runs.forEach((run, i) => {
        const curve = curveOf(run.log, metric, result.warnings);
        if (curve === undefined) {
          missing.push(`${run.log.file}: no val or train line has "${metric}"; its val metrics are: ${valMetricNames(run.log).join(', ') || '(none)'}`);
          return;
        }
        const name = runName(info) + seed + (runs.length > 1 ? ` run ${i + 1}` : '') + (curve.learned ? ' (best of q/k heads)' : '');
        result.curves.push({name, log: run.log.file, logs: run.logs, source: curve.source, points: curve.points});
      });
    }
  }
  if (result.curves.length === 0) throw dataError(`${target}: nothing to plot:\n  ${missing.join('\n  ')}`);
  result.warnings.push(...missing);
  return result;
}

/**
 * The points of `metric` in one log. An AutoMix log has no `head0_topK`: its curve is, per epoch, the best of
 * `acc_{one,mix}_{q,k}_topK` (`learned`), the per-epoch counterpart of `mixup summarize`'s max of the k and q medians.
 */
function curveOf(log: ParsedLog, metric: string, warnings: string[]): (Pick<Curve, 'source' | 'points'> & {learned?: boolean}) | undefined {
  const val = series(log, metric, warnings);
  if (val.length > 0) return {source: 'val', points: val};
  const automix = automixSeries(log, metric);
  if (automix) return {source: 'val', learned: true, points: automix.map((p) => ({epoch: p.epoch, value: Math.max(p.oneQ, p.mixQ, p.oneK, p.mixK)}))};
  const byEpoch = new Map<number, number[]>();
  for (const p of series(log, metric, warnings, 'train')) byEpoch.set(p.epoch, [...(byEpoch.get(p.epoch) ?? []), p.value]);
  if (byEpoch.size === 0) return undefined;
  return {source: 'train', points: [...byEpoch].map(([epoch, values]) => ({epoch, value: mean(values)}))};
}

/** A legend name: `MixUp α=0.2 ResNet-18 CUB-200`, or the work dir's name when the method is unknown. */
export function runName(info: RunInfo): string {
  if (info.method === undefined) return path.basename(info.workDir);
  const parts = [methodLabel(info.method)];
  if (info.alpha !== undefined && !mixesNothing(info.method)) parts.push(`α=${info.alpha}`);
  if (info.backbone !== undefined) parts.push(backboneLabel(info.backbone));
  if (info.dataset !== undefined) parts.push(datasetLabel(info.dataset));
  return parts.join(' ');
}

/** Size in pixels and title of the chart. */
export interface PlotOptions {
  width: number;
  height: number;
  title?: string;
}

/** The chart as an SVG document. */
export function renderSvg(curves: CurvesResult, options: PlotOptions): string {
  // ECharts cannot measure text without a canvas: size the legend column from the names (~7 px a character).
  const legendWidth = Math.min(options.width / 2, 40 + 7 * Math.max(0, ...curves.curves.map((c) => c.name.length)));
  const chart = echarts.init(null, null, {renderer: 'svg', ssr: true, width: options.width, height: options.height});
  const source = curves.curves.every((c) => c.source === 'train') ? 'train, mean per epoch' : 'val';
  chart.setOption({
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: {fontFamily: 'DejaVu Sans, Arial, sans-serif'},
    title: {text: options.title ?? `${curves.metric} (${source})`, left: 'center', top: 8},
    legend: {orient: 'vertical', left: options.width - legendWidth - 10, top: 'middle', itemWidth: 24, itemGap: 8},
    grid: {left: 70, right: legendWidth + 30, top: 50, bottom: 50},
    xAxis: {type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 28, min: 'dataMin', max: 'dataMax'},
    yAxis: {type: 'value', name: curves.metric, nameLocation: 'middle', nameGap: 50, scale: true},
    series: curves.curves.map((c) => ({type: 'line', name: c.name, showSymbol: c.points.length <= 30, data: c.points.map((p) => [p.epoch, p.value])})),
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

/**
 * The image format an output path asks for by its extension.
 * @throws MixupError (usage) naming `flag` and the path when it ends in neither .svg nor .png
 */
export function chartFormat(out: string, flag = '--out'): 'svg' | 'png' {
  const ext = path.extname(out).toLowerCase();
  if (ext !== '.svg' && ext !== '.png') throw usageError(`${flag} must end in .svg or .png, got "${out}"`);
  return ext === '.svg' ? 'svg' : 'png';
}

/** An ECharts SVG document as the file's bytes: the SVG itself, or a PNG drawn from it by sharp (librsvg). */
export async function chartBytes(svg: string, format: 'svg' | 'png'): Promise<Buffer> {
  return format === 'svg' ? Buffer.from(svg, 'utf8') : sharp(Buffer.from(svg, 'utf8')).png().toBuffer();
}

/** Renders the chart as SVG or PNG, chosen by the extension of `out`. */
export async function renderPlot(curves: CurvesResult, out: string, options: PlotOptions): Promise<Buffer> {
  const format = chartFormat(out);
  return chartBytes(renderSvg(curves, options), format);
}

/**
 * The confusion matrix of `mixup test` as a heat map (ECharts' server-side SVG renderer, PNG by sharp, as
 * `mixup plot` draws its curves): row = true class (top to bottom), column = predicted class, colour = share of
 * the true class's images (row-normalised, so rare classes show as clearly as common ones), the image count
 * written in each cell up to 20 classes and the class names on the axes up to 60.
 */
import * as echarts from 'echarts';
import {usageError} from '../errors';
import {DENSE_CONFUSION_LIMIT, type PerClassReport} from './per-class';
import {chartBytes, chartFormat} from './plot';

/** Classes up to which each cell shows its image count. */
const CELL_LABEL_LIMIT = 20;
/** Classes up to which the axes show every class name. */
const AXIS_NAME_LIMIT = 60;

/** The heat map as an SVG document. */
export function confusionSvg(report: PerClassReport, title: string): string {
  const rows = report.confusion;
  if (!rows) throw usageError(`a confusion heat map needs at most ${DENSE_CONFUSION_LIMIT} classes, this head has ${report.numClasses}`);
  const n = report.numClasses;
  const names = report.classes.map((c) => (n <= AXIS_NAME_LIMIT ? c.name : String(c.label)));
  const longest = Math.max(...names.map((s) => s.length));
  const margin = Math.min(220, 30 + 7 * longest); // ECharts cannot measure text without a canvas: ~7 px a character
  const side = Math.min(1600, Math.max(320, n * 22));
  const width = margin + side + 110;
  const height = margin + side + 70;
  const data: Array<[number, number, number, number]> = [];
  rows.forEach((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((count, p) => {
      if (count > 0) data.push([p, t, total === 0 ? 0 : (count * 100) / total, count]);
    });
  });
  const axis = (name: string) => ({
    type: 'category',
    data: names,
    name,
    nameLocation: 'middle',
    nameGap: margin - 20,
    axisLabel: {interval: n <= AXIS_NAME_LIMIT ? 0 : Math.ceil(n / 20) - 1, fontSize: 11},
    splitArea: {show: false},
  });
  const chart = echarts.init(null, null, {renderer: 'svg', ssr: true, width, height});
  chart.setOption({
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: {fontFamily: 'DejaVu Sans, Arial, sans-serif'},
    title: {text: title, left: 'center', top: 8, textStyle: {fontSize: 14}},
    grid: {left: margin, top: 50, width: side, height: side},
    xAxis: {...axis('predicted class'), position: 'bottom', axisLabel: {...axis('').axisLabel, rotate: n <= AXIS_NAME_LIMIT ? 60 : 0}},
    yAxis: {...axis('true class'), inverse: true},
    visualMap: {min: 0, max: 100, dimension: 2, calculable: false, orient: 'vertical', right: 10, top: 'middle', text: ['100%', '0%'], inRange: {color: ['#f7fbff', '#6baed6', '#08306b']}},
    series: [{type: 'heatmap', data, label: {show: n <= CELL_LABEL_LIMIT, formatter: (p: {data: number[]}) => String(p.data[3]), fontSize: 10}}],
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

/** The heat map as the bytes of `out` (SVG or PNG by its extension; `flag` names the option in errors). */
export async function renderConfusion(report: PerClassReport, out: string, title: string, flag: string): Promise<Buffer> {
  const format = chartFormat(out, flag);
  return chartBytes(confusionSvg(report, title), format);
}

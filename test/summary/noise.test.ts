import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {compare, compareGrid} from '../../src/summary/compare';
import {renderLatex, renderMarkdown, renderTable} from '../../src/summary/grid';
import {bestBeyondSpread, noiseNote} from '../../src/summary/noise';
import {summarize} from '../../src/summary/summarize';
import {summaryGrid} from '../../src/summary/summary-table';
import {config, writeSimpleLog} from './simple-log';

describe('bestBeyondSpread (the "within seed noise" rule)', () => {
  test('single runs only: the highest value as printed, ties all marked (the reference page)', () => {
    expect(bestBeyondSpread([{mean: 78.4, std: 0, n: 1}, undefined, {mean: 79.1, std: 0, n: 1}])).toEqual({best: [2], withinNoise: false});
    // 78.125 and 78.12 both print 78.12
    expect(bestBeyondSpread([{mean: 78.125, std: 0, n: 1}, {mean: 78.12, std: 0, n: 1}])).toEqual({best: [0, 1], withinNoise: false});
    expect(bestBeyondSpread([undefined])).toEqual({best: [], withinNoise: false});
  });

  test('several runs: best only when mean - std is above every other mean + std', () => {
    // 80 - 1 = 79 > 77 + 1.5 = 78.5: marked
    expect(bestBeyondSpread([{mean: 77, std: 1.5, n: 2}, {mean: 80, std: 1, n: 2}])).toEqual({best: [1], withinNoise: false});
    // 80 - 1 = 79 < 78 + 1.5 = 79.5: the difference 2 is within the spread 2.5
    expect(bestBeyondSpread([{mean: 78, std: 1.5, n: 2}, {mean: 80, std: 1, n: 2}])).toEqual({best: [], withinNoise: true});
    // bands touching exactly (79 = 79) are not "above"
    expect(bestBeyondSpread([{mean: 78, std: 1, n: 3}, {mean: 80, std: 1, n: 3}])).toEqual({best: [], withinNoise: true});
  });

  test('every other cell counts, not only the runner-up: a wide third cell can overlap', () => {
    const cells = [{mean: 80, std: 0.1, n: 3}, {mean: 79, std: 0.1, n: 3}, {mean: 78.5, std: 3, n: 3}];
    expect(bestBeyondSpread(cells)).toEqual({best: [], withinNoise: true});
    expect(bestBeyondSpread(cells.slice(0, 2))).toEqual({best: [0], withinNoise: false});
  });

  test('a single-run cell next to pooled ones has no spread of its own (its band is its value)', () => {
    expect(bestBeyondSpread([{mean: 82, std: 0, n: 1}, {mean: 78.23, std: 0.76, n: 3}])).toEqual({best: [0], withinNoise: false});
    expect(bestBeyondSpread([{mean: 82, std: 0, n: 1}, {mean: 81.5, std: 0.76, n: 3}])).toEqual({best: [], withinNoise: true});
  });

  test('issue 17\'s demo: MixUp 57.46 vs Vanilla 32.21 with seed spreads of ~13 points is noise', () => {
    // vanilla 56.5 / 30.5, mixup 38.8 / 56.3 (two seeds each, PyTorch): means 43.5 and 47.55, population std 13 and 8.75
    expect(bestBeyondSpread([{mean: 43.5, std: 13, n: 2}, {mean: 47.55, std: 8.75, n: 2}])).toEqual({best: [], withinNoise: true});
  });

  test('noiseNote', () => {
    expect(noiseNote([], 2)).toBeUndefined();
    expect(noiseNote(['CUB-200 ResNet-18'], 1)).toBe('differences within seed noise');
    expect(noiseNote(['CUB-200 ResNet-18'], 2)).toBe('differences within seed noise in: CUB-200 ResNet-18');
  });
});

describe('the rule in the summary and compare tables', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-noise-'));
    // CUB-200 R-18, 2 seeds each (last val value): vanilla 70 / 74 (72 ± 2), mixup 73 / 75 (74 ± 1): within noise;
    // vanilla 70 / 71 (70.5 ± 0.5), mixup 75 / 76 (75.5 ± 0.5): mixup best
    const runs: Array<[string, string, number, number[]]> = [
      ['vanilla', 'r18', 18, [70, 74]],
      ['mixup', 'r18', 18, [73, 75]],
      ['vanilla', 'r50', 50, [70, 71]],
      ['mixup', 'r50', 50, [75, 76]],
    ];
    for (const [method, backbone, depth, values] of runs) {
      values.forEach((v, s) => {
        const dir = path.join(root, 'cub200', backbone, `mix_mode${method}`, `${backbone}_mixups_CE_none_ep4`, `seed${s}`);
        writeSimpleLog(dir, '20250101_000000', {meta: {seed: s, config: config(4, {mix_mode: method, backbone: {type: 'ResNet', depth}})}, top1: [[4, v]]});
      });
    }
  });
  afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

  test('summary: no mark in the noisy column, a note names it; the clear column is marked', () => {
    const grid = summaryGrid(summarize(root, {metrics: ['head0_top1'], stat: 'last'}), 'head0_top1');
    expect(grid.rows.map((row) => row.map((c) => `${c.text}${c.best ? ' *' : ''}`))).toEqual([
      ['Vanilla', '-', '72.00 ± 2.00 (n=2)', '70.50 ± 0.50 (n=2)'],
      ['MixUp', '1', '74.00 ± 1.00 (n=2)', '75.50 ± 0.50 (n=2) *'],
    ]);
    const out = renderTable(grid);
    expect(out).toContain('(* best of its column)');
    expect(out.endsWith('differences within seed noise in: CUB-200 ResNet-18')).toBe(true);
    expect(renderMarkdown(grid).split('\n').slice(-3)).toEqual(['', expect.stringMatching(/^mean ± population std over n runs; a best value/), 'differences within seed noise in: CUB-200 ResNet-18']);
    expect(renderLatex(grid)).toContain('\\par{\\footnotesize differences within seed noise in: CUB-200 ResNet-18}');
    expect(renderLatex(grid)).toContain('\\textbf{75.50 $\\pm$ 0.50 (n=2)}');
  });

  test('compare: the best reproduced value of a backbone follows the same rule', () => {
    const result = compare(root, {reference: 'cub200', stat: 'last'});
    const grid = compareGrid(result);
    const marked = grid.rows.flatMap((row) => row.filter((c) => c.best).map((c) => `${row[0].text} ${c.text}`));
    expect(marked).toEqual(['MixUp 75.50 ± 0.50 (n=2)']);
    expect(grid.notes).toContain('differences within seed noise in: reproduced ResNet-18');
    // R-50 is not on the published CUB-200 page: it gets columns of its own
    expect(result.backbones).toEqual(['r18', 'rx50', 'r50']);
  });
});

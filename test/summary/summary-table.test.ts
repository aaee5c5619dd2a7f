import * as path from 'node:path';
import {summarize} from '../../src/summary/summarize';
import {summaryGrid} from '../../src/summary/summary-table';
import {renderMarkdown} from '../../src/summary/grid';

const LOGS = path.join(__dirname, '..', 'fixtures', 'logs');

describe('summaryGrid (reference page layout)', () => {
  const result = summarize(LOGS, {metrics: ['head0_top1'], stat: 'median'});
  const grid = summaryGrid(result, 'head0_top1');

  test('rows in reference method order with alpha, columns by dataset then backbone', () => {
    expect(grid.header.map((row) => row.map((c) => c.text))).toEqual([
      ['Datasets', 'Beta', 'CUB-200', 'CUB-200', 'Aircraft'],
      ['Backbones', 'alpha', 'ResNet-18', 'ResNeXt-50', 'ResNet-18'],
    ]);
    // the 3 CutMix runs pool to mean ± population std of 77.25, 79.1, 78.35; then every cell shows its run count
    expect(grid.rows.map((row) => row.map((c) => c.text))).toEqual([
      ['MixUp', '0.2', '-', '-', '79.85 (n=1)'],
      ['MixUp', '1', '-', '85.00 (n=1)', '-'],
      ['CutMix', '1', '78.23 ± 0.76 (n=3)', '-', '-'],
      ['AutoMix', '2', '82.00 (n=1)', '-', '-'],
    ]);
  });

  test('the best value of each column is marked (AutoMix 82.00 is above CutMix 78.23 + 0.76)', () => {
    const best = grid.rows.flatMap((row, i) => row.map((c, j) => (c.best ? `${i},${j}` : '')).filter((s) => s !== ''));
    expect(best).toEqual(['0,4', '1,3', '3,2']);
  });

  test('markdown snapshot', () => {
    expect(renderMarkdown(grid)).toMatchSnapshot();
  });

  test('max cells print mean ± population std (n) over runs', () => {
    const max = summaryGrid(summarize(LOGS, {metrics: ['head0_top1'], stat: 'max'}), 'head0_top1');
    expect(max.rows[2][2].text).toBe('78.43 ± 0.70 (n=3)');
    expect(max.title).toMatch(/^head0_top1: mean ± population std over runs \(the latest 3 of each work dir, seed dirs pooled\)/);
  });

  test('single runs only: plain numbers, no notes, the reference page\'s marks', () => {
    const one = summaryGrid(summarize(LOGS, {metrics: ['head0_top1'], stat: 'median', runs: 1}), 'head0_top1');
    expect(one.rows.map((row) => row[2].text)).toEqual(['-', '-', '77.25', '82.00']);
    expect(one.notes).toEqual([]);
    expect(one.title).toBe('head0_top1: median of the last val epochs (CUB-200: epoch >= 190 of 200, AutoMix/SAMix: epoch >= 189 of 200; Aircraft: epoch >= 190 of 200)');
  });
});

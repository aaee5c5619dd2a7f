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
    expect(grid.rows.map((row) => row.map((c) => c.text))).toEqual([
      ['MixUp', '0.2', '-', '-', '79.85'],
      ['MixUp', '1', '-', '85.00', '-'],
      ['CutMix', '1', '77.25', '-', '-'],
      ['AutoMix', '2', '82.00', '-', '-'],
    ]);
  });

  test('the best value of each column is marked', () => {
    const best = grid.rows.flatMap((row, i) => row.map((c, j) => (c.best ? `${i},${j}` : '')).filter((s) => s !== ''));
    expect(best).toEqual(['0,4', '1,3', '3,2']);
  });

  test('markdown snapshot', () => {
    expect(renderMarkdown(grid)).toMatchSnapshot();
  });

  test('max cells print mean (std) over runs', () => {
    const max = summaryGrid(summarize(LOGS, {metrics: ['head0_top1'], stat: 'max'}), 'head0_top1');
    expect(max.rows[2][2].text).toBe('78.43 (0.70)');
    expect(max.title).toMatch(/^head0_top1: mean \(population std\)/);
  });
});

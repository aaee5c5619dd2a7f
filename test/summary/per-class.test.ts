/** Per-class report from counts: accuracies, most-confused class, matrix, worst classes, CSV, head choice. */
import {parse} from 'csv-parse/sync';
import {DENSE_CONFUSION_LIMIT, formatWorst, perClassCsv, perClassReport, pickHead, worstClasses, type ClassCountsData} from '../../src/summary/per-class';

// 4 classes; class 3 has no val images. Predictions: class 0: 4 of 5 right (1 -> 2); class 1: 1 of 4 (2 -> 0, 1 -> 2);
// class 2: 2 of 2
const COUNTS: ClassCountsData = {
  numClasses: 4,
  images: [5, 4, 2, 0],
  topk: {'1': [4, 1, 2, 0], '5': [5, 4, 2, 0]},
  confusion: [
    [0, 0, 4],
    [0, 2, 1],
    [1, 0, 2],
    [1, 1, 1],
    [1, 2, 1],
    [2, 2, 2],
  ],
};
const NAMES = ['cat, wild', 'dog "big"', 'eel'];

describe('perClassReport', () => {
  const report = perClassReport('head0', COUNTS, NAMES);

  it('gives each class its accuracy, hits and most-confused class; names fall back to the label', () => {
    expect(report.classes.map((c) => [c.label, c.name, c.images, c.top1_hits, c.accuracy.top1, c.accuracy.top5])).toEqual([
      [0, 'cat, wild', 5, 4, 80, 100],
      [1, 'dog "big"', 4, 1, 25, 100],
      [2, 'eel', 2, 2, 100, 100],
      [3, '3', 0, 0, null, null],
    ]);
    expect(report.classes.map((c) => c.most_confused_with)).toEqual([{label: 2, name: 'eel', images: 1}, {label: 0, name: 'cat, wild', images: 2}, null, null]);
    expect(report.mean_class_top1).toBeCloseTo((80 + 25 + 100) / 3, 10);
  });

  it('has the dense matrix: rows sum to the class counts, the diagonal to the top-1 hits', () => {
    expect(report.confusion).toEqual([
      [4, 0, 1, 0],
      [2, 1, 1, 0],
      [0, 0, 2, 0],
      [0, 0, 0, 0],
    ]);
    expect(report.confusion!.map((row) => row.reduce((a, b) => a + b, 0))).toEqual(COUNTS.images);
    expect(report.confusion!.map((row, i) => row[i])).toEqual(COUNTS.topk['1']);
  });

  it('above the dense limit keeps only the non-zero cells', () => {
    const n = DENSE_CONFUSION_LIMIT + 1;
    const big = perClassReport('head0', {numClasses: n, images: Array.from({length: n}, (_, i) => (i === 7 ? 1 : 0)), topk: {'1': new Array(n).fill(0)}, confusion: [[7, 9, 1]]});
    expect(big.confusion).toBeUndefined();
    expect(big.confusion_nonzero).toEqual([[7, 9, 1]]);
    expect(worstClasses(big, 3).map((c) => c.label)).toEqual([7]);
  });
});

describe('worstClasses / formatWorst', () => {
  it('lists classes with images, lowest top-1 first, and says what each is taken for', () => {
    const report = perClassReport('head0', COUNTS, NAMES);
    const worst = worstClasses(report, 2);
    expect(worst.map((c) => c.label)).toEqual([1, 0]);
    expect(formatWorst(worst)).toEqual([
      '  1 dog "big"   25.00% of 4 images, most often taken for 0 cat, wild (2)',
      '  0 cat, wild   80.00% of 5 images, most often taken for 2 eel (1)',
    ]);
    expect(formatWorst(worstClasses(perClassReport('head0', COUNTS), 1))).toEqual(['  1   25.00% of 4 images, most often taken for 0 (2)']);
  });
});

describe('perClassCsv', () => {
  it('writes one RFC 4180 row a class that a CSV reader gives back', () => {
    const rows = parse(perClassCsv(perClassReport('head0', COUNTS, NAMES))) as string[][];
    expect(rows[0]).toEqual(['label', 'name', 'images', 'top1', 'top5', 'top1_hits', 'most_confused_with', 'most_confused_name', 'most_confused_images']);
    expect(rows.slice(1)).toEqual([
      ['0', 'cat, wild', '5', '80.0000', '100.0000', '4', '2', 'eel', '1'],
      ['1', 'dog "big"', '4', '25.0000', '100.0000', '1', '0', 'cat, wild', '2'],
      ['2', 'eel', '2', '100.0000', '100.0000', '2', '', '', '0'],
      ['3', '3', '0', '', '', '0', '', '', '0'],
    ]);
  });
});

describe('pickHead', () => {
  it('takes the first head by default and names the heads there are otherwise', () => {
    const reports = [perClassReport('acc_mix_k', COUNTS), perClassReport('acc_one_k', COUNTS)];
    expect(pickHead(reports, undefined).head).toBe('acc_mix_k');
    expect(pickHead(reports, 'acc_one_k').head).toBe('acc_one_k');
    expect(() => pickHead(reports, 'head0')).toThrow('--head: no head "head0"; this model\'s heads are acc_mix_k, acc_one_k');
  });
});

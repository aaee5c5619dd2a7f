import {automixMedian, defaultLastEpochs, lastWindow, maxScore, mean, median, percentile, populationStd} from '../../src/summary/stats';

describe('numpy-equivalent statistics', () => {
  test('median of odd and even counts, unsorted input', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  test('percentile uses linear interpolation at (n-1)q/100', () => {
    // sorted [1, 2, 3, 4, 10]: h = 4 * 0.99 = 3.96 -> 4 + 0.96 * (10 - 4)
    expect(percentile([10, 1, 3, 2, 4], 99)).toBeCloseTo(9.76, 12);
    expect(percentile([5, 7], 50)).toBe(6);
    expect(percentile([5], 99)).toBe(5);
  });

  test('max score is (max + p99) / 2', () => {
    expect(maxScore([10, 1, 3, 2, 4])).toBeCloseTo((10 + 9.76) / 2, 12);
    expect(maxScore([])).toBeNaN();
  });

  test('mean and population std (ddof 0)', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(populationStd([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(populationStd([7])).toBe(0);
  });

  test('default N is 10 of 200 and 5 of 100 epochs', () => {
    expect(defaultLastEpochs(200)).toBe(10);
    expect(defaultLastEpochs(100)).toBe(5);
    expect(defaultLastEpochs(3)).toBe(1);
  });

  test('the window keeps epoch >= E - N (N + 1 epochs, as the reference tool)', () => {
    const points = [188, 189, 190, 200].map((epoch) => ({epoch, value: epoch}));
    expect(lastWindow(points, 200, 10).map((p) => p.epoch)).toEqual([190, 200]);
  });

  test('automixMedian drops the last record when that raises the best median', () => {
    const oneQ = [81.0, 81.2, 81.4, 81.6, 81.8, 82.0, 82.2, 82.4, 82.6, 82.8, 83.0, 70.0];
    const oneK = oneQ.map((v) => v - 1);
    const mixQ = oneQ.map(() => 75);
    // first 11: medians one_q 82.0, one_k 81.0 > all 12: 81.9, 80.9
    expect(automixMedian({oneQ, oneK, mixQ, mixK: mixQ})).toEqual({k: 81, q: 82, used: 11});
    // no drop when the last record is high: all 3 medians of [1, 2, 3] -> 2 vs first 2 -> 1.5
    expect(automixMedian({oneQ: [1, 2, 3], oneK: [1, 2, 3], mixQ: [0, 0, 0], mixK: [0, 0, 0]})).toEqual({k: 2, q: 2, used: 3});
  });
});

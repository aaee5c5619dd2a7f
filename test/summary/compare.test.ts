import * as path from 'node:path';
import {compare, compareGrid} from '../../src/summary/compare';
import {renderCsv} from '../../src/summary/grid';

const LOGS = path.join(__dirname, '..', 'fixtures', 'logs');

describe('compare with the published CUB-200 table', () => {
  const result = compare(LOGS, {reference: 'cub200', stat: 'median'});
  const row = (method: string, alpha: string) => {
    const found = result.rows.find((r) => r.method === method && r.alpha === alpha);
    if (found === undefined) throw new Error(`no row ${method} ${alpha}`);
    return found;
  };

  test('published rows in the page order, then reproduced rows with another alpha', () => {
    expect(result.backbones).toEqual(['r18', 'rx50']);
    expect(result.rows.map((r) => `${r.label} ${r.alpha}`)).toEqual([
      'Vanilla -', 'MixUp 0.2', 'CutMix 1', 'ManifoldMix 0.5', 'SaliencyMix 0.2', 'FMix* 0.2', 'PuzzleMix 1', 'ResizeMix* 1', 'AutoMix 2', 'SAMix* 2', 'MixUp 1',
    ]);
  });

  test('deltas are reproduced (the mean over runs) - published; missing numbers are null', () => {
    const cutmix = row('cutmix', '1').cells[0];
    // the 3 CutMix runs' medians: 77.25, 79.1, 78.35
    const m = (77.25 + 79.1 + 78.35) / 3;
    expect(cutmix).toMatchObject({backbone: 'r18', published: 78.4, reproduced: expect.closeTo(m, 10), n: 3});
    expect(cutmix.delta).toBeCloseTo(m - 78.4, 10);
    expect(row('automix', '2').cells[0].delta).toBeCloseTo(82 - 79.87, 10);
    expect(row('cutmix', '1').cells[1]).toEqual({backbone: 'rx50', published: 85.68, reproduced: null, delta: null});
    expect(row('mixup', '1').cells[1]).toMatchObject({published: null, reproduced: 85, delta: null});
  });

  test('grid: three columns per backbone, signed deltas, - where missing', () => {
    const lines = renderCsv(compareGrid(result)).split('\n');
    expect(lines[0]).toBe('Backbones,Beta,ResNet-18,ResNet-18,ResNet-18,ResNeXt-50,ResNeXt-50,ResNeXt-50');
    expect(lines[1]).toBe('Method,alpha,published,reproduced,delta,published,reproduced,delta');
    expect(lines).toContain('CutMix,1,78.40,78.23 ± 0.76 (n=3),-0.17,85.68,-,-');
    expect(lines).toContain('AutoMix,2,79.87,82.00 (n=1),+2.13,86.56,-,-');
    expect(lines).toContain('MixUp,1,-,-,-,-,85.00 (n=1),-');
  });
});

describe('compare errors', () => {
  test('no run of the reference dataset lists the datasets found', () => {
    expect(() => compare(LOGS, {reference: 'inat2017', stat: 'median'})).toThrow(/no summarised run of dataset inat2017; the runs found are of: aircraft, cub200/);
  });

  test('an unknown reference lists the known ones', () => {
    expect(() => compare(LOGS, {reference: 'cifar10', stat: 'median'})).toThrow('--reference must be one of cub200, aircraft, inat2017, inat2018, places205, got "cifar10"');
  });
});

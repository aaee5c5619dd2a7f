/** The demo's table on seed-pooled runs (the "within seed noise" rule) and the curves PNG written next to it. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import {demoTable, writeDemoReport} from '../../src/engine/demo-report';
import {writeSimpleLog} from '../summary/simple-log';
import {tmpDir} from './helpers';

/** A demo config as the engine logs it (ResNet_CIFAR-18 on FashionMNIST, 4 epochs). */
function demoConfig(method: string): Record<string, unknown> {
  return {
    model: {type: 'MixUpClassification', mix_mode: method, alpha: 1, backbone: {type: 'ResNet_CIFAR', depth: 18}, head: {num_classes: 10}},
    data: {train: {data_source: {type: 'FashionMNIST'}}, val: {data_source: {type: 'FashionMNIST', num_samples: 1000}}},
    runner: {type: 'EpochBasedRunner', max_epochs: 4},
  };
}

/** `<runs>/mix_mode<method>/seed<S>/` as the demo lays them out; each run's last val top-1 is `finals[method][S]`. */
function demoRuns(finals: Record<string, number[]>): string {
  const runs = path.join(tmpDir('mixup-demo-report-'), 'runs');
  for (const [method, values] of Object.entries(finals)) {
    values.forEach((last, seed) => {
      const top1: Array<[number, number]> = [[1, 40 + seed], [2, 60], [3, last - 5], [4, last]];
      writeSimpleLog(path.join(runs, `mix_mode${method}`, `seed${seed}`), '20261203_000000', {meta: {seed, config: demoConfig(method)}, top1});
    });
  }
  return runs;
}

const rows = (table: string) => table.split('\n').filter((l) => /│ (Vanilla|MixUp|CutMix)/.test(l));

describe('demo table', () => {
  test('overlapping mean ± std bands: no best marked, "differences within seed noise"', () => {
    const {table, withinNoise, summary} = demoTable(demoRuns({vanilla: [80, 84], mixup: [81, 83]}));
    expect(summary.workDirs.map((w) => [w.method, w.scores.head0_top1.n])).toEqual([['mixup', 2], ['vanilla', 2]]);
    expect(rows(table)).toEqual([
      expect.stringMatching(/│ Vanilla +│ - +│ 82\.00 ± 2\.00 \(n=2\) +│/),
      expect.stringMatching(/│ MixUp +│ 1 +│ 82\.00 ± 1\.00 \(n=2\) +│/),
    ]);
    expect(table).not.toContain('*');
    expect(table.split('\n').at(-1)).toBe('differences within seed noise');
    expect(withinNoise).toBe(true);
  });

  test('bands that only touch are still within noise (best needs mean - std > every other mean + std)', () => {
    // vanilla 84 ± 1 against cutmix 82 ± 1: 83 is not above 83
    const {table, withinNoise} = demoTable(demoRuns({vanilla: [83, 85], cutmix: [81, 83]}));
    expect(withinNoise).toBe(true);
    expect(table).not.toContain('*');
  });

  test('a method whose every seed beats every seed of the others is marked best, with no noise line', () => {
    const {table, withinNoise} = demoTable(demoRuns({vanilla: [85.5, 86], mixup: [80, 81.5], cutmix: [84, 85]}));
    expect(withinNoise).toBe(false);
    expect(rows(table)[0]).toMatch(/85\.75 ± 0\.25 \(n=2\) \* +│/);
    expect(rows(table).slice(1).join('\n')).not.toContain('*');
    expect(table).toContain('(* best of its column)');
    expect(table).not.toContain('within seed noise');
  });
});

describe('writeDemoReport', () => {
  test('writes the table to summary.txt and one val top-1 curve per run to curves.png, rewriting both on a rerun', async () => {
    const runs = demoRuns({vanilla: [80, 84], mixup: [81, 83]});
    const out = path.dirname(runs);
    const report = await writeDemoReport(runs, out);
    expect(report.tableFile).toBe(path.join(out, 'summary.txt'));
    expect(fs.readFileSync(report.tableFile, 'utf8')).toBe(`${report.table}\n`);
    expect(report.plotFile).toBe(path.join(out, 'curves.png'));
    expect(report.curves).toBe(4);
    expect(await sharp(report.plotFile).metadata()).toMatchObject({format: 'png', width: 1000, height: 600});
    expect(report.withinNoise).toBe(true);
    // a third seed of vanilla: the rerun's table pools it
    writeSimpleLog(path.join(runs, 'mix_modevanilla', 'seed2'), '20261203_000000', {meta: {seed: 2, config: demoConfig('vanilla')}, top1: [[4, 82]]});
    const again = await writeDemoReport(runs, out);
    expect(again.curves).toBe(5);
    expect(fs.readFileSync(again.tableFile, 'utf8')).toMatch(/Vanilla +│ - +│ 82\.00 ± 1\.63 \(n=3\)/);
  });
});

/** Seeds pooled, resumed runs joined, repeated runs per OpenMixup's 3-times rule: against hand-computed values. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {renderCsv, renderMarkdown} from '../../src/summary/grid';
import {summarize} from '../../src/summary/summarize';
import {summaryGrid} from '../../src/summary/summary-table';
import {writeSimpleLog} from './simple-log';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-summarize-runs-'));
});
afterEach(() => fs.rmSync(root, {recursive: true, force: true}));

/** `work_dirs/generated/cub200/r18/mix_modemixup/r18_mixups_CE_none_alpha1_ep4`, as gen-configs names it. */
const CONFIG = path.join('generated', 'cub200', 'r18', 'mix_modemixup', 'r18_mixups_CE_none_alpha1_ep4');

describe('seed dirs (gen-configs --seeds 3)', () => {
  // 4 epochs, --last 2: the window is epoch >= 2, three values; their medians are 70, 72 and 77
  const SEEDS: Array<Array<[number, number]>> = [
    [[1, 10], [2, 69], [3, 70], [4, 71]],
    [[1, 10], [2, 72], [3, 80], [4, 60]],
    [[1, 10], [2, 77], [3, 76], [4, 78]],
  ];
  beforeEach(() => {
    SEEDS.forEach((top1, s) => writeSimpleLog(path.join(root, CONFIG, `seed${s}`), '20250101_000000', {meta: {seed: s}, top1}));
  });

  test('pool into one config: mean, population std (np.std) and sample std of the per-seed medians, n = 3', () => {
    const result = summarize(root, {metrics: ['head0_top1'], stat: 'median', last: 2});
    expect(result.workDirs).toHaveLength(1);
    const [w] = result.workDirs;
    expect(w).toMatchObject({workDir: path.join(root, CONFIG), method: 'mixup', alpha: '1', backbone: 'r18', dataset: 'cub200', epochs: 4});
    expect(w.seedDirs).toEqual([0, 1, 2].map((s) => path.join(root, CONFIG, `seed${s}`)));
    expect(w.runs.map((r) => r.seed)).toEqual([0, 1, 2]);
    const s = w.scores.head0_top1;
    expect(s.perRun).toEqual([70, 72, 77]);
    // mean 73; deviations -3, -1, 4: population var 26/3, sample var 26/2
    expect(s.value).toBe(73);
    expect(s.std).toBeCloseTo(Math.sqrt(26 / 3), 12);
    expect(s.sampleStd).toBeCloseTo(Math.sqrt(13), 12);
    expect(s.n).toBe(3);
  });

  test('one row, mean ± std (n) in every format; CSV splits mean, std, n', () => {
    const grid = summaryGrid(summarize(root, {metrics: ['head0_top1'], stat: 'median', last: 2}), 'head0_top1');
    expect(grid.rows.map((row) => row.map((c) => c.text))).toEqual([['MixUp', '1', '73.00 ± 2.94 (n=3)']]);
    expect(renderMarkdown(grid)).toContain('| MixUp     | 1        | **73.00 ± 2.94 (n=3)** |');
    expect(renderCsv(grid).split('\n')).toEqual(['Datasets,Beta,CUB-200,CUB-200,CUB-200', 'Backbones,alpha,ResNet-18,ResNet-18,ResNet-18', ',,mean,std,n', 'MixUp,1,73.00,2.94,3']);
  });

  test('--stat max pools the seeds too: (max + p99) / 2 per seed', () => {
    // seed 0: sorted 10, 69, 70, 71: h = 2.97 -> 70.97, (71 + 70.97) / 2 = 70.985; seed 1: 80 and 72 + 0.97 * 8 -> 79.88;
    // seed 2: 78 and 77 + 0.97 -> 77.985
    const s = summarize(root, {metrics: ['head0_top1'], stat: 'max'}).workDirs[0].scores.head0_top1;
    expect(s.perRun).toEqual([70.985, 79.88, 77.985].map((v) => expect.closeTo(v, 10)));
    expect(s.value).toBeCloseTo((70.985 + 79.88 + 77.985) / 3, 10);
  });
});

describe('a killed and resumed run (two log pieces in one work dir)', () => {
  const dir = () => path.join(root, CONFIG);

  test('our logs (resumed_from in the meta): one run; max rule 66.50, not (66.50 + 0) / 2 = 33.25', () => {
    writeSimpleLog(dir(), '20250101_000000', {top1: [[1, 66.5], [2, 66.5]]});
    writeSimpleLog(dir(), '20250101_010000', {meta: {resumed_from: {checkpoint: 'latest.safetensors', epoch: 2}}, top1: [[3, 0], [4, 0]]});
    const s = summarize(dir(), {metrics: ['head0_top1'], stat: 'max'}).workDirs[0].scores.head0_top1;
    // joined values 0, 0, 66.5, 66.5: max 66.5, p99 at h = 2.97 between 66.5 and 66.5
    expect([s.value, s.std, s.n]).toEqual([66.5, 0, 1]);
    expect(s.runs.map((logs) => logs.map((f) => path.basename(f)))).toEqual([['20250101_000000.log.json', '20250101_010000.log.json']]);
    // counted as two runs (the old behaviour) it would be:
    expect((66.5 + 0) / 2).toBe(33.25);
  });

  test('the median window spans both pieces: epochs >= 3 of 5 are 70 (old piece), 72, 74 -> 72, not median(72, 74) = 73', () => {
    writeSimpleLog(dir(), '20250101_000000', {epochs: 5, top1: [[1, 50], [2, 60], [3, 70]]});
    writeSimpleLog(dir(), '20250101_010000', {epochs: 5, meta: {resumed_from: {checkpoint: 'latest.safetensors', epoch: 3}}, top1: [[4, 72], [5, 74]]});
    const s = summarize(dir(), {metrics: ['head0_top1'], stat: 'median', last: 2}).workDirs[0].scores.head0_top1;
    expect([s.value, s.n]).toEqual([72, 1]);
  });

  test('OpenMixup logs (no resumed_from): a piece whose first epoch is 3 continues; one starting at 1 is a repeated run', () => {
    writeSimpleLog(dir(), '20240101_000000', {noConfig: true, top1: [[1, 66.5], [2, 66.5]]});
    writeSimpleLog(dir(), '20240102_000000', {noConfig: true, top1: [[3, 0], [4, 0]]});
    writeSimpleLog(dir(), '20240103_000000', {noConfig: true, top1: [[1, 60], [2, 61], [3, 62], [4, 64]]});
    const result = summarize(dir(), {metrics: ['head0_top1'], stat: 'max'});
    const s = result.workDirs[0].scores.head0_top1;
    // run 2 (newest first): 64 and p99 of 60, 61, 62, 64 at h = 2.97: 62 + 0.97 * 2 = 63.94 -> 63.97; run 1: 66.5
    expect(s.perRun).toEqual([expect.closeTo(63.97, 10), 66.5]);
    expect(s.n).toBe(2);
    expect(s.std).toBeCloseTo((66.5 - 63.97) / 2, 10);
    expect(result.workDirs[0]).toMatchObject({method: 'mixup', alpha: '1', epochs: 4});
  });
});

describe('repeated runs in one work dir (OpenMixup\'s 3-times rule)', () => {
  test('the latest 3 runs count, for median too; a newer run without a value yet is skipped with a warning', () => {
    const dir = path.join(root, CONFIG);
    writeSimpleLog(dir, '20240101_000000', {top1: [[1, 1], [2, 10], [3, 10], [4, 10]]});
    writeSimpleLog(dir, '20240102_000000', {top1: [[1, 1], [2, 20], [3, 20], [4, 20]]});
    writeSimpleLog(dir, '20240103_000000', {top1: [[1, 1], [2, 30], [3, 30], [4, 30]]});
    writeSimpleLog(dir, '20240104_000000', {top1: [[1, 1], [2, 40], [3, 40], [4, 40]]});
    writeSimpleLog(dir, '20240105_000000', {top1: [[1, 5]]});
    const result = summarize(dir, {metrics: ['head0_top1'], stat: 'median', last: 2});
    const s = result.workDirs[0].scores.head0_top1;
    expect(s.perRun).toEqual([40, 30, 20]);
    expect(result.warnings).toEqual([expect.stringMatching(/20240105_000000\.log\.json: no val value of "head0_top1" at epoch >= 2/)]);
    // last: the newest run has a value (epoch 1: 5)
    const last = summarize(dir, {metrics: ['head0_top1'], stat: 'last'}).workDirs[0].scores.head0_top1;
    expect(last.perRun).toEqual([5, 40, 30]);
    // max with --runs 2: the latest 2 runs, (5 + 5) / 2 and (40 + 40) / 2
    const max = summarize(dir, {metrics: ['head0_top1'], stat: 'max', runs: 2}).workDirs[0].scores.head0_top1;
    expect(max.perRun).toEqual([5, 40]);
  });
});

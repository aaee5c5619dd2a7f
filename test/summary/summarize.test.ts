import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {summarize, SummaryResult} from '../../src/summary/summarize';

const LOGS = path.join(__dirname, '..', 'fixtures', 'logs');
const CUB = path.join(LOGS, 'openmixup', 'classification', 'cub200');
const CUTMIX = path.join(CUB, 'mixups/basic/r18/mix_modecutmix/r18_mixups_CE_none_alpha1_ep200');
const AUTOMIX = path.join(CUB, 'automix/r18/r18_l2_a2_near_lam_cat_mb_mlr5e_4_1xb16_ep200');
const ENGINE = path.join(LOGS, 'engine/generated/aircraft/r18/mix_modemixup/r18_mixups_CE_none_alpha0_2_ep200');

/** Values of run 1 of the CutMix fixture (make_fixtures.py, `a1_top1`). */
const RUN1 = {all: [20, 75, 70, 78.1, 78.5, 78.3, 77.9, 78.4, 78.6, 78.2, 78.45, 78.35, 78.55, 78.25], window: [78.1, 78.5, 78.3, 77.9, 78.4, 78.6, 78.2, 78.45, 78.35, 78.55, 78.25]};

function score(result: SummaryResult, dir: string, metric = 'head0_top1') {
  const w = result.workDirs.find((d) => d.workDir === dir);
  if (w === undefined) throw new Error(`no work dir ${dir} in ${result.workDirs.map((d) => d.workDir).join(', ')}`);
  return w.scores[metric];
}

describe('summarize one log (statistics against hand-computed values)', () => {
  const run1 = path.join(CUTMIX, '20240101_000000.log.json');

  test('median of epochs >= 190 of 200: the 6th of the 11 sorted window values', () => {
    const result = summarize(run1, {metrics: ['head0_top1', 'head0_top5'], stat: 'median'});
    expect(score(result, CUTMIX).value).toBeCloseTo(78.35, 10);
    expect(score(result, CUTMIX).window).toEqual({epochs: 200, last: 10, from: 190});
    expect(score(result, CUTMIX, 'head0_top5').value).toBeCloseTo(93.35, 10);
  });

  test('--epochs/--last change the window', () => {
    // epoch >= 198: 78.35, 78.55, 78.25 -> 78.35; epoch >= 100 adds 75 and 70: 13 values, 7th sorted = 78.3
    expect(score(summarize(run1, {metrics: ['head0_top1'], stat: 'median', last: 2}), CUTMIX).value).toBeCloseTo(78.35, 10);
    expect(score(summarize(run1, {metrics: ['head0_top1'], stat: 'median', epochs: 200, last: 100}), CUTMIX).value).toBeCloseTo(78.3, 10);
  });

  test('max = (max + p99) / 2 over all val values', () => {
    // sorted 14 values: index 12 = 78.55, 13 = 78.6; h = 13 * 0.99 = 12.87
    const p99 = 78.55 + 0.87 * (78.6 - 78.55);
    const s = score(summarize(run1, {metrics: ['head0_top1'], stat: 'max'}), CUTMIX);
    expect(s.value).toBeCloseTo((78.6 + p99) / 2, 10);
    expect(s.std).toBe(0);
    expect(RUN1.all).toHaveLength(14);
  });

  test('last and mean-last', () => {
    expect(score(summarize(run1, {metrics: ['head0_top1'], stat: 'last'}), CUTMIX).value).toBe(78.25);
    const sum = RUN1.window.reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(861.6, 10);
    expect(score(summarize(run1, {metrics: ['head0_top1'], stat: 'mean-last'}), CUTMIX).value).toBeCloseTo(861.6 / 11, 10);
  });
});

describe('summarize a work dir of 3 runs', () => {
  test('max: mean and population std of the latest 3 runs (logs starting at epoch 1 are runs of their own)', () => {
    const perLog = [(77.5 + (77 + 0.99 * 0.5)) / 2, (79.2 + (79 + 0.99 * 0.2)) / 2, (78.6 + 78.55 + 0.87 * 0.05) / 2];
    const m = (perLog[0] + perLog[1] + perLog[2]) / 3;
    const std = Math.sqrt(perLog.reduce((a, v) => a + (v - m) ** 2, 0) / 3);
    const s = score(summarize(CUTMIX, {metrics: ['head0_top1'], stat: 'max'}), CUTMIX);
    expect(s.perRun.map((v, i) => v - perLog[i]).every((d) => Math.abs(d) < 1e-10)).toBe(true);
    expect(s.value).toBeCloseTo(m, 10);
    expect(s.std).toBeCloseTo(std, 10);
    expect(s.n).toBe(3);
    expect(s.runs.map((logs) => logs.map((f) => path.basename(f)))).toEqual([['20240103_000000.log.json'], ['20240102_000000.log.json'], ['20240101_000000.log.json']]);
  });

  test('median: mean of the 3 runs\' medians; --runs 1 is the reference tool (latest log only)', () => {
    const result = summarize(CUTMIX, {metrics: ['head0_top1'], stat: 'median'});
    // run 3: median(77, 77.5) = 77.25; run 2: median(79, 79.2) = 79.1; run 1: 78.35 (above)
    const perRun = [77.25, 79.1, 78.35];
    const m = (77.25 + 79.1 + 78.35) / 3;
    expect(score(result, CUTMIX).perRun).toEqual(perRun.map((v) => expect.closeTo(v, 10)));
    expect(score(result, CUTMIX).value).toBeCloseTo(m, 10);
    expect(score(result, CUTMIX).std).toBeCloseTo(Math.sqrt(perRun.reduce((a, v) => a + (v - m) ** 2, 0) / 3), 10);
    expect(score(result, CUTMIX).sampleStd).toBeCloseTo(Math.sqrt(perRun.reduce((a, v) => a + (v - m) ** 2, 0) / 2), 10);
    expect(result.warnings).toEqual([expect.stringMatching(/20240103_000000\.log\.json:5: truncated last line/)]);
    const latest = score(summarize(CUTMIX, {metrics: ['head0_top1'], stat: 'median', runs: 1}), CUTMIX);
    expect([latest.value, latest.std, latest.n]).toEqual([expect.closeTo(77.25, 10), 0, 1]);
  });

  test('run info from the path and the Python config text', () => {
    const [w] = summarize(CUTMIX, {metrics: ['head0_top1'], stat: 'last'}).workDirs;
    expect(w).toMatchObject({method: 'cutmix', alpha: '1', backbone: 'r18', dataset: 'cub200', epochs: 200});
  });
});

describe('AutoMix logs (acc_{one,mix}_{k,q}_top1)', () => {
  test('median follows find_automix_val_median.py: window epoch >= 189, best truncation, max(k, q)', () => {
    const s = score(summarize(AUTOMIX, {metrics: ['head0_top1'], stat: 'median'}), AUTOMIX);
    expect(s.automix).toEqual({k: 81, q: 82});
    expect(s.value).toBe(82);
  });

  test('max takes the best of the four series, including epoch 188', () => {
    // one_q sorted: 70, 81.0..83.0 (11 values), 90; h = 12 * 0.99 = 11.88 -> 83 + 0.88 * 7
    const s = score(summarize(AUTOMIX, {metrics: ['head0_top1'], stat: 'max'}), AUTOMIX);
    expect(s.value).toBeCloseTo((90 + 83 + 0.88 * 7) / 2, 10);
  });

  test('only head0_topK stands for the AutoMix keys', () => {
    expect(() => summarize(AUTOMIX, {metrics: ['head1_top1'], stat: 'median'})).toThrow(/no val line has metric "head1_top1"; its val metrics are: acc_mix_q_top1/);
  });

  test('run info: AutoMixup config text gives automix, alpha 2', () => {
    const [w] = summarize(AUTOMIX, {metrics: ['head0_top1'], stat: 'last'}).workDirs;
    expect(w).toMatchObject({method: 'automix', alpha: '2', backbone: 'r18', dataset: 'cub200', epochs: 200});
  });
});

describe('our engine log (config object, the finished marker beside it)', () => {
  test('median of a monotonic curve is the value at the middle epoch 195', () => {
    const result = summarize(ENGINE, {metrics: ['head0_top1'], stat: 'median'});
    expect(result.workDirs).toHaveLength(1);
    expect(result.workDirs[0]).toMatchObject({method: 'mixup', alpha: '0.2', backbone: 'r18', dataset: 'aircraft', epochs: 200});
    expect(result.workDirs[0].logs.map((f) => path.basename(f))).toEqual(['20250101_120000.log.json']);
    expect(score(result, ENGINE).value).toBeCloseTo(Number((60 + 20 * (1 - Math.exp(-195 / 40))).toFixed(5)), 10);
  });
});

describe('errors', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-summary-'));
  });
  afterEach(() => fs.rmSync(tmp, {recursive: true, force: true}));

  test('an empty directory says so', () => {
    expect(() => summarize(tmp, {metrics: ['head0_top1'], stat: 'median'})).toThrow(`${tmp}: no *.log.json logs found`);
  });

  test('a missing path says so', () => {
    expect(() => summarize(path.join(tmp, 'nope'), {metrics: ['head0_top1'], stat: 'median'})).toThrow(/nope: no such file or directory/);
  });

  test('a log without the metric lists the metrics it has; exit only when nothing is summarised', () => {
    expect(() => summarize(CUTMIX, {metrics: ['head1_top1'], stat: 'median'})).toThrow(
      /nothing could be summarised:\n.*20240103_000000\.log\.json: no val line has metric "head1_top1"; its val metrics are: head0_top1, head0_top5/,
    );
    const partial = summarize(CUTMIX, {metrics: ['head0_top1', 'head1_top1'], stat: 'median'});
    expect(Object.keys(partial.workDirs[0].scores)).toEqual(['head0_top1']);
    expect(partial.workDirs[0].problems).toHaveLength(1);
  });

  test('an unfinished run has no value in the window and says why', () => {
    const file = path.join(tmp, '20240101_000000.log.json');
    fs.writeFileSync(file, '{"seed": 0}\n{"mode": "val", "epoch": 5, "head0_top1": 10.0}\n');
    expect(() => summarize(tmp, {metrics: ['head0_top1'], stat: 'median', epochs: 200})).toThrow(
      `${file}: no val value of "head0_top1" at epoch >= 190 (its last val epoch is 5`,
    );
  });

  test('max: a log among the latest 3 without values is skipped, an older 4th log is not used instead', () => {
    const val = (v: number) => `{"mode": "val", "epoch": 1, "head0_top1": ${v}}\n`;
    fs.writeFileSync(path.join(tmp, '20240101_000000.log.json'), val(10));
    fs.writeFileSync(path.join(tmp, '20240102_000000.log.json'), '{"seed": 0}\n');
    fs.writeFileSync(path.join(tmp, '20240103_000000.log.json'), val(60));
    fs.writeFileSync(path.join(tmp, '20240104_000000.log.json'), val(70));
    const result = summarize(tmp, {metrics: ['head0_top1'], stat: 'max'});
    const s = result.workDirs[0].scores.head0_top1;
    expect(s.perRun).toEqual([70, 60]);
    expect(s.value).toBe(65);
    expect(s.std).toBe(5);
    expect(result.warnings).toEqual([expect.stringMatching(/20240102_000000\.log\.json: no val lines/)]);
  });

  test('a non-numeric metric value is a file:line warning', () => {
    fs.writeFileSync(path.join(tmp, 'a.log.json'), '{"mode": "val", "epoch": 1, "head0_top1": "abc"}\n{"mode": "val", "epoch": 2, "head0_top1": 3}\n');
    const result = summarize(tmp, {metrics: ['head0_top1'], stat: 'last'});
    expect(result.workDirs[0].scores.head0_top1.value).toBe(3);
    expect(result.warnings).toEqual([`${path.join(tmp, 'a.log.json')}:1: head0_top1 is "abc", expected a number; skipped`]);
  });
});

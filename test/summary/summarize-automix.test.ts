import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {renderMarkdown} from '../../src/summary/grid';
import {summarize} from '../../src/summary/summarize';
import {summaryGrid} from '../../src/summary/summary-table';
import {MIX_BLOCK, SAMIX_BLOCK, writeLog} from './automix-log';


describe('summarize AutoMix/SAMix engine logs (acc_{one,mix}_{k,q}_topK, no head0_top1)', () => {
  let root: string;
  let automix: string;
  let samix: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-summarize-automix-'));
    automix = path.join(root, 'demo', 'automix');
    samix = path.join(root, 'demo', 'samix_run');
    writeLog(automix, MIX_BLOCK);
    writeLog(samix, SAMIX_BLOCK, 1);
  });
  afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

  test('the default metric head0_top1 reads the AutoMix keys: median = find_automix_val_median.py (200 10 -> k=80.65, q=80.35)', () => {
    const result = summarize(root, {metrics: ['head0_top1'], stat: 'median'});
    expect(result.warnings).toEqual([]);
    const a = result.workDirs.find((w) => w.workDir === automix)!;
    expect(a.problems).toEqual([]);
    expect(a.scores.head0_top1.automix!.k).toBeCloseTo(80.65, 10);
    expect(a.scores.head0_top1.automix!.q).toBeCloseTo(80.35, 10);
    expect(a.scores.head0_top1.value).toBeCloseTo(80.65, 10);
    // find_automix_val_median.py's window for E 200, N 10 starts at 189 (bias 1)
    expect(a.scores.head0_top1.window).toEqual({epochs: 200, last: 10, from: 189});
    const s = result.workDirs.find((w) => w.workDir === samix)!;
    expect(s.scores.head0_top1.automix!.k).toBeCloseTo(81.65, 10);
    expect(s.scores.head0_top1.automix!.q).toBeCloseTo(81.35, 10);
  });

  test('--last 5 (bias 0): 200 5 -> k=80.65, q=80.40; head0_top5 reads the top5 keys', () => {
    const result = summarize(automix, {metrics: ['head0_top1', 'head0_top5'], stat: 'median', last: 5});
    const [w] = result.workDirs;
    expect(w.scores.head0_top1.automix!.k).toBeCloseTo(80.65, 10);
    expect(w.scores.head0_top1.automix!.q).toBeCloseTo(80.4, 10);
    expect(w.scores.head0_top5.automix!.k).toBeCloseTo(90.65, 10);
  });

  test('run info: AutoMixup config -> automix; with value_neck_cfg / x_qk_concat -> samix; labels AutoMix and SAMix*', () => {
    const result = summarize(root, {metrics: ['head0_top1'], stat: 'median'});
    expect(result.workDirs.find((w) => w.workDir === automix)).toMatchObject({method: 'automix', alpha: '2', backbone: 'r18', dataset: 'demo', epochs: 200});
    expect(result.workDirs.find((w) => w.workDir === samix)).toMatchObject({method: 'samix', alpha: '2', backbone: 'r18', dataset: 'demo', epochs: 200});
    const table = renderMarkdown(summaryGrid(result, 'head0_top1'));
    expect(table).toMatch(/\| AutoMix +\| 2 +\| 80\.65 +\|/);
    expect(table).toMatch(/\| SAMix\* +\| 2 +\| \*\*81\.65\*\* +\|/);
  });
});

import * as path from 'node:path';
import {parseLog, readLog, valMetricNames} from '../../src/summary/log';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'logs', 'openmixup', 'classification', 'cub200');

describe('parseLog', () => {
  test('meta line, train lines skipped by default, val lines kept with line numbers', () => {
    const text = ['{"env_info": "x", "seed": 0}', '{"mode": "train", "epoch": 1, "iter": 50, "loss": 2.0}', '{"mode": "val", "epoch": 1, "iter": 58, "head0_top1": 12.5}'].join('\n');
    const log = parseLog(text, 'a.log.json');
    expect(log.meta).toEqual({env_info: 'x', seed: 0});
    expect(log.train).toEqual([]);
    expect(log.val).toEqual([{line: 3, epoch: 1, data: {mode: 'val', epoch: 1, iter: 58, head0_top1: 12.5}}]);
    expect(log.warnings).toEqual([]);
    expect(parseLog(text, 'a.log.json', {train: true}).train.map((r) => r.data.loss)).toEqual([2.0]);
  });

  test('a truncated last line and a bad line in the middle become file:line warnings', () => {
    const text = '{"mode": "val", "epoch": 1, "head0_top1": NaN}\n{"mode": "val", "epoch": 2, "head0_top1": 3}\n{"mode": "tr\n';
    const log = parseLog(text, 'b.log.json');
    expect(log.val.map((r) => r.epoch)).toEqual([2]);
    expect(log.warnings).toHaveLength(2);
    expect(log.warnings[0]).toMatch(/^b\.log\.json:1: not valid JSON, skipped/);
    expect(log.warnings[1]).toMatch(/^b\.log\.json:3: truncated last line/);
  });

  test('a val line without a numeric epoch is skipped with its value in the warning', () => {
    const log = parseLog('{"mode": "val", "epoch": "x", "head0_top1": 3}\n[1]\n', 'c.log.json');
    expect(log.val).toEqual([]);
    expect(log.warnings).toEqual([
      'c.log.json:1: val line has epoch "x", expected a number; skipped',
      'c.log.json:2: expected a JSON object, got "[1]"; skipped',
    ]);
  });

  test('readLog of a fixture with a NaN line and a broken line', () => {
    const file = path.join(FIXTURES, 'mixups/basic/rx50/mix_modemixup/rx50_mixups_CE_none_alpha1_ep200/20240104_000000.log.json');
    const log = readLog(file);
    expect(log.meta?.exp_name).toBe('rx50_mixups_CE_none_alpha1_ep200.json');
    expect(log.val.map((r) => r.epoch)).toEqual([190, 191, 192, 193, 194, 195, 196, 197, 198, 199, 200]);
    expect(log.warnings.map((w) => w.slice(file.length))).toEqual([
      expect.stringMatching(/^:2: not valid JSON/),
      expect.stringMatching(/^:6: not valid JSON/),
    ]);
    expect(valMetricNames(log)).toEqual(['head0_top1', 'head0_top5']);
  });

  test('readLog of a missing file names it', () => {
    expect(() => readLog('/nonexistent/x.log.json')).toThrow(/^\/nonexistent\/x\.log\.json: cannot read log file/);
  });
});

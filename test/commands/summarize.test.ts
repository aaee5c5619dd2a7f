import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {runCli} from '../helpers/cli';
import {writeSimpleLog} from '../summary/simple-log';

const LOGS = path.join('test', 'fixtures', 'logs');

describe('mixup summarize', () => {
  test('markdown table of two metrics, warnings on stderr, exit 0', () => {
    const r = runCli(['summarize', LOGS, '--metrics', 'head0_top1-head0_top5', '--format', 'markdown']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\| CutMix +\| 1 +\| 78\.23 ± 0\.76 \(n=3\) +\| - +\| - +\|/);
    expect(r.stdout).toContain('head0_top5: median of the last val epochs (CUB-200: epoch >= 190 of 200, AutoMix/SAMix: epoch >= 189 of 200; Aircraft: epoch >= 190 of 200)');
    expect(r.stdout).toMatch(/\| AutoMix +\| 2 +\| \*\*95\.00 \(n=1\)\*\* +\| - +\| - +\|/);
    expect(r.stderr).toMatch(/warning: .*20240103_000000\.log\.json:5: truncated last line/);
  });

  test('an empty directory exits with the data code and says so', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-empty-'));
    const r = runCli(['summarize', dir, '--json']);
    fs.rmSync(dir, {recursive: true});
    expect(r.status).toBe(3);
    expect(r.stdout + r.stderr).toContain('no *.log.json logs found');
  });

  test('a PATH that is not a directory or a log (/dev/null) exits 3 with a clear message, no raw Node error', () => {
    const r = runCli(['summarize', '/dev/null']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('/dev/null: not a directory or a regular file (a character device); expected a .log.json log or a directory of work dirs');
    expect(r.stderr).not.toMatch(/E[A-Z]+:|\n    at /);
  });

  test('seed dirs are pooled into one row with mean ± std and the run count', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-seeds-'));
    const config = path.join(dir, 'cub200', 'r18', 'mix_modecutmix', 'r18_mixups_CE_none_alpha1_ep4');
    [61, 63].forEach((v, s) => writeSimpleLog(path.join(config, `seed${s}`), '20250101_000000', {meta: {seed: s}, top1: [[4, v]]}));
    const r = runCli(['summarize', dir, '--stat', 'last', '--format', 'csv']);
    fs.rmSync(dir, {recursive: true});
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout.trim().split('\n').pop()).toBe('MixUp,1,62.00,1.00,2');
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {runCli} from '../helpers/cli';
import {MIX_BLOCK, SAMIX_BLOCK, writeLog} from '../summary/automix-log';

describe('mixup summarize on AutoMix/SAMix work dirs (no head0_top1 in their logs)', () => {
  test('the default metric gives find_automix_val_median.py\'s max(k, q), rows AutoMix and SAMix*', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-summarize-automix-'));
    writeLog(path.join(root, 'demo', 'automix'), MIX_BLOCK);
    writeLog(path.join(root, 'demo', 'samix'), SAMIX_BLOCK, 1);
    const r = runCli(['summarize', root, '--format', 'markdown']);
    const json = runCli(['summarize', root, '--json']);
    fs.rmSync(root, {recursive: true});
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/warning/);
    expect(r.stdout).toMatch(/\| AutoMix +\| 2 +\| 80\.65 +\|/);
    expect(r.stdout).toMatch(/\| SAMix\* +\| 2 +\| \*\*81\.65\*\* +\|/);
    const result = JSON.parse(json.stdout);
    const rows = result.workDirs.map((w: {method: string; scores: {head0_top1: {automix: {k: number; q: number}}}}) => [w.method, w.scores.head0_top1.automix]);
    expect(rows.map((row: unknown[]) => row[0])).toEqual(['automix', 'samix']);
    const [[, automix], [, samix]] = rows;
    expect([automix.k, automix.q, samix.k, samix.q].map((v: number) => v.toFixed(6))).toEqual(['80.650000', '80.350000', '81.650000', '81.350000']);
  });
});

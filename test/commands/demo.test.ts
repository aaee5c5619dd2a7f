/** `mixup demo` through the compiled CLI, on its smallest (pure-JS cpu) size with one method. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {runCli} from '../helpers/cli';
import {tmpDir} from '../engine/helpers';

describe('mixup demo', () => {
  it('trains every method for 2 seeds, prints the pooled table, writes it and the curves, and a rerun skips finished runs', () => {
    const out = path.join(tmpDir('mixup-cli-demo-'), 'demo');
    const result = runCli(['demo', '--backend', 'cpu', '--methods', 'mixup', '--out', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/demo size: tiny - 10-class generated colour shapes 16x16, .*1 epoch\n/);
    expect(result.stdout).toContain('runs: 2 (1 method(s) x 2 seed(s) of 1 epoch(s): mixup)');
    expect(result.stdout).toMatch(/│ MixUp +│ 1 +│ \d+\.\d\d ± \d+\.\d\d \(n=2\)/);
    expect(result.stdout).toContain(`val top-1 curves of the 2 run(s): ${path.join(out, 'curves.png')}`);
    expect(result.stdout).toMatch(/demo finished in \d+ s on cpu \(tiny size, 2 runs: 1 method\(s\) x 2 seed\(s\)/);
    expect(fs.readdirSync(path.join(out, 'runs', 'mix_modemixup'))).toEqual(['seed0', 'seed1']);
    for (const seed of ['seed0', 'seed1']) expect(fs.existsSync(path.join(out, 'runs', 'mix_modemixup', seed, 'finished'))).toBe(true);
    expect(fs.readFileSync(path.join(out, 'summary.txt'), 'utf8')).toMatch(/MixUp .*\(n=2\)/);
    expect(fs.readFileSync(path.join(out, 'curves.png')).subarray(1, 4).toString()).toBe('PNG');
    const again = runCli(['demo', '--backend', 'cpu', '--methods', 'mixup', '--out', out, '--json']);
    expect(again.status).toBe(0);
    const json = JSON.parse(again.stdout) as {runs: Array<{seed: number; status: string}>; seeds: number; preset: string};
    expect(json).toMatchObject({preset: 'tiny', seeds: 2});
    expect(json.runs.map((r) => [r.seed, r.status])).toEqual([[0, 'already-finished'], [1, 'already-finished']]);
  });

  it('trains a learned mixer (AutoMixup classifier) and shows its best q/k top-1 in the table', () => {
    const out = path.join(tmpDir('mixup-cli-demo-automix-'), 'demo');
    const result = runCli(['demo', '--backend', 'cpu', '--methods', 'automix', '--seeds', '1', '--out', out, '--json']);
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout) as {runs: Array<{method: string; status: string; head0_top1: number}>; table: string};
    expect(json.runs.map((r) => [r.method, r.status])).toEqual([['automix', 'trained']]);
    expect(json.runs[0].head0_top1).toBeGreaterThanOrEqual(0);
    expect(json.table).toMatch(/AutoMix/);
    const log = fs.readdirSync(path.join(out, 'runs', 'mix_modeautomix', 'seed0')).find((f) => f.endsWith('.log.json'));
    expect(fs.readFileSync(path.join(out, 'runs', 'mix_modeautomix', 'seed0', log!), 'utf8')).toMatch(/"acc_one_q_top1"/);
  });
});

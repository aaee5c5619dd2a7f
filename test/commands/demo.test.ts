/** `mixup demo` through the compiled CLI, on its smallest (pure-JS cpu) size with one method. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {runCli} from '../helpers/cli';
import {tmpDir} from '../engine/helpers';

describe('mixup demo', () => {
  it('generates the configs, trains, prints the summary table, and a rerun skips finished runs', () => {
    const out = path.join(tmpDir('mixup-cli-demo-'), 'demo');
    const result = runCli(['demo', '--backend', 'cpu', '--methods', 'mixup', '--out', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/demo size: tiny - pure-JS cpu: .*1 epoch/);
    expect(result.stdout).toMatch(/MixUp/);
    expect(result.stdout).toMatch(/demo finished in \d+ s on cpu/);
    const runs = fs.readdirSync(path.join(out, 'runs'));
    expect(runs).toEqual(['mix_modemixup']);
    expect(fs.existsSync(path.join(out, 'runs', 'mix_modemixup', 'finished'))).toBe(true);
    const again = runCli(['demo', '--backend', 'cpu', '--methods', 'mixup', '--out', out, '--json']);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout).runs[0].status).toBe('already-finished');
  });

  it('trains a learned mixer (AutoMixup classifier) and shows its best q/k top-1 in the table', () => {
    const out = path.join(tmpDir('mixup-cli-demo-automix-'), 'demo');
    const result = runCli(['demo', '--backend', 'cpu', '--methods', 'automix', '--out', out, '--json']);
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout) as {runs: Array<{method: string; status: string; head0_top1: number}>; table: string};
    expect(json.runs.map((r) => [r.method, r.status])).toEqual([['automix', 'trained']]);
    expect(json.runs[0].head0_top1).toBeGreaterThanOrEqual(0);
    expect(json.table).toMatch(/AutoMix/);
    const log = fs.readdirSync(path.join(out, 'runs', 'mix_modeautomix')).find((f) => f.endsWith('.log.json'));
    expect(fs.readFileSync(path.join(out, 'runs', 'mix_modeautomix', log!), 'utf8')).toMatch(/"acc_one_q_top1"/);
  });
});

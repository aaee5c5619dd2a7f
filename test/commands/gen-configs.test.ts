import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {runCli} from '../helpers/cli';

let out: string;
beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-gen-cmd-'));
});
afterAll(() => fs.rmSync(out, {recursive: true, force: true}));

describe('mixup gen-configs', () => {
  it('writes the benchmark, prints every file and the script to run, and --json returns the plan', () => {
    const text = runCli(['gen-configs', '--dataset', 'cub200', '--epochs', '200', '--backbone', 'r18', '--out', out]);
    expect(text.stderr).toBe('');
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`written     ${out}/cub200/r18/mix_modemixup/r18_mixups_CE_none_alpha0_2_ep200.json`);
    expect(text.stdout).toContain(`written     ${out}/cub200/r18/mix_modeautomix/r18_automix_alpha2_ep200.json`);
    expect(text.stdout).toContain(`written     ${out}/cub200/r18/mix_modesamix/r18_samix_alpha2_ep200.json`);
    expect(text.stdout).toContain('wrote 11 file(s) (10 configs, 1 script(s)); 0 unchanged');
    expect(text.stdout).toContain(`run: bash ${out}/cub200/r18_mixups_CE_none_ep200.sh   (10 runs)`);
    const again = runCli(['gen-configs', '-d', 'cub200', '-e', '200', '-b', 'r18', '--out', out, '--json']);
    expect(again.status).toBe(0);
    const result = JSON.parse(again.stdout);
    expect([result.created.length, result.unchanged.length, result.configs.length]).toEqual([0, 11, 10]);
    const automix = result.configs.find((c: {method: string}) => c.method === 'automix');
    expect([automix.alpha, automix.epochs]).toEqual([2, 200]);
    const validate = runCli(['validate', `${out}/cub200`]);
    expect(validate.stdout).toContain('10 valid, 0 invalid');
    expect(validate.status).toBe(0);
  });

  it('--alpha sets model.alpha of an AutoMixup config too', () => {
    const r = runCli(['gen-configs', '-d', 'aircraft', '-b', 'rx50', '-m', 'samix', '-a', '1', '--out', out, '--json']);
    expect(r.status).toBe(0);
    const file = JSON.parse(r.stdout).configs[0].path as string;
    expect(file).toBe(`${out}/aircraft/rx50/mix_modesamix/rx50_samix_alpha1_ep200.json`);
    const config = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect([config.model.type, config.model.alpha, config.model.head_one.num_classes, config.model.head_mix_k.num_classes]).toEqual(['AutoMixup', 1, 100, 100]);
  });

  it('exits 2 naming the bad value for an unknown dataset and a negative epoch count', () => {
    const dataset = runCli(['gen-configs', '--dataset', 'cars', '--out', out]);
    expect(dataset.status).toBe(2);
    expect(dataset.stderr).toContain('unknown dataset "cars"; known datasets: cub200, aircraft, inat2017, inat2018, places205, demo');
    const epochs = runCli(['gen-configs', '--dataset', 'demo', '--epochs=-5', '--out', out]);
    expect(epochs.status).toBe(2);
    expect(epochs.stderr).toContain('--epochs must be a positive integer (or a comma-separated list of them), got "-5"');
  });
});

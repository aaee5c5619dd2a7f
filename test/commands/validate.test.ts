import {execFileSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {oneLine, runCli} from '../helpers/cli';

const GOOD = 'test/fixtures/configs/valid_demo_two_modes.json';
const BAD = 'test/fixtures/configs/bad_types.json';

describe('mixup validate', () => {
  it('reports each problem as "file: path ..." and exits 2 when a config is invalid', () => {
    const result = runCli(['validate', GOOD, BAD]);
    expect(result.status).toBe(2);
    expect(result.stdout).toContain(`ok       ${GOOD}`);
    expect(result.stdout).toContain(`invalid  ${BAD}: runner.max_epochs must be an integer >= 1, got -3`);
    expect(result.stdout).toContain(`invalid  ${BAD}: model.mix_mode must be a known method (vanilla, mixup,`);
    expect(result.stdout).toContain('1 valid, 1 invalid');
    expect(result.stderr).toContain('1 of 2 config(s) invalid');
  });

  it('validates the AutoMixup configs and names the field of an AutoMixup problem', () => {
    const ok = runCli(['validate', 'configs/demo/automix.json', 'configs/demo/samix.json', 'configs/places205']);
    expect(ok.stdout).toContain('ok       configs/demo/automix.json');
    expect(ok.stdout).toContain('ok       configs/places205/r50_samix.json');
    expect(ok.status).toBe(0);
  });

  it('--json returns every file with its errors and still exits 2', () => {
    const result = runCli(['validate', GOOD, BAD, '--json']);
    expect(result.status).toBe(2);
    const json = JSON.parse(result.stdout);
    expect(json.valid).toBe(false);
    expect(json.files.map((f: {valid: boolean}) => f.valid)).toEqual([true, false]);
    expect(json.files[1].errors).toContain(`${BAD}: optimizer.lr must be a number > 0, got "0.1"`);
  });

  it('a directory without .json files, a FIFO and /dev/zero are errors (exit 2), never "0 valid" or a hang', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-validate-'));
    const empty = runCli(['validate', dir]);
    expect([empty.status, oneLine(empty.stderr)]).toEqual([2, expect.stringContaining(`${dir}: no .json config files in this directory or below it`)]);
    execFileSync('mkfifo', [path.join(dir, 'pipe.json')]);
    for (const file of [path.join(dir, 'pipe.json'), '/dev/zero']) {
      const r = runCli(['validate', file], {timeout: 30_000});
      expect(r.status).toBe(2);
      expect(r.stdout).toMatch(/: cannot read config: it is a (FIFO \(named pipe\)|character device), not a regular file/);
    }
    fs.rmSync(dir, {recursive: true, force: true});
  });
  it('refuses out-of-range numbers (1e400 reads as Infinity) in a config or a _base_, naming the file and the field', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-validate-inf-'));
    const base = path.resolve('configs/demo/r18_mixups_CE_none.json');
    const epochs = path.join(dir, 'epochs.json');
    fs.writeFileSync(epochs, `{"_base_": ${JSON.stringify(base)}, "runner": {"max_epochs": 1e400}}`);
    const alpha = path.join(dir, 'alpha.json');
    fs.writeFileSync(alpha, `{"_base_": ${JSON.stringify(base)}, "model": {"mix_mode": ["mixup", "cutmix"], "alpha": [0.1, -1e400]}}`);
    const result = runCli(['validate', epochs, alpha]);
    expect(result.status).toBe(2);
    expect(oneLine(result.stdout + result.stderr)).toContain(`${epochs}: runner.max_epochs is a number out of range (it reads as Infinity); expected a finite number`);
    expect(oneLine(result.stdout + result.stderr)).toContain(`${alpha}: model.alpha[1] is a number out of range (it reads as -Infinity); expected a finite number`);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
    fs.rmSync(dir, {recursive: true, force: true});
  });
});

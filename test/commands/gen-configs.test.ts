import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {spawnSync} from 'node:child_process';
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

  it('writes scripts from a hostile --out that run nothing from it (MIXUP=true, from here and from elsewhere)', () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-gen-hostile-'));
    const hostile = `g$(touch ${cwd}/CANARY)\`touch ${cwd}/CANARY2\`|x "q'uote" sp ace;touch ${cwd}/CANARY3`;
    for (const launcher of ['local', 'slurm']) {
      const r = runCli(['gen-configs', '--dataset', 'demo', '--methods', 'mixup,cutmix', '--seeds', '2', '--launcher', launcher, '--out', hostile], {cwd});
      expect(r.status).toBe(0);
      // the printed command is quoted too: pasting it runs nothing
      expect(r.stdout).toContain(`run: ${launcher === 'slurm' ? 'sbatch' : 'bash'} '${hostile.replace(/'/g, `'\\''`)}/demo/`);
    }
    const scripts = fs.readdirSync(path.join(cwd, hostile, 'demo')).filter((f) => f.endsWith('.sh')).map((f) => path.join(cwd, hostile, 'demo', f));
    expect(scripts).toHaveLength(2);
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-gen-elsewhere-'));
    for (const script of scripts) {
      for (const task of ['0', '3']) {
        const env = {...process.env, MIXUP: 'true', SLURM_ARRAY_TASK_ID: task};
        expect(spawnSync('bash', [script], {cwd, env}).status).toBe(0);
        const away = spawnSync('bash', [script], {cwd: elsewhere, env, encoding: 'utf8'});
        if (script.endsWith('_slurm.sh')) expect(away.status).toBe(0); // MIXUP=true "trains" the relative path
        else expect([away.status, away.stderr]).toEqual([2, expect.stringContaining('not found: run this script from the directory gen-configs ran in')]);
      }
    }
    for (const canary of ['CANARY', 'CANARY2', 'CANARY3']) expect(fs.existsSync(path.join(cwd, canary))).toBe(false);
    fs.rmSync(cwd, {recursive: true, force: true});
    fs.rmSync(elsewhere, {recursive: true, force: true});
  });

  it('refuses a --out with a newline, an empty --methods and absurd --seeds (exit 2, nothing written)', () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-gen-refuse-'));
    const newline = runCli(['gen-configs', '--dataset', 'demo', '--out', `x\ntouch ${cwd}/P\n#`], {cwd});
    expect(newline.status).toBe(2);
    expect(newline.stderr.replace(/\s*\n\s*›?\s*/g, ' ')).toContain('--out: "x\\ntouch');
    expect(newline.stderr).toContain('contains the control character U+000A');
    const empty = runCli(['gen-configs', '--dataset', 'demo', '--methods', '', '--out', 'o'], {cwd});
    expect([empty.status, empty.stderr]).toEqual([2, expect.stringContaining('--methods: no method names given')]);
    const seeds = runCli(['gen-configs', '--dataset', 'demo', '--seeds', '100000000', '--dry-run'], {cwd});
    expect([seeds.status, seeds.stderr]).toEqual([2, expect.stringContaining('less than or equal to 1000')]);
    expect(fs.readdirSync(cwd)).toEqual([]);
    fs.rmSync(cwd, {recursive: true, force: true});
  });
});

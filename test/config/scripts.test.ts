import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {spawnSync} from 'node:child_process';
import {renderScript, shellQuote, type ScriptSpec} from '../../src/config/scripts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-script-'));
  // a stand-in for the CLI: records its arguments, fails for configs whose name contains "bad"
  fs.writeFileSync(path.join(dir, 'fake-mixup.sh'), 'echo "$*" >> calls.log\ncase "$2" in *bad*) exit 3;; esac\n');
  for (const name of ['good.json', 'bad.json', 'done.json']) fs.writeFileSync(path.join(dir, name), '{}');
  fs.mkdirSync(path.join(dir, 'work_dirs/done'), {recursive: true});
  fs.writeFileSync(path.join(dir, 'work_dirs/done/finished'), '{}');
});
afterEach(() => fs.rmSync(dir, {recursive: true, force: true}));

const spec = (launcher: 'local' | 'slurm'): ScriptSpec => ({
  launcher,
  command: 'mixup gen-configs --dataset demo',
  title: 'demo / ResNet-18',
  scriptPath: 'x.sh',
  gpus: launcher === 'slurm' ? 2 : 0,
  cli: 'node bin/run.js',
  jobName: 'mixup-demo-r18',
  runs: [
    {config: 'good.json', workDir: 'work_dirs/good', seed: 0, group: 'mix_modemixup'},
    {config: 'bad.json', workDir: 'work_dirs/bad', seed: 1, group: 'mix_modemixup'},
    {config: 'done.json', workDir: 'work_dirs/done', seed: 0, group: 'mix_modecutmix'},
    {config: 'good.json', workDir: 'work_dirs/good2', seed: 2, group: 'mix_modecutmix'},
  ],
});

function runScript(text: string, env: Record<string, string> = {}) {
  const file = path.join(dir, 'x.sh');
  fs.writeFileSync(file, text);
  const result = spawnSync('bash', [file], {cwd: dir, encoding: 'utf8', env: {...process.env, MIXUP: 'bash fake-mixup.sh', ...env}});
  const calls = fs.existsSync(path.join(dir, 'calls.log')) ? fs.readFileSync(path.join(dir, 'calls.log'), 'utf8').trim().split('\n') : [];
  return {...result, calls};
}

describe('local script', () => {
  it('trains every run, skips finished work dirs, keeps going past a failure and reports it', () => {
    const {status, stdout, stderr, calls} = runScript(renderScript(spec('local')));
    expect(calls).toEqual([
      'train good.json --work-dir work_dirs/good --seed 0',
      'train bad.json --work-dir work_dirs/bad --seed 1',
      'train good.json --work-dir work_dirs/good2 --seed 2',
    ]);
    expect(stdout).toContain('[skip] work_dirs/done (finished exists)');
    expect(stderr).toContain('1 of 4 run(s) failed:\n  bad.json --seed 1');
    expect(status).toBe(1);
  });

  it('exits 0 when every run succeeds, and stops early when run from the wrong directory', () => {
    const ok = spec('local');
    ok.runs = ok.runs.filter((r) => r.config !== 'bad.json');
    const result = runScript(renderScript(ok));
    expect([result.status, result.stdout.trim().split('\n').pop()]).toEqual([0, 'all 3 run(s) done (1 skipped as finished)']);
    fs.rmSync(path.join(dir, 'good.json'));
    const wrong = runScript(renderScript(ok));
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('good.json not found: run this script from the directory gen-configs ran in');
  });

  it('uses the CLI it was generated with unless MIXUP is set', () => {
    expect(renderScript(spec('local'))).toContain('MIXUP=${MIXUP:-node bin/run.js}');
  });
});

describe('slurm script', () => {
  it('is a job array with one task per run; a task trains its run or skips a finished one', () => {
    const text = renderScript(spec('slurm'));
    expect(text).toMatch(/^#!\/usr\/bin\/env bash\n#SBATCH --job-name=mixup-demo-r18\n#SBATCH --array=0-3\n#SBATCH --gres=gpu:2\n/);
    expect(runScript(text, {SLURM_ARRAY_TASK_ID: '3'}).calls).toEqual(['train good.json --work-dir work_dirs/good2 --seed 2']);
    const skipped = runScript(text, {SLURM_ARRAY_TASK_ID: '2'});
    expect([skipped.status, skipped.stdout.trim()]).toEqual([0, '[skip] work_dirs/done (finished exists)']);
    expect(runScript(text, {SLURM_ARRAY_TASK_ID: '1'}).status).toBe(3);
    expect(runScript(text, {SLURM_ARRAY_TASK_ID: '9'}).stderr).toContain('task 9 out of range 0..3');
  });
});

describe('shellQuote', () => {
  it('leaves plain paths alone and single-quotes the rest', () => {
    expect(shellQuote('configs/a_b-1.0.json')).toBe('configs/a_b-1.0.json');
    expect(shellQuote("my dir/it's.json")).toBe(`'my dir/it'\\''s.json'`);
  });
});

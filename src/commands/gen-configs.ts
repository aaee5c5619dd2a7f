/**
 * `mixup gen-configs`: one fully merged, validated config per (backbone, method, α, epochs) of a benchmark, and one
 * script per backbone that trains them all (`src/config/generate.ts`).
 */
import {Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command';
import {BENCHMARK_NAMES} from '../config/benchmarks';
import {shellQuote} from '../config/scripts';
import {parseSetFlag} from '../config/overrides';
import {MAX_GPUS, MAX_SEEDS, parseNumberList, planGeneration, splitList, writePlan, type GenerationPlan, type WriteReport} from '../config/generate';

/** `--json` output of `gen-configs`: the plan and what happened to each file. */
export interface GenConfigsResult extends WriteReport {
  dataset: string;
  options: GenerationPlan['options'];
  configs: GenerationPlan['configs'];
  scripts: GenerationPlan['scripts'];
}

/** `mixup gen-configs` */
export default class GenConfigs extends BaseCommand {
  static summary = 'Generate the configs and training scripts of a benchmark.';
  static description = `Writes one fully merged, validated JSON config per (backbone, method, alpha, epochs) under <out>/<dataset>/<backbone>/mix_mode<method>/, and one script per backbone that runs \`mixup train\` on each of them (skipping finished work dirs; with --gpus N, N at a time, one per GPU). Defaults reproduce the reference table: its backbones, its methods (AutoMix/SAMix included: their configs are model.type "AutoMixup" ones, from configs/<dataset>/<backbone>_automix.json and _samix.json) and the Beta alpha it lists per method. Existing files are never replaced without --force.`;

  static examples = [
    {command: '<%= config.bin %> gen-configs --dataset cub200 --epochs 200', description: 'the CUB-200 table: R-18 and RX-50, 10 methods (AutoMix and SAMix included)'},
    {command: '<%= config.bin %> gen-configs --dataset aircraft --methods automix,samix', description: 'only the learned mixers (model.type AutoMixup, alpha 2)'},
    {command: '<%= config.bin %> gen-configs --dataset inat2017 --backbone r50 --methods mixup,cutmix --alpha 0.2,1', description: 'a sweep of alpha'},
    {command: '<%= config.bin %> gen-configs --dataset places205 --launcher slurm --seeds 3 --gpus 1 --dry-run', description: 'list what a Slurm job array would run'},
    {command: '<%= config.bin %> gen-configs --dataset cub200 --gpus 4', description: 'local scripts training 4 runs at a time, one per GPU (CUDA_VISIBLE_DEVICES=0..3)'},
    {command: '<%= config.bin %> gen-configs --dataset cub200 --data-root /datasets', description: 'configs reading /datasets/CUB200/CUB_200/images/ and /datasets/meta/CUB200/*.txt'},
    {command: '<%= config.bin %> gen-configs --dataset cub200 --backbone r18 --methods vanilla,mixup --epochs 2 --image-size 32 --base-channels 8 --set optimizer.lr=0.05', description: 'a small smoke test of the workflow'},
  ];

  static flags = {
    dataset: Flags.string({char: 'd', required: true, description: `benchmark: ${BENCHMARK_NAMES.join(', ')}`}),
    epochs: Flags.string({char: 'e', description: 'runner.max_epochs, comma-separated for several [default: 200 for cub200/aircraft, 100 for inat/places, 4 for demo]'}),
    backbone: Flags.string({char: 'b', description: "comma-separated backbone keys (r18, r50, rx50, rx101) [default: the dataset's reference table]"}),
    methods: Flags.string({char: 'm', description: 'comma-separated method names (see `mixup methods`); automix/samix generate AutoMixup configs [default: the reference table, automix and samix included]'}),
    alpha: Flags.string({char: 'a', description: 'comma-separated Beta alphas, used for every mixing method (model.alpha of AutoMixup configs too) [default: the alpha the reference table lists per method]'}),
    seeds: Flags.integer({default: 1, min: 1, max: MAX_SEEDS, description: `runs per config, seeds 0..N-1, N <= ${MAX_SEEDS} (with N > 1 each seed gets a seed<S> work dir)`}),
    gpus: Flags.integer({default: 0, min: 0, max: MAX_GPUS, description: 'GPUs to train on, one run per GPU: a local script runs N at a time, lane i with CUDA_VISIBLE_DEVICES=i (1: every run on GPU 0); in a Slurm array (N > 0) each task requests --gres=gpu:1 (0 = no GPU). One run never spans GPUs (tfjs has no multi-GPU training; see optimizer_config.update_interval)'}),
    gres: Flags.string({description: 'Slurm: what each array task requests, #SBATCH --gres=VALUE (e.g. gpu:a100:1; "none" for nothing) [default: gpu:1 with --gpus > 0]'}),
    out: Flags.string({char: 'o', default: 'configs/generated', description: 'output root (git-ignored by default)'}),
    launcher: Flags.string({options: ['local', 'slurm'], default: 'local', description: 'local: a bash script running the configs one after another (with --gpus N >= 2: N at a time); slurm: an sbatch job array'}),
    'data-root': Flags.string({description: 'data directory in place of the templates\' data/ (data_source.root and list_file: data/CUB200/CUB_200/images/ -> DIR/CUB200/CUB_200/images/); the same as prepare-data --data-root [default: data]'}),
    'image-size': Flags.integer({min: 1, description: 'crop size of every pipeline, Resize scaled alike (224 -> 32: Resize 256 -> 37) [default: the template\'s, 224]'}),
    'base-channels': Flags.integer({min: 1, description: 'model.backbone.base_channels (64 = torchvision width); head/mix-block in_channels follow [default: the template\'s]'}),
    set: Flags.string({multiple: true, description: 'KEY=VALUE: set a dotted config field in every config, VALUE as JSON when it parses (optimizer.lr=0.01, data.imgs_per_gpu=8); repeatable; file names do not change'}),
    'dry-run': Flags.boolean({description: 'print what would be written, write nothing'}),
    force: Flags.boolean({char: 'f', description: 'overwrite existing files whose content differs'}),
  };

  async run(): Promise<GenConfigsResult> {
    const {flags} = await this.parse(GenConfigs);
    const plan = planGeneration({
      dataset: flags.dataset,
      epochs: flags.epochs === undefined ? undefined : parseNumberList('--epochs', flags.epochs, 'positive integer'),
      backbones: flags.backbone === undefined ? undefined : splitList(flags.backbone),
      methods: flags.methods === undefined ? undefined : splitList(flags.methods),
      alphas: flags.alpha === undefined ? undefined : parseNumberList('--alpha', flags.alpha, 'number > 0'),
      seeds: flags.seeds,
      gpus: flags.gpus,
      gres: flags.gres,
      out: flags.out,
      launcher: flags.launcher as 'local' | 'slurm',
      overrides: {dataRoot: flags['data-root'], imageSize: flags['image-size'], baseChannels: flags['base-channels'], set: flags.set?.map(parseSetFlag)},
    });
    const report = writePlan(plan, {force: flags.force, dryRun: flags['dry-run']});
    const status = (p: string): string => (report.unchanged.includes(p) ? 'unchanged' : report.overwritten.includes(p) ? (flags['dry-run'] ? 'differs' : 'overwritten') : flags['dry-run'] ? 'new' : 'written');
    for (const file of plan.files) this.log(`${status(file.path).padEnd(11)} ${file.path}`);
    const verb = flags['dry-run'] ? 'would write' : 'wrote';
    const count = report.created.length + report.overwritten.length;
    this.log(`\n${verb} ${count} file(s) (${plan.configs.length} configs, ${plan.scripts.length} script(s)); ${report.unchanged.length} unchanged`);
    if (flags['dry-run'] && report.overwritten.length > 0) this.log(`${report.overwritten.length} existing file(s) differ: a real run needs --force`);
    for (const script of plan.scripts) this.log(`run: ${script.launcher === 'slurm' ? 'sbatch' : 'bash'} ${shellQuote(script.path)}   (${script.runs} runs)`);
    return {dataset: plan.dataset, options: plan.options, configs: plan.configs, scripts: plan.scripts, ...report};
  }
}

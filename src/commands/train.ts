/** `mixup train CONFIG`: trains one config (resuming from the work dir's latest checkpoint when there is one). */
import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command';
import {BACKEND_NAMES} from '../engine/backend';
import {defaultProgressMode} from '../engine/progress';
import {dryRun, type DryRunSummary} from '../engine/dry-run';
import {trainRun, type TrainSummary} from '../engine/run';

export default class Train extends BaseCommand {
  static summary = 'Train a config: mixing schedule, SGD, cosine/step lr, validation, checkpoints, mmcv JSON log.';
  static description = `Trains CONFIG as OpenMixup's tools/train.py does and writes <work_dir>/<YYYYmmdd_HHMMSS>.log.json
(mmcv format, read by \`mixup summarize\`), a readable .log, checkpoints (latest.safetensors every epoch, epoch_<N>
every checkpoint_config.interval epochs) and a "finished" marker file at the end. Rerunning the same command resumes from
latest (the newest intact epoch_<N> if latest is unusable); a finished run is skipped unless --force. The work dir is
locked (train.lock) while a run trains in it: a second run there exits 5 naming the first.`;

  static examples = [
    {command: '<%= config.bin %> train configs/demo/r18_mixups_CE_none.json', description: 'train into work_dirs/demo/r18_mixups_CE_none'},
    {command: '<%= config.bin %> train CONFIG --work-dir work_dirs/x --seed 1 --backend wasm', description: 'explicit work dir, seed and backend'},
    {command: '<%= config.bin %> train CONFIG --resume-from work_dirs/x/epoch_10.safetensors', description: 'continue from a given checkpoint'},
    {command: '<%= config.bin %> train CONFIG --dry-run', description: 'build data, model, mixer and optimizer, decode one batch, print what a run would do; train and write nothing'},
    {command: '<%= config.bin %> train configs/generated/cub200/r18/mix_modemixup/r18_mixups_CE_none_alpha0_2_ep200.json --weights-dir ~/weights', description: 'torchvision://resnet18 read from ~/weights/resnet18.safetensors (or resnet18.pth)'},
  ];

  static args = {config: Args.string({required: true, description: 'config file (JSON, may use _base_)'})};
  static flags = {
    'work-dir': Flags.string({description: 'where logs and checkpoints go (default: work_dirs/<config path without configs/ and .json>)'}),
    seed: Flags.integer({description: 'random seed (default: the config\'s seed, else 0)', min: 0}),
    'resume-from': Flags.string({description: 'checkpoint to resume from (default: <work_dir>/latest.safetensors when it exists)'}),
    backend: Flags.string({description: `tfjs backend: ${BACKEND_NAMES.join('|')} (default: config backend, else env MIXUP_BACKEND, else auto)`}),
    force: Flags.boolean({description: 'train again even if the work dir is finished or holds another run\'s checkpoint', default: false}),
    'weights-dir': Flags.string({description: 'directory of the torchvision weights model.pretrained: "torchvision://resnet18" names (resnet18.safetensors or resnet18.pth; else the torchvision download in $TORCH_HOME/hub/checkpoints) [default: env MIXUP_WEIGHTS_DIR, else ~/.cache/mixup/weights]'}),
    'dry-run': Flags.boolean({description: 'build everything a run needs (config, work dir, weights, backend, model, mixer, optimizer, loaders, one decoded batch per split), print it and exit without training or writing', default: false}),
    strict: Flags.boolean({description: 'stop at the first missing or unreadable image instead of skipping it (default: the config\'s data.strict)'}),
  };

  async run(): Promise<TrainSummary | DryRunSummary> {
    const {args, flags} = await this.parse(Train);
    if (flags['dry-run']) {
      return dryRun({
        configPath: args.config,
        workDir: flags['work-dir'],
        seed: flags.seed,
        resumeFrom: flags['resume-from'],
        backend: flags.backend,
        force: flags.force,
        strict: flags.strict,
        weightsDir: flags['weights-dir'],
        print: (line) => this.log(line),
      });
    }
    return trainRun({
      configPath: args.config,
      workDir: flags['work-dir'],
      seed: flags.seed,
      resumeFrom: flags['resume-from'],
      backend: flags.backend,
      force: flags.force,
      strict: flags.strict,
      weightsDir: flags['weights-dir'],
      print: (line) => this.log(line),
      progress: defaultProgressMode(this.jsonEnabled()),
    });
  }
}

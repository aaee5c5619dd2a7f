/** `mixup test CONFIG CHECKPOINT`: top-1/top-5 of a checkpoint on the config's val split. */
import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command';
import {BACKEND_NAMES} from '../engine/backend';
import {formatMetrics, testRun, type TestSummary} from '../engine/run';

export default class Test extends BaseCommand {
  static summary = 'Evaluate a checkpoint on the config\'s val split: head0_top1, head0_top5.';
  static description = `Loads CHECKPOINT (written by \`mixup train\`) into the model of CONFIG and evaluates it on data.val with
the same code as training's validation, so it reproduces the last val line of the run's log.`;

  static examples = [
    {command: '<%= config.bin %> test configs/demo/r18_mixups_CE_none.json work_dirs/demo/r18_mixups_CE_none/latest.safetensors', description: 'evaluate the latest checkpoint'},
    {command: '<%= config.bin %> test CONFIG CKPT --json', description: 'machine-readable result'},
  ];

  static args = {
    config: Args.string({required: true, description: 'config file (JSON, may use _base_)'}),
    checkpoint: Args.string({required: true, description: 'a .safetensors checkpoint written by mixup train'}),
  };

  static flags = {
    backend: Flags.string({description: `tfjs backend: ${BACKEND_NAMES.join('|')} (default: config backend, else env MIXUP_BACKEND, else auto)`}),
    'weights-dir': Flags.string({description: 'directory of torchvision weights for a frozen extractor (model.pretrained_k) [default: env MIXUP_WEIGHTS_DIR, else ~/.cache/mixup/weights]'}),
  };

  async run(): Promise<TestSummary> {
    const {args, flags} = await this.parse(Test);
    const result = await testRun({configPath: args.config, checkpoint: args.checkpoint, backend: flags.backend, weightsDir: flags['weights-dir'], print: (line) => this.log(line)});
    this.log(`${result.checkpoint} (epoch ${result.epoch}), ${result.samples} val images`);
    this.log(formatMetrics(result.metrics));
    return result;
  }
}

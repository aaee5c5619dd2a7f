/** `mixup test CONFIG CHECKPOINT`: top-1/top-5 of a checkpoint on the config's val split, per class too. */
import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command';
import {BACKEND_NAMES} from '../engine/backend';
import {formatMetrics, testRun, type TestSummary} from '../engine/run';
import {checkOutput, writeFileAtomic} from '../io/write';
import {renderConfusion} from '../summary/confusion-plot';
import {chartFormat} from '../summary/plot';
import {formatWorst, perClassCsv, pickHead, worstClasses} from '../summary/per-class';

export default class Test extends BaseCommand {
  static summary = 'Evaluate a checkpoint on the config\'s val split: head0_top1, head0_top5, per-class accuracy and confusion matrix.';
  static description = `Loads CHECKPOINT (written by \`mixup train\`) into the model of CONFIG and evaluates it on data.val with
the same code as training's validation, so it reproduces the last val line of the run's log. It also counts per
class (names from the dataset: classes.txt beside an ImageList's list file, CUB's classes.txt, folder names) and
prints the worst classes; --json holds every class's accuracy and the confusion matrix, --per-class-csv and
--confusion-png write them as files (an existing file is kept unless --force).`;

  static examples = [
    {command: '<%= config.bin %> test configs/demo/r18_mixups_CE_none.json work_dirs/demo/r18_mixups_CE_none/latest.safetensors', description: 'evaluate the latest checkpoint'},
    {command: '<%= config.bin %> test CONFIG CKPT --per-class-csv per_class.csv --confusion-png confusion.png', description: 'per-class table and heat map as files'},
    {command: '<%= config.bin %> test CONFIG CKPT --json', description: 'machine-readable result, per class and confusion matrix included'},
  ];

  static args = {
    config: Args.string({required: true, description: 'config file (JSON, may use _base_)'}),
    checkpoint: Args.string({required: true, description: 'a .safetensors checkpoint written by mixup train'}),
  };

  static flags = {
    backend: Flags.string({description: `tfjs backend: ${BACKEND_NAMES.join('|')} (default: config backend, else env MIXUP_BACKEND, else auto)`}),
    'weights-dir': Flags.string({description: 'directory of torchvision weights for a frozen extractor (model.pretrained_k) [default: env MIXUP_WEIGHTS_DIR, else ~/.cache/mixup/weights]'}),
    'per-class-csv': Flags.string({description: 'write one row a class (images, top-k accuracy, the class it is most often taken for) to this CSV file'}),
    'confusion-png': Flags.string({description: 'draw the confusion matrix as a heat map to this .png (or .svg) file (at most 1000 classes)'}),
    head: Flags.string({description: 'head the per-class results are of (default: the first, head0; AutoMixup: acc_mix_k, acc_one_k, acc_mix_q, acc_one_q)'}),
    worst: Flags.integer({description: 'how many of the worst classes to print', default: 5, min: 0}),
    force: Flags.boolean({description: 'overwrite --per-class-csv / --confusion-png if they exist', default: false}),
  };

  async run(): Promise<TestSummary> {
    const {args, flags} = await this.parse(Test);
    const csv = flags['per-class-csv'];
    const image = flags['confusion-png'];
    for (const out of [csv, image]) if (out !== undefined) checkOutput(out, flags.force);
    if (image !== undefined) chartFormat(image, '--confusion-png');
    const result = await testRun({configPath: args.config, checkpoint: args.checkpoint, backend: flags.backend, weightsDir: flags['weights-dir'], print: (line) => this.log(line)});
    this.log(`${result.checkpoint} (epoch ${result.epoch}), ${result.samples} val images`);
    this.log(formatMetrics(result.metrics));
    const report = pickHead(result.perClass, flags.head);
    this.log(`${report.head}: mean per-class top-1 ${report.mean_class_top1.toFixed(2)} over ${report.classes.filter((c) => c.images > 0).length} classes`);
    const worst = worstClasses(report, flags.worst);
    if (worst.length > 0) this.log([`worst ${worst.length} classes (top-1):`, ...formatWorst(worst)].join('\n'));
    if (csv !== undefined) {
      writeFileAtomic(csv, perClassCsv(report), {overwrite: flags.force});
      this.log(`wrote ${csv}: ${report.classes.length} classes`);
    }
    if (image !== undefined) {
      writeFileAtomic(image, await renderConfusion(report, image, `confusion of ${report.head}, ${result.checkpoint} (epoch ${result.epoch})`, '--confusion-png'), {overwrite: flags.force});
      this.log(`wrote ${image}: ${report.numClasses}×${report.numClasses} confusion heat map`);
    }
    return result;
  }
}

/** `mixup prepare-data`: writes a dataset's reference list files from its published layout and counts its images. */
import {Flags} from '@oclif/core';
import Table from 'cli-table3';
import {BaseCommand} from '../cli/base-command';
import {PREPARE_DATASETS, PrepareResult, prepareData} from '../data';

/** Classes beyond which the human output shows a per-split summary instead of one row per class. */
const MAX_CLASS_ROWS = 250;
/** No colour codes: the tables go to logs and docs as they are. */
const PLAIN = {head: [], border: [], compact: true};

export default class PrepareData extends BaseCommand {
  static summary = 'Write the list files (path label) the configs read, from a dataset unpacked in its official layout.';
  static description = `Reads CUB-200-2011, FGVC-Aircraft, iNaturalist 2017/2018 (train20xx.json / val20xx.json), Places205
(trainvalsplit_places205/) or a class-per-folder tree under --root, and writes one list file per split into --out
(names as OpenMixup's data/meta/<dataset>/ lists) plus classes.txt. Reports the images per split and per class.
Existing files are kept unless --force.`;

  static examples = [
    {command: '<%= config.bin %> prepare-data --dataset cub200 --root data/CUB200/CUB_200_2011 --out data/meta/CUB200', description: 'train_labeled.txt (5,994) and test_labeled.txt (5,794)'},
    {command: '<%= config.bin %> prepare-data --dataset aircraft --root data/fgvc-aircraft-2013b --out data/meta/Aircrafts --json', description: 'trainval/test lists of the 100 variants, counts as JSON'},
  ];

  static flags = {
    dataset: Flags.string({description: 'layout of --root', options: [...PREPARE_DATASETS], required: true}),
    root: Flags.string({description: 'directory the dataset was unpacked into', required: true}),
    out: Flags.string({description: 'directory for the list files (created if missing)', required: true}),
    force: Flags.boolean({description: 'overwrite list files that already exist', default: false}),
  };

  async run(): Promise<PrepareResult> {
    const {flags} = await this.parse(PrepareData);
    const result = prepareData({dataset: flags.dataset, root: flags.root, out: flags.out, force: flags.force});
    const splits = result.splits.map((s) => s.split);
    const summary = new Table({head: ['split', 'images', 'classes', 'min/class', 'max/class', 'file'], style: PLAIN});
    for (const s of result.splits) {
      const counts = result.classes.map((c) => c.counts[s.split]);
      summary.push([s.split, s.count, counts.filter((n) => n > 0).length, Math.min(...counts), Math.max(...counts), s.file]);
    }
    if (result.classes.length <= MAX_CLASS_ROWS) {
      const perClass = new Table({head: ['label', 'class', ...splits], style: PLAIN});
      for (const c of result.classes) perClass.push([c.label, c.name, ...splits.map((s) => c.counts[s])]);
      this.log(perClass.toString());
    } else {
      this.log(`${result.classes.length} classes: per-class counts are in --json`);
    }
    this.log(summary.toString());
    this.log(`${result.numClasses} classes; list paths are relative to ${result.imageRoot} (set data_source.root to it), separator ${JSON.stringify(result.splitor)}`);
    return result;
  }
}

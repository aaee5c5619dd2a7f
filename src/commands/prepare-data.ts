/** `mixup prepare-data`: writes a dataset's reference list files from its published layout and counts its images. */
import {Flags} from '@oclif/core';
import Table from 'cli-table3';
import {BaseCommand} from '../cli/base-command';
import {shellQuote} from '../config/scripts';
import {DEFAULT_DATA_ROOT, PREPARE_DATASETS, PrepareResult, prepareData} from '../data';

/** Classes beyond which the human output shows a per-split summary instead of one row per class. */
const MAX_CLASS_ROWS = 250;
/** No colour codes: the tables go to logs and docs as they are. */
const PLAIN = {head: [], border: [], compact: true};

export default class PrepareData extends BaseCommand {
  static summary = 'Write the list files (path label) the configs read, from a dataset unpacked in its official layout.';
  static description = `Reads CUB-200-2011, FGVC-Aircraft, iNaturalist 2017/2018 (train20xx.json / val20xx.json), Places205
(trainvalsplit_places205/) or a class-per-folder tree under --root, and writes one list file per split into --out
(names as OpenMixup's data/meta/<dataset>/ lists) plus classes.txt. Reports the images per split and per class.
Without --root and --out the dataset is read from where the generated configs expect it, in OpenMixup's data/ layout
(data/CUB200/CUB_200, data/FGVC_Aircrafts, data/iNaturalist2017, data/iNaturalist2018, data/Place205), and the lists
go to data/meta/<dataset>/; --data-root DIR uses DIR instead of data/ (as gen-configs --data-root DIR does).
Existing files are kept unless --force.`;

  static examples = [
    {command: '<%= config.bin %> prepare-data --dataset cub200', description: 'data/CUB200/CUB_200 -> data/meta/CUB200/train_labeled.txt (5,994) and test_labeled.txt (5,794)'},
    {command: '<%= config.bin %> prepare-data --dataset aircraft --data-root /datasets --json', description: '/datasets/FGVC_Aircrafts -> /datasets/meta/Aircrafts, counts as JSON'},
    {command: '<%= config.bin %> prepare-data --dataset imagefolder --root my_photos --out data/meta/my_photos', description: 'a class-per-folder tree (train/, val/)'},
  ];

  static flags = {
    dataset: Flags.string({description: 'layout of --root', options: [...PREPARE_DATASETS], required: true}),
    root: Flags.string({description: 'directory the dataset was unpacked into [default: <data-root>/CUB200/CUB_200, .../FGVC_Aircrafts, ... (docs/data.md); required for imagefolder]'}),
    out: Flags.string({description: 'directory for the list files, created if missing [default: <data-root>/meta/<CUB200|Aircrafts|iNaturalist2017|iNaturalist2018|Place205>; required for imagefolder]'}),
    'data-root': Flags.string({description: 'the data directory of the defaults of --root and --out (the same as gen-configs --data-root)', default: DEFAULT_DATA_ROOT}),
    force: Flags.boolean({description: 'overwrite list files that already exist', default: false}),
  };

  async run(): Promise<PrepareResult> {
    const {flags} = await this.parse(PrepareData);
    const result = prepareData({dataset: flags.dataset, root: flags.root, out: flags.out, dataRoot: flags['data-root'], force: flags.force});
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
    this.log(`${result.numClasses} classes; list paths are relative to ${result.imageRoot}, separator ${JSON.stringify(result.splitor)}`);
    if (result.configRoot === null) this.log(`set data_source.root to ${result.imageRoot} in your configs`);
    else if (result.matchesConfigs) this.log(`the generated configs read ${result.configRoot}/${flags['data-root'] === DEFAULT_DATA_ROOT ? '' : ` (gen-configs --data-root ${flags['data-root']})`}`);
    else this.warn(`the generated ${result.dataset} configs read ${result.configRoot}/, not ${result.imageRoot}: move the dataset where they look (docs/data.md), or generate the configs with --set ${shellQuote(`data.train.data_source.root=${result.imageRoot}`)} --set ${shellQuote(`data.val.data_source.root=${result.imageRoot}`)}`);
    return result;
  }
}

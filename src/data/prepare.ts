/**
 * `mixup prepare-data`: reads a dataset in its published layout and writes the reference list files the benchmark
 * configs point at (`data/meta/CUB200/train_labeled.txt`, ...), plus `classes.txt` (line i = name of label i), and
 * counts the images per split and per class.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {DEFAULT_DATA_ROOT} from '../config/overrides';
import {dataError, usageError} from '../errors';
import {alreadyExists, writeFileAtomic} from '../io/write';
import {Splitor, formatImageList} from './list-file';
import {readAircraft} from './sources/aircraft';
import {readCub200} from './sources/cub200';
import {folderClasses, readImageFolder} from './sources/image-folder';
import {readINaturalist} from './sources/inaturalist';
import {readPlaces205} from './sources/places205';
import type {Dataset} from './types';

export const PREPARE_DATASETS = ['cub200', 'aircraft', 'inat2017', 'inat2018', 'places205', 'imagefolder'] as const;
export type PrepareDataset = (typeof PREPARE_DATASETS)[number];

/** Where the benchmark configs expect a dataset, relative to the data directory (OpenMixup's `data/`). */
export interface DataLayout {
  /** the unpacked dataset (`--root`'s default): `CUB200/CUB_200` */
  dir: string;
  /** a file that is there when the dataset is unpacked right */
  marker: string;
  /** the directory its lists' paths are relative to: the configs' `data_source.root` */
  images: string;
  /** the list files' directory (`--out`'s default) */
  meta: string;
  /** shell lines that unpack the official archives there, `DATA` standing for the data directory */
  unpack: string;
}

/** The data directory the benchmark configs read from (relative to where the scripts run). */
export {DEFAULT_DATA_ROOT};

/**
 * One layout per benchmark dataset: OpenMixup's (its `data/` tree, read by the templates under
 * `templates/datasets/`; a test checks that both agree). `imagefolder` has none: `--root` and `--out` are needed.
 */
export const DATA_LAYOUTS: Readonly<Record<Exclude<PrepareDataset, 'imagefolder'>, DataLayout>> = {
  cub200: {
    dir: 'CUB200/CUB_200',
    marker: 'images.txt',
    images: 'CUB200/CUB_200/images',
    meta: 'meta/CUB200',
    unpack: 'mkdir -p DATA/CUB200 && tar xzf CUB_200_2011.tgz -C DATA/CUB200 && mv DATA/CUB200/CUB_200_2011 DATA/CUB200/CUB_200',
  },
  aircraft: {
    dir: 'FGVC_Aircrafts',
    marker: 'variants.txt',
    images: 'FGVC_Aircrafts/images',
    meta: 'meta/Aircrafts',
    unpack: 'tar xzf fgvc-aircraft-2013b.tar.gz && mv fgvc-aircraft-2013b/data DATA/FGVC_Aircrafts',
  },
  inat2017: {
    dir: 'iNaturalist2017',
    marker: 'train2017.json',
    images: 'iNaturalist2017',
    meta: 'meta/iNaturalist2017',
    unpack: 'mkdir -p DATA/iNaturalist2017 && tar xzf train_val_images.tar.gz -C DATA/iNaturalist2017 && unzip train_val2017.zip -d DATA/iNaturalist2017',
  },
  inat2018: {
    dir: 'iNaturalist2018',
    marker: 'train2018.json',
    images: 'iNaturalist2018',
    meta: 'meta/iNaturalist2018',
    unpack: 'mkdir -p DATA/iNaturalist2018 && for f in train_val2018.tar.gz train2018.json.tar.gz val2018.json.tar.gz; do tar xzf $f -C DATA/iNaturalist2018; done',
  },
  places205: {
    dir: 'Place205',
    marker: 'trainvalsplit_places205',
    images: 'Place205/images256',
    meta: 'meta/Place205',
    unpack: 'mkdir -p DATA/Place205 && tar xzf trainvalsplit_places205.tar.gz -C DATA/Place205 && tar xzf imagesPlaces205_resize.tar.gz -C DATA/Place205 (then move images256/ up to DATA/Place205/images256 if the archive nests it)',
  },
};

/** `DATA_LAYOUTS[dataset]`'s commands for the data directory `dataRoot`. */
export function unpackCommand(layout: DataLayout, dataRoot: string): string {
  return layout.unpack.replace(/DATA/g, dataRoot);
}

/** `--root` / `--out` after defaults, and the image root the generated configs read. */
export interface ResolvedPaths {
  root: string;
  out: string;
  /** `<data root>/<layout.images>`: what the configs `gen-configs --data-root <data root>` writes read (null for imagefolder) */
  configRoot: string | null;
}

/**
 * Applies the defaults of `prepare-data`: `--root` = `<dataRoot>/<layout.dir>`, `--out` = `<dataRoot>/<layout.meta>`.
 * @throws MixupError (usage) for imagefolder without --root/--out; (data) when the default root is not there, with
 *   the commands that unpack the archives into it
 */
export function resolvePreparePaths(dataset: PrepareDataset, opts: {root?: string; out?: string; dataRoot?: string}): ResolvedPaths {
  const dataRoot = opts.dataRoot ?? DEFAULT_DATA_ROOT;
  if (dataset === 'imagefolder') {
    if (opts.root === undefined || opts.out === undefined) throw usageError('prepare-data --dataset imagefolder needs --root (the class-per-folder tree) and --out (where the lists go)');
    return {root: opts.root, out: opts.out, configRoot: null};
  }
  const layout = DATA_LAYOUTS[dataset];
  const root = opts.root ?? path.join(dataRoot, layout.dir);
  if (opts.root === undefined && !fs.existsSync(path.join(root, layout.marker))) {
    throw dataError(`${path.join(root, layout.marker)} not found: the ${dataset} configs read the dataset from ${root}/ (data directory ${dataRoot})`, {
      suggestions: [`Unpack the official archives there: ${unpackCommand(layout, dataRoot)}`, 'or pass --root DIR (where it is unpacked) / --data-root DIR (another data directory); see docs/data.md'],
    });
  }
  return {root, out: opts.out ?? path.join(dataRoot, layout.meta), configRoot: path.join(dataRoot, layout.images)};
}

/** One split to write: its name, the list file's name and how to read it. */
interface SplitSpec {
  split: string;
  fileName: string;
  read: () => Dataset;
}

/** What `prepareData` wrote and counted. */
export interface PrepareResult {
  dataset: PrepareDataset;
  root: string;
  out: string;
  /** Directory the listed paths are relative to: the configs' `data_source.root`. */
  imageRoot: string;
  /** The `data_source.root` the generated configs read (`gen-configs --data-root <data root>`); null for imagefolder. */
  configRoot: string | null;
  /** imageRoot is configRoot, so the generated configs find the images (always true for imagefolder) */
  matchesConfigs: boolean;
  splitor: Splitor;
  numClasses: number;
  splits: Array<{split: string; file: string; count: number}>;
  /** Per class: label, name and image count in each split. */
  classes: Array<{label: number; name: string; counts: Record<string, number>}>;
  files: string[];
}

function imageFolderSplits(root: string): SplitSpec[] {
  const present = ['train', 'val', 'test'].filter((s) => fs.existsSync(path.join(root, s)) && fs.statSync(path.join(root, s)).isDirectory());
  if (present.length === 0) return [{split: 'train', fileName: 'train_labeled.txt', read: () => readImageFolder(root)}];
  const classes = folderClasses(path.join(root, present[0]));
  // paths relative to `root` (`train/cat/1.jpg`) so that every split's list shares one data_source.root
  const read = (split: string): Dataset => {
    const d = readImageFolder(path.join(root, split), classes);
    return {...d, root, samples: d.samples.map((s) => ({...s, file: `${split}/${s.file}`}))};
  };
  return present.map((split) => ({split, fileName: `${split}_labeled.txt`, read: () => read(split)}));
}

/** C0 and C1 control characters, DEL and the Unicode line/paragraph separators: they would break a list's lines. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** `text`, JSON-quoted when it holds a control character (so the character shows). */
function shown(text: string): string {
  return CONTROL.test(text) ? JSON.stringify(text) : text;
}

/** `U+000A` for the first control character of `text`. */
function firstControl(text: string): string {
  const c = CONTROL.exec(text)![0];
  return `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Refuses image paths and class names holding control characters: a list file has one `path label` entry per line
 * and classes.txt one name per line, so a newline (or a tab, escape, ...) in a name would corrupt or forge entries.
 * @throws MixupError (data) naming the entry (JSON-quoted, so the character is visible) and where it came from.
 */
function checkNames(data: Dataset, split: string): void {
  for (const s of data.samples) {
    if (CONTROL.test(s.file)) {
      throw dataError(`${shown(s.where)}: image path ${JSON.stringify(s.file)} (${split}) contains the control character ${firstControl(s.file)}; list files hold one entry per line, so rename the file`);
    }
  }
  data.classNames?.forEach((name, label) => {
    if (CONTROL.test(name)) throw dataError(`${shown(data.description)}: class ${label} name ${JSON.stringify(name)} contains the control character ${firstControl(name)}; classes.txt holds one name per line, so rename the class`);
  });
}

/** The splits of each dataset, named as in OpenMixup's `data/meta/<dataset>/` lists. */
function splitSpecs(dataset: PrepareDataset, root: string): {splitor: Splitor; specs: SplitSpec[]} {
  const inat = (year: number): SplitSpec[] =>
    ['train', 'val'].map((split) => ({
      split,
      fileName: `${split}${year}_classification.txt`,
      read: () => readINaturalist(path.join(root, `${split}${year}.json`), root),
    }));
  switch (dataset) {
    case 'cub200':
      return {splitor: ' ', specs: (['train', 'test'] as const).map((split) => ({split, fileName: `${split}_labeled.txt`, read: () => readCub200(root, split)}))};
    case 'aircraft':
      return {
        splitor: ' ',
        specs: [
          {split: 'trainval', fileName: 'train_labeled.txt', read: () => readAircraft(root, 'trainval')},
          {split: 'test', fileName: 'test_labeled.txt', read: () => readAircraft(root, 'test')},
        ],
      };
    case 'inat2017':
      return {splitor: ',', specs: inat(2017)};
    case 'inat2018':
      return {splitor: ',', specs: inat(2018)};
    case 'places205':
      return {
        splitor: ' ',
        specs: [
          {split: 'train', fileName: 'train_labeled_places205_full.txt', read: () => readPlaces205(root, 'train')},
          {split: 'val', fileName: 'val_labeled_places205.txt', read: () => readPlaces205(root, 'val')},
        ],
      };
    case 'imagefolder':
      return {splitor: ' ', specs: imageFolderSplits(root)};
  }
}

/**
 * Reads every split of `dataset` under `root` and writes its list files into `out` (atomically; existing files are
 * kept unless `force`); `root` and `out` default to the dataset's place in the data directory `dataRoot` (`data`,
 * see `DATA_LAYOUTS`). Nothing is written when a split fails to read, a name holds a control character, or a
 * target exists.
 * @throws MixupError (usage) for an unknown dataset or imagefolder without root/out, (data) for a missing default
 *   root (with the unpack commands) or a malformed layout or a control character in an
 *   image path or class name, (io) for an existing file.
 */
export function prepareData(input: {dataset: string; root?: string; out?: string; dataRoot?: string; force?: boolean}): PrepareResult {
  const dataset = input.dataset as PrepareDataset;
  if (!PREPARE_DATASETS.includes(dataset)) throw usageError(`unknown dataset ${JSON.stringify(input.dataset)}; known: ${PREPARE_DATASETS.join(', ')}`);
  const opts = {...resolvePreparePaths(dataset, input), force: input.force};
  const {splitor, specs} = splitSpecs(dataset, opts.root);
  const read = specs.map((spec) => ({spec, data: spec.read()}));
  for (const {spec, data} of read) checkNames(data, spec.split);
  const files = [...read.map(({spec}) => path.join(opts.out, spec.fileName)), path.join(opts.out, 'classes.txt')];
  const existing = files.filter((f) => fs.existsSync(f));
  if (existing.length > 0 && !opts.force) throw alreadyExists(existing);
  let numClasses = 0;
  for (const {data} of read) {
    numClasses = Math.max(numClasses, data.numClasses ?? 0, data.classNames?.length ?? 0);
    for (const s of data.samples) numClasses = Math.max(numClasses, s.label + 1);
  }
  const names: string[] = Array.from({length: numClasses}, (_, i) => read.map(({data}) => data.classNames?.[i]).find((n) => n !== undefined) ?? String(i));
  const classes = names.map((name, label) => ({label, name, counts: {} as Record<string, number>}));
  for (const {spec, data} of read) {
    for (const c of classes) c.counts[spec.split] = 0;
    for (const s of data.samples) classes[s.label].counts[spec.split]++;
  }
  read.forEach(({data}, i) => writeFileAtomic(files[i], formatImageList(data.samples, splitor), {overwrite: true}));
  writeFileAtomic(files[files.length - 1], names.map((n) => `${n}\n`).join(''), {overwrite: true});
  return {
    dataset,
    root: opts.root,
    out: opts.out,
    imageRoot: read[0].data.root,
    configRoot: opts.configRoot,
    matchesConfigs: opts.configRoot === null || path.resolve(opts.configRoot) === path.resolve(read[0].data.root),
    splitor,
    numClasses,
    splits: read.map(({spec, data}, i) => ({split: spec.split, file: files[i], count: data.samples.length})),
    classes,
    files,
  };
}

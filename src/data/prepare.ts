/**
 * `mixup prepare-data`: reads a dataset in its published layout and writes the reference list files the benchmark
 * configs point at (`data/meta/CUB200/train_labeled.txt`, ...), plus `classes.txt` (line i = name of label i), and
 * counts the images per split and per class.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
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
 * kept unless `force`). Nothing is written when a split fails to read, a name holds a control character, or a
 * target exists.
 * @throws MixupError (usage) for an unknown dataset, (data) for a malformed layout or a control character in an
 *   image path or class name, (io) for an existing file.
 */
export function prepareData(opts: {dataset: string; root: string; out: string; force?: boolean}): PrepareResult {
  const dataset = opts.dataset as PrepareDataset;
  if (!PREPARE_DATASETS.includes(dataset)) throw usageError(`unknown dataset ${JSON.stringify(opts.dataset)}; known: ${PREPARE_DATASETS.join(', ')}`);
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
    splitor,
    numClasses,
    splits: read.map(({spec, data}, i) => ({split: spec.split, file: files[i], count: data.samples.length})),
    classes,
    files,
  };
}

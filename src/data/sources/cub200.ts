/**
 * CUB-200-2011 in its published layout (Wah et al., Caltech-UCSD Birds-200-2011, 2011):
 * `images.txt` (`<image_id> <class_dir/file.jpg>`), `image_class_labels.txt` (`<image_id> <class_id>`, 1-based),
 * `train_test_split.txt` (`<image_id> <1 = train, 0 = test>`), `classes.txt` (`<class_id> <name>`) and `images/`.
 * The full dataset has 200 classes, 5,994 train and 5,794 test images. Labels become `class_id - 1`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {dataError, showValue} from '../../errors';
import {Fields, checkKnownKeys, optEnum, reqString} from '../fields';
import {Line, parseIntField, readLines, splitFirst} from '../list-file';
import type {Dataset} from '../types';

export const CUB_SPLITS = ['train', 'test'] as const;
export type CubSplit = (typeof CUB_SPLITS)[number];

/** `root` may be the `CUB_200_2011` directory or the directory holding it. */
function resolveRoot(root: string): string {
  const nested = path.join(root, 'CUB_200_2011');
  if (!fs.existsSync(path.join(root, 'images.txt')) && fs.existsSync(path.join(nested, 'images.txt'))) return nested;
  return root;
}

/** Reads `<id> <value>` lines into a map, rejecting duplicate ids. */
function readIdTable(file: string, what: string, expected: string): Map<number, {value: string; line: Line}> {
  const table = new Map<number, {value: string; line: Line}>();
  for (const line of readLines(file, what)) {
    const [idText, value] = splitFirst(line, ' ', file, expected);
    const id = parseIntField(idText, file, line, 'id');
    if (table.has(id)) throw dataError(`${file}:${line.lineNo}: duplicate id ${id} (first at line ${table.get(id)!.line.lineNo})`);
    table.set(id, {value, line});
  }
  return table;
}

/**
 * Reads one split of CUB-200-2011.
 * @throws MixupError (data) for a missing file, a malformed line (with its number), an image without a label or split
 *   entry, or a class id outside `classes.txt`.
 */
export function readCub200(rootArg: string, split: CubSplit): Dataset {
  const root = resolveRoot(rootArg);
  const f = (name: string) => path.join(root, name);
  const classes = readIdTable(f('classes.txt'), 'CUB-200 classes.txt', '<class_id> <name>');
  const images = readIdTable(f('images.txt'), 'CUB-200 images.txt', '<image_id> <path>');
  const labels = readIdTable(f('image_class_labels.txt'), 'CUB-200 image_class_labels.txt', '<image_id> <class_id>');
  const splits = readIdTable(f('train_test_split.txt'), 'CUB-200 train_test_split.txt', '<image_id> <is_training_image>');
  const numClasses = classes.size;
  const classNames: string[] = [];
  for (const [id, {value, line}] of classes) {
    if (id < 1 || id > numClasses) throw dataError(`${f('classes.txt')}:${line.lineNo}: class id must be in [1, ${numClasses}], got ${id}`);
    classNames[id - 1] = value;
  }
  const wantTrain = split === 'train' ? '1' : '0';
  const samples: Dataset['samples'] = [];
  for (const [id, {value: rel}] of images) {
    const label = labels.get(id);
    if (!label) throw dataError(`${f('image_class_labels.txt')}: no class for image id ${id} (${rel})`);
    const isTrain = splits.get(id);
    if (!isTrain) throw dataError(`${f('train_test_split.txt')}: no split for image id ${id} (${rel})`);
    if (isTrain.value !== '0' && isTrain.value !== '1') {
      throw dataError(`${f('train_test_split.txt')}:${isTrain.line.lineNo}: is_training_image must be 0 or 1, got ${showValue(isTrain.value)}`);
    }
    const where = `${f('image_class_labels.txt')}:${label.line.lineNo}`;
    const classId = parseIntField(label.value, f('image_class_labels.txt'), label.line, 'class id');
    if (classId < 1 || classId > numClasses) throw dataError(`${where}: class id must be in [1, ${numClasses}] (classes.txt), got ${classId}`);
    if (isTrain.value === wantTrain) samples.push({file: rel, label: classId - 1, where});
  }
  return {description: `CUB200 ${split} (${root})`, root: path.join(root, 'images'), samples, numClasses, classNames, listFile: f('images.txt')};
}

/** `data_source: {type: "CUB200", root, split?: "train"|"test"}` (split defaults to the loader's: val -> test). */
export function cub200Source(f: Fields, loaderSplit: 'train' | 'val'): Dataset {
  checkKnownKeys(f, ['type', 'root', 'split']);
  return readCub200(reqString(f, 'root'), optEnum(f, 'split', CUB_SPLITS, loaderSplit === 'train' ? 'train' : 'test'));
}

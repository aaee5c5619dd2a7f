/**
 * The reference list data source: `data_source: {type: "ImageList", root, list_file, splitor?: " "}` (OpenMixup's
 * `ImageList`; `ImageNet` is accepted as its space-separated alias, as the benchmark's CUB/Aircraft/Places configs use it).
 * Class names come from `classes.txt` beside the list file when there is one (line i = name of label i, as
 * `mixup prepare-data` writes it); they label `mixup test`'s per-class results.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {usageError, showValue} from '../../errors';
import {Fields, checkKnownKeys, optString, reqString} from '../fields';
import {SPLITORS, Splitor, readImageList, readLines} from '../list-file';
import type {Dataset} from '../types';

/** Builds a dataset from a reference list file; paths are joined to `root` (default: the current directory). */
export function imageListSource(f: Fields): Dataset {
  checkKnownKeys(f, ['type', 'root', 'list_file', 'splitor', 'return_label']);
  const splitor = (f.obj.splitor ?? ' ') as Splitor;
  if (!SPLITORS.includes(splitor)) {
    throw usageError(`${f.at}.splitor must be one of ${SPLITORS.map((s) => JSON.stringify(s)).join(', ')}, got ${showValue(f.obj.splitor)}`);
  }
  const listFile = reqString(f, 'list_file');
  const root = optString(f, 'root') ?? '';
  const classesFile = path.join(path.dirname(listFile), 'classes.txt');
  const classNames = fs.existsSync(classesFile) ? readLines(classesFile, 'class names file').map((l) => l.text) : undefined;
  return {description: `ImageList ${listFile}`, root, samples: readImageList(listFile, splitor), listFile, ...(classNames ? {classNames} : {})};
}

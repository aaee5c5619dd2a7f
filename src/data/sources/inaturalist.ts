/**
 * iNaturalist 2017 / 2018 annotation files (`train2017.json`, `val2017.json`, `train2018.json`, `val2018.json`,
 * COCO-style): `images: [{id, file_name}]`, `annotations: [{image_id, category_id}]`, `categories: [{id, name}]`.
 * `file_name` is relative to the directory the archives were unpacked in. Labels are the categories' positions in
 * id order (the published ids are already 0..K-1: 5,089 classes in 2017, 8,142 in 2018).
 */
import * as path from 'node:path';
import {dataError, MISSING_VALUE, showValue} from '../../errors';
import {Fields, checkKnownKeys, reqString} from '../fields';
import {readText} from '../list-file';
import type {Dataset, Sample} from '../types';

function parseJson(file: string): Record<string, unknown> {
  const text = readText(file, 'iNaturalist annotation file');
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch (error) {
    throw dataError(`${file}: not valid JSON: ${(error as Error).message}`, {cause: error});
  }
  throw dataError(`${file}: expected a JSON object with images, annotations and categories`);
}

function arrayField(json: Record<string, unknown>, key: string, file: string): Record<string, unknown>[] {
  const v = json[key];
  if (!Array.isArray(v)) throw dataError(`${file}: "${key}" must be an array, got ${v === undefined ? MISSING_VALUE : typeof v}`);
  return v as Record<string, unknown>[];
}

/**
 * Reads an iNaturalist annotation file; image paths are relative to `root`.
 * @throws MixupError (data) naming the file and the entry index for a malformed entry, an image without annotation,
 *   or an annotation whose category is not listed.
 */
export function readINaturalist(annFile: string, root: string): Dataset {
  const json = parseJson(annFile);
  const categories = arrayField(json, 'categories', annFile);
  const ids = categories.map((c, i) => {
    if (!Number.isInteger(c.id)) throw dataError(`${annFile}: categories[${i}].id must be an integer, got ${showValue(c.id)}`);
    return c.id as number;
  });
  const order = ids.map((id, i) => ({id, name: String(categories[i].name ?? id)})).sort((a, b) => a.id - b.id);
  const labelOf = new Map(order.map((c, i) => [c.id, i]));
  const labelByImage = new Map<unknown, number>();
  arrayField(json, 'annotations', annFile).forEach((a, i) => {
    const label = labelOf.get(a.category_id as number);
    if (label === undefined) throw dataError(`${annFile}: annotations[${i}].category_id ${JSON.stringify(a.category_id)} is not in categories`);
    labelByImage.set(a.image_id, label);
  });
  const samples: Sample[] = arrayField(json, 'images', annFile).map((img, i) => {
    if (typeof img.file_name !== 'string') throw dataError(`${annFile}: images[${i}].file_name must be a string, got ${showValue(img.file_name)}`);
    const label = labelByImage.get(img.id);
    if (label === undefined) throw dataError(`${annFile}: images[${i}] (id ${JSON.stringify(img.id)}) has no annotation`);
    return {file: img.file_name, label, where: `${annFile}: images[${i}]`};
  });
  return {description: `iNaturalist ${path.basename(annFile)} (${root})`, root, samples, numClasses: order.length, classNames: order.map((c) => c.name), listFile: annFile};
}

/** `data_source: {type: "INaturalist", root, ann_file}`; a relative `ann_file` is taken inside `root`. */
export function inaturalistSource(f: Fields): Dataset {
  checkKnownKeys(f, ['type', 'root', 'ann_file']);
  const root = reqString(f, 'root');
  return readINaturalist(path.resolve(root, reqString(f, 'ann_file')), root);
}

/**
 * Places205 in its published layout (Zhou et al., "Learning Deep Features for Scene Recognition using Places
 * Database", 2014): `trainvalsplit_places205/{train,val}_places205.csv` hold `a/abbey/xxx.jpg <label>` lines
 * (space-separated, 0-based labels, 205 classes) relative to `images256/`.
 */
import * as path from 'node:path';
import {Fields, checkKnownKeys, optEnum, reqString} from '../fields';
import {readImageList} from '../list-file';
import type {Dataset} from '../types';

export const PLACES_SPLITS = ['train', 'val'] as const;
export type PlacesSplit = (typeof PLACES_SPLITS)[number];

/** Class name from a Places path: `a/abbey/x.jpg` -> `abbey`, `b/bridge/outdoor/x.jpg` -> `bridge/outdoor`. */
function className(file: string): string {
  const parts = file.split('/');
  return parts.slice(1, -1).join('/') || parts[0];
}

/** Reads one split of Places205; class names come from the first path seen for each label. */
export function readPlaces205(root: string, split: PlacesSplit): Dataset {
  const listFile = path.join(root, 'trainvalsplit_places205', `${split}_places205.csv`);
  const samples = readImageList(listFile, ' ');
  const classNames: string[] = [];
  for (const s of samples) classNames[s.label] ??= className(s.file);
  return {description: `Places205 ${split} (${root})`, root: path.join(root, 'images256'), samples, classNames, listFile};
}

/** `data_source: {type: "Places205", root, split?}` (split defaults to the loader's). */
export function places205Source(f: Fields, loaderSplit: 'train' | 'val'): Dataset {
  checkKnownKeys(f, ['type', 'root', 'split']);
  return readPlaces205(reqString(f, 'root'), optEnum(f, 'split', PLACES_SPLITS, loaderSplit));
}

/**
 * FGVC-Aircraft in its published layout (Maji et al., "Fine-Grained Visual Classification of Aircraft", 2013):
 * `data/images_<level>_<split>.txt` (`<image_id> <class name, may contain spaces>`), the class lists
 * `data/variants.txt` / `families.txt` / `manufacturers.txt` (100 / 70 / 30 classes, line order = label) and
 * `data/images/<image_id>.jpg`. The images carry a 20-pixel copyright banner at the bottom, which the dataset's
 * README says to remove; `crop_banner: true` does so (off by default, as in OpenMixup).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {dataError} from '../../errors';
import {Fields, checkKnownKeys, optBool, optEnum, reqString} from '../fields';
import {readLines, splitFirst} from '../list-file';
import type {Dataset} from '../types';

export const AIRCRAFT_SPLITS = ['train', 'val', 'trainval', 'test'] as const;
export type AircraftSplit = (typeof AIRCRAFT_SPLITS)[number];
export const AIRCRAFT_LEVELS = ['variant', 'family', 'manufacturer'] as const;
export type AircraftLevel = (typeof AIRCRAFT_LEVELS)[number];
/** Height of the copyright banner at the bottom of every FGVC-Aircraft image. */
export const AIRCRAFT_BANNER_PX = 20;

const CLASS_FILES: Record<AircraftLevel, string> = {variant: 'variants.txt', family: 'families.txt', manufacturer: 'manufacturers.txt'};

/** `root` may be `fgvc-aircraft-2013b` or its `data` directory. */
function resolveDataDir(root: string): string {
  return fs.existsSync(path.join(root, 'data', 'variants.txt')) ? path.join(root, 'data') : root;
}

/**
 * Reads one split of FGVC-Aircraft at one class level.
 * @throws MixupError (data) for a missing file, a malformed line, or a class name missing from the class list.
 */
export function readAircraft(root: string, split: AircraftSplit, level: AircraftLevel = 'variant', cropBanner = false): Dataset {
  const dataDir = resolveDataDir(root);
  const classFile = path.join(dataDir, CLASS_FILES[level]);
  const classNames = readLines(classFile, `FGVC-Aircraft ${CLASS_FILES[level]}`).map((l) => l.text);
  const index = new Map(classNames.map((name, i) => [name, i]));
  const listFile = path.join(dataDir, `images_${level}_${split}.txt`);
  const samples = readLines(listFile, `FGVC-Aircraft ${split} list`).map((line) => {
    const [id, name] = splitFirst(line, ' ', listFile, `<image_id> <${level}>`);
    const label = index.get(name);
    if (label === undefined) throw dataError(`${listFile}:${line.lineNo}: ${level} ${JSON.stringify(name)} is not in ${classFile}`);
    return {file: `${id}.jpg`, label, where: `${listFile}:${line.lineNo}`};
  });
  return {
    description: `Aircraft ${split} (${level}, ${dataDir})`,
    root: path.join(dataDir, 'images'),
    samples,
    numClasses: classNames.length,
    classNames,
    cropBottom: cropBanner ? AIRCRAFT_BANNER_PX : 0,
    listFile,
  };
}

/** `data_source: {type: "Aircraft", root, split?, level?: "variant", crop_banner?: false}` (val -> test by default). */
export function aircraftSource(f: Fields, loaderSplit: 'train' | 'val'): Dataset {
  checkKnownKeys(f, ['type', 'root', 'split', 'level', 'crop_banner']);
  return readAircraft(
    reqString(f, 'root'),
    optEnum(f, 'split', AIRCRAFT_SPLITS, loaderSplit === 'train' ? 'trainval' : 'test'),
    optEnum(f, 'level', AIRCRAFT_LEVELS, 'variant'),
    optBool(f, 'crop_banner', false),
  );
}

/**
 * A plain class-per-folder tree (torchvision's `ImageFolder`): `root/<class>/.../<image>`; classes are the
 * sub-directory names in sorted order, labels their positions. Files are found recursively; only image extensions
 * are kept.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {dataError} from '../../errors';
import {Fields, checkKnownKeys, reqString} from '../fields';
import type {Dataset, Sample} from '../types';

/** Extensions ImageFolder keeps (lower case). */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.bmp', '.tif', '.tiff'];

function listImages(dir: string, rel: string, out: string[]): void {
  for (const entry of fs.readdirSync(dir, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const relPath = `${rel}/${entry.name}`;
    if (entry.isDirectory()) listImages(path.join(dir, entry.name), relPath, out);
    else if (IMAGE_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) out.push(relPath);
  }
}

/** Sub-directory names of `root`, sorted: the class list. */
export function folderClasses(root: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(root, {withFileTypes: true});
  } catch (error) {
    throw dataError(`${root}: cannot read image folder: ${(error as Error).message}`, {cause: error});
  }
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/**
 * Reads a class-per-folder tree. `classes` fixes the class list (so a val folder gets the train folder's labels).
 * @throws MixupError (data) when the root is unreadable, has no class folder or no image, or has a folder not in `classes`.
 */
export function readImageFolder(root: string, classes?: readonly string[]): Dataset {
  const found = folderClasses(root);
  const classNames = classes ? [...classes] : found;
  if (classNames.length === 0) throw dataError(`${root}: no class sub-directories (expected root/<class>/<image>)`);
  const samples: Sample[] = [];
  for (const name of found) {
    const label = classNames.indexOf(name);
    if (label < 0) throw dataError(`${path.join(root, name)}: class folder is not among the ${classNames.length} training classes`);
    const files: string[] = [];
    listImages(path.join(root, name), name, files);
    for (const file of files) samples.push({file, label, where: path.join(root, file)});
  }
  if (samples.length === 0) throw dataError(`${root}: no images found (extensions ${IMAGE_EXTENSIONS.join(' ')})`);
  return {description: `ImageFolder (${root})`, root, samples, numClasses: classNames.length, classNames};
}

/** `data_source: {type: "ImageFolder", root}`. */
export function imageFolderSource(f: Fields): Dataset {
  checkKnownKeys(f, ['type', 'root']);
  return readImageFolder(reqString(f, 'root'));
}

/** Fixture builders for the data tests: tiny images and fake copies of each dataset's published layout in a temp dir. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';

/** A fresh temp directory, removed by `cleanup`. */
export function tempDir(prefix = 'mixup-data-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function cleanup(dir: string): void {
  fs.rmSync(dir, {recursive: true, force: true});
}

/** Writes `text` to `file`, creating directories. */
export function writeText(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), {recursive: true});
  fs.writeFileSync(file, text);
}

/** A `width`×`height` image: left half colour `rgb`, right half its complement (so flips and crops are visible). */
export async function writeImage(file: string, width: number, height: number, rgb: [number, number, number], format: 'jpeg' | 'png' = 'jpeg'): Promise<void> {
  fs.mkdirSync(path.dirname(file), {recursive: true});
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) data[o + c] = x < width / 2 ? rgb[c] : 255 - rgb[c];
    }
  }
  const img = sharp(data, {raw: {width, height, channels: 3}});
  await (format === 'png' ? img.png() : img.jpeg({quality: 95})).toFile(file);
}

/** Class colour for fixtures. */
export function colour(label: number): [number, number, number] {
  return [(label * 80) % 256, (label * 140 + 40) % 256, (label * 30 + 200) % 256];
}

/**
 * Fake CUB_200_2011: `classes` classes, each with `train` + `test` images (ids 1-based, split alternating train
 * first). Returns the root.
 */
export async function makeCub(dir: string, classes = 3, train = 2, test = 1): Promise<string> {
  const root = path.join(dir, 'CUB_200_2011');
  const images: string[] = [];
  const labels: string[] = [];
  const split: string[] = [];
  let id = 0;
  for (let c = 1; c <= classes; c++) {
    for (let k = 0; k < train + test; k++) {
      id++;
      const rel = `${String(c).padStart(3, '0')}.Bird_${c}/Bird_${c}_${k}.jpg`;
      images.push(`${id} ${rel}`);
      labels.push(`${id} ${c}`);
      split.push(`${id} ${k < train ? 1 : 0}`);
      await writeImage(path.join(root, 'images', rel), 40, 30, colour(c - 1));
    }
  }
  writeText(path.join(root, 'classes.txt'), Array.from({length: classes}, (_, i) => `${i + 1} ${String(i + 1).padStart(3, '0')}.Bird_${i + 1}`).join('\n') + '\n');
  writeText(path.join(root, 'images.txt'), images.join('\n') + '\n');
  writeText(path.join(root, 'image_class_labels.txt'), labels.join('\n') + '\n');
  writeText(path.join(root, 'train_test_split.txt'), split.join('\n') + '\n');
  return root;
}

/** Fake fgvc-aircraft-2013b with variant names containing spaces; returns the root. */
export async function makeAircraft(dir: string): Promise<string> {
  const root = path.join(dir, 'fgvc-aircraft-2013b');
  const data = path.join(root, 'data');
  const variants = ['707-320', 'A300B4', 'Cessna 172'];
  writeText(path.join(data, 'variants.txt'), variants.join('\n') + '\n');
  const splits: Record<string, string[]> = {train: [], val: [], test: []};
  let id = 1000000;
  for (const [label, name] of variants.entries()) {
    for (const split of ['train', 'val', 'test', 'test']) {
      id++;
      splits[split].push(`${id} ${name}`);
      await writeImage(path.join(data, 'images', `${id}.jpg`), 40, 50, colour(label));
    }
  }
  for (const [split, lines] of Object.entries(splits)) writeText(path.join(data, `images_variant_${split}.txt`), lines.join('\n') + '\n');
  writeText(path.join(data, 'images_variant_trainval.txt'), [...splits.train, ...splits.val].join('\n') + '\n');
  return root;
}

/** Fake iNaturalist root with `train<year>.json` / `val<year>.json` (category ids 0..2); returns the root. */
export async function makeINat(dir: string, year: number): Promise<string> {
  const root = path.join(dir, `inat${year}`);
  const categories = [0, 1, 2].map((id) => ({id, name: `Species ${id}`}));
  let imageId = 0;
  for (const [split, perClass] of [['train', 2], ['val', 1]] as const) {
    const images: Array<{id: number; file_name: string}> = [];
    const annotations: Array<{image_id: number; category_id: number}> = [];
    for (const c of categories) {
      for (let k = 0; k < perClass; k++) {
        imageId++;
        const file = `train_val_images/Plantae/Species ${c.id}/${imageId}.jpg`;
        images.push({id: imageId, file_name: file});
        annotations.push({image_id: imageId, category_id: c.id});
        await writeImage(path.join(root, file), 30, 30, colour(c.id));
      }
    }
    writeText(path.join(root, `${split}${year}.json`), JSON.stringify({images, annotations, categories}));
  }
  return root;
}

/** Fake Places205 root (`images256/` + `trainvalsplit_places205/`); returns the root. */
export async function makePlaces(dir: string): Promise<string> {
  const root = path.join(dir, 'places205');
  const classes = ['a/abbey', 'b/bridge/outdoor'];
  for (const split of ['train', 'val']) {
    const lines: string[] = [];
    for (const [label, cls] of classes.entries()) {
      const file = `${cls}/${split}_${label}.jpg`;
      lines.push(`${file} ${label}`);
      await writeImage(path.join(root, 'images256', file), 32, 32, colour(label));
    }
    writeText(path.join(root, 'trainvalsplit_places205', `${split}_places205.csv`), lines.join('\n') + '\n');
  }
  return root;
}

/** Class-per-folder tree `root/<split>/<class>/<i>.png`; returns the root. */
export async function makeImageFolder(dir: string, splits = ['train', 'val'], classes = ['cat', 'dog'], perClass = 2): Promise<string> {
  const root = path.join(dir, 'folder');
  for (const split of splits) {
    for (const [label, cls] of classes.entries()) {
      for (let k = 0; k < perClass; k++) await writeImage(path.join(root, split, cls, `${k}.png`), 20, 20, colour(label), 'png');
    }
  }
  return root;
}

/** IDX bytes (MNIST's format): magic `00 00 <type> <ndims>`, big-endian uint32 sizes, then the values. */
export function idxBytes(dims: number[], values: number[], type = 0x08): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = type;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(values)]);
}

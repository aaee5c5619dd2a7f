import {promises as fs} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import {demoImages, folderImages} from '../../src/render/images';

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
});

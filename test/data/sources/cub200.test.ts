import * as fs from 'node:fs';
import * as path from 'node:path';
import {readCub200} from '../../../src/data/sources/cub200';
import {asFields} from '../../../src/data/fields';
import {cub200Source} from '../../../src/data/sources/cub200';
import {cleanup, makeCub, tempDir} from '../helpers';

let dir: string;
let root: string;
beforeAll(async () => {
  dir = tempDir();
  root = await makeCub(dir, 3, 2, 1);
});
afterAll(() => cleanup(dir));

describe('readCub200', () => {
  it('splits by train_test_split.txt and turns 1-based class ids into 0-based labels', () => {
    const train = readCub200(root, 'train');
    const test = readCub200(root, 'test');
    expect(train.samples.map((s) => s.label)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(test.samples.map((s) => [s.file, s.label])).toEqual([
      ['001.Bird_1/Bird_1_2.jpg', 0],
      ['002.Bird_2/Bird_2_2.jpg', 1],
      ['003.Bird_3/Bird_3_2.jpg', 2],
    ]);
    expect(train.numClasses).toBe(3);
    expect(train.classNames).toEqual(['001.Bird_1', '002.Bird_2', '003.Bird_3']);
    expect(train.root).toBe(path.join(root, 'images'));
    expect(train.samples.every((s) => fs.existsSync(path.join(train.root, s.file)))).toBe(true);
  });

  it('accepts the directory holding CUB_200_2011 and defaults val to test', () => {
    expect(readCub200(dir, 'test').samples).toHaveLength(3);
    expect(cub200Source(asFields({type: 'CUB200', root}, 'data.val.data_source'), 'val').description).toMatch(/^CUB200 test/);
    expect(() => cub200Source(asFields({type: 'CUB200', root, split: 'val'}, 'data.val.data_source'), 'val')).toThrow(
      'data.val.data_source.split must be one of "train", "test", got "val"',
    );
  });

  describe('errors', () => {
    let broken: string;
    beforeEach(() => {
      broken = path.join(dir, `broken-${Math.random().toString(36).slice(2)}`);
      fs.cpSync(root, broken, {recursive: true});
    });

    it('names a missing file', () => {
      fs.rmSync(path.join(broken, 'train_test_split.txt'));
      expect(() => readCub200(broken, 'train')).toThrow(`${path.join(broken, 'train_test_split.txt')}: cannot read CUB-200 train_test_split.txt: file not found`);
    });

    it('names a bad line with its number', () => {
      fs.appendFileSync(path.join(broken, 'image_class_labels.txt'), 'x7 2\n');
      expect(() => readCub200(broken, 'train')).toThrow(`${path.join(broken, 'image_class_labels.txt')}:10: id must be an integer, got "x7"`);
    });

    it('rejects a class id outside classes.txt', () => {
      const file = path.join(broken, 'image_class_labels.txt');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^2 1$/m, '2 4'));
      expect(() => readCub200(broken, 'train')).toThrow(`${file}:2: class id must be in [1, 3] (classes.txt), got 4`);
    });

    it('rejects an image without a label', () => {
      const file = path.join(broken, 'image_class_labels.txt');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^5 2\n/m, ''));
      expect(() => readCub200(broken, 'train')).toThrow(`${file}: no class for image id 5 (002.Bird_2/Bird_2_1.jpg)`);
    });
  });
});

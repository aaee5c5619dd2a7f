import * as fs from 'node:fs';
import * as path from 'node:path';
import {readPlaces205} from '../../../src/data/sources/places205';
import {cleanup, makePlaces, tempDir} from '../helpers';

let dir: string;
let root: string;
beforeAll(async () => {
  dir = tempDir();
  root = await makePlaces(dir);
});
afterAll(() => cleanup(dir));

describe('readPlaces205', () => {
  it('reads the csv lists relative to images256 and names classes from the paths', () => {
    const val = readPlaces205(root, 'val');
    expect(val.samples.map((s) => [s.file, s.label])).toEqual([['a/abbey/val_0.jpg', 0], ['b/bridge/outdoor/val_1.jpg', 1]]);
    expect(val.classNames).toEqual(['abbey', 'bridge/outdoor']);
    expect(fs.existsSync(path.join(val.root, val.samples[1].file))).toBe(true);
  });

  it('names a wrong separator with its line', () => {
    const file = path.join(root, 'trainvalsplit_places205', 'train_places205.csv');
    fs.writeFileSync(file, 'a/abbey/x.jpg 0\na/abbey/y.jpg;0\n');
    expect(() => readPlaces205(root, 'train')).toThrow(`${file}:2: no " " separator in "a/abbey/y.jpg;0"; found ";" instead`);
  });
});

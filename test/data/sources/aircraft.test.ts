import * as fs from 'node:fs';
import * as path from 'node:path';
import {readAircraft} from '../../../src/data/sources/aircraft';
import {cleanup, makeAircraft, tempDir} from '../helpers';

let dir: string;
let root: string;
beforeAll(async () => {
  dir = tempDir();
  root = await makeAircraft(dir);
});
afterAll(() => cleanup(dir));

describe('readAircraft', () => {
  it('reads each split with labels in variants.txt order, names with spaces included', () => {
    const counts = Object.fromEntries((['train', 'val', 'trainval', 'test'] as const).map((s) => [s, readAircraft(root, s).samples.length]));
    expect(counts).toEqual({train: 3, val: 3, trainval: 6, test: 6});
    const test = readAircraft(root, 'test');
    expect(test.samples.map((s) => s.label)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(test.classNames).toEqual(['707-320', 'A300B4', 'Cessna 172']);
    expect(test.numClasses).toBe(3);
    expect(test.root).toBe(path.join(root, 'data', 'images'));
    expect(fs.existsSync(path.join(test.root, test.samples[0].file))).toBe(true);
    expect(test.cropBottom).toBe(0);
    expect(readAircraft(path.join(root, 'data'), 'test', 'variant', true).cropBottom).toBe(20);
  });

  it('names the line of an unknown variant and a missing class list', () => {
    const file = path.join(root, 'data', 'images_variant_val.txt');
    const saved = fs.readFileSync(file, 'utf8');
    fs.appendFileSync(file, '1234567 Concorde\n');
    expect(() => readAircraft(root, 'val')).toThrow(`${file}:4: variant "Concorde" is not in ${path.join(root, 'data', 'variants.txt')}`);
    fs.writeFileSync(file, saved);
    expect(() => readAircraft(root, 'val', 'family')).toThrow(`${path.join(root, 'data', 'families.txt')}: cannot read FGVC-Aircraft families.txt: file not found`);
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import {asFields} from '../../../src/data/fields';
import {inaturalistSource, readINaturalist} from '../../../src/data/sources/inaturalist';
import {cleanup, makeINat, tempDir, writeText} from '../helpers';

let dir: string;
let root: string;
beforeAll(async () => {
  dir = tempDir();
  root = await makeINat(dir, 2017);
});
afterAll(() => cleanup(dir));

describe('readINaturalist', () => {
  it('reads images, annotations and categories', () => {
    const train = readINaturalist(path.join(root, 'train2017.json'), root);
    expect(train.samples.map((s) => s.label)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(train.numClasses).toBe(3);
    expect(train.classNames).toEqual(['Species 0', 'Species 1', 'Species 2']);
    expect(fs.existsSync(path.join(root, train.samples[5].file))).toBe(true);
    const val = inaturalistSource(asFields({type: 'INaturalist', root, ann_file: 'val2017.json'}, 'data.val.data_source'));
    expect(val.samples).toHaveLength(3);
  });

  it('maps non-contiguous category ids to positions in id order', () => {
    const file = path.join(dir, 'sparse.json');
    writeText(file, JSON.stringify({images: [{id: 1, file_name: 'a.jpg'}, {id: 2, file_name: 'b.jpg'}], annotations: [{image_id: 1, category_id: 40}, {image_id: 2, category_id: 7}], categories: [{id: 40, name: 'x'}, {id: 7, name: 'y'}]}));
    const d = readINaturalist(file, dir);
    expect(d.samples.map((s) => s.label)).toEqual([1, 0]);
    expect(d.classNames).toEqual(['y', 'x']);
  });

  it.each([
    ['{"images": [', /not valid JSON/],
    [JSON.stringify({images: [], annotations: [{image_id: 1, category_id: 9}], categories: [{id: 0}]}), /annotations\[0\]\.category_id 9 is not in categories/],
    [JSON.stringify({images: [{id: 3, file_name: 'a.jpg'}], annotations: [], categories: []}), /images\[0\] \(id 3\) has no annotation/],
    [JSON.stringify({images: [], annotations: []}), /"categories" must be an array, got nothing/],
  ])('rejects %s', (text, message) => {
    const file = path.join(dir, 'bad.json');
    writeText(file, text);
    expect(() => readINaturalist(file, dir)).toThrow(message);
  });
});

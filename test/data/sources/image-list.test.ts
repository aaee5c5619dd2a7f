import * as path from 'node:path';
import {asFields} from '../../../src/data/fields';
import {imageListSource} from '../../../src/data/sources/image-list';
import {cleanup, tempDir, writeText} from '../helpers';

let dir: string;
beforeAll(() => (dir = tempDir()));
afterAll(() => cleanup(dir));

describe('imageListSource', () => {
  it('reads list_file with the splitor and keeps root', () => {
    const list = path.join(dir, 'l.txt');
    writeText(list, 'a b.jpg;1\n');
    const d = imageListSource(asFields({type: 'ImageList', root: 'imgs', list_file: list, splitor: ';'}, 'data.train.data_source'));
    expect([d.root, d.samples, d.numClasses]).toEqual(['imgs', [{file: 'a b.jpg', label: 1, where: `${list}:1`}], undefined]);
  });

  it('takes the class names from classes.txt beside the list file (as prepare-data writes it), none without one', () => {
    const sub = path.join(dir, 'meta');
    writeText(path.join(sub, 'train.txt'), 'x.jpg 0\ny.jpg 1\n');
    expect(imageListSource(asFields({type: 'ImageList', list_file: path.join(sub, 'train.txt')}, 'data.train.data_source')).classNames).toBeUndefined();
    writeText(path.join(sub, 'classes.txt'), 'Black_footed_Albatross\nLaysan Albatross\n');
    const d = imageListSource(asFields({type: 'ImageList', list_file: path.join(sub, 'train.txt')}, 'data.train.data_source'));
    expect(d.classNames).toEqual(['Black_footed_Albatross', 'Laysan Albatross']);
  });

  it('requires list_file and a known splitor', () => {
    expect(() => imageListSource(asFields({type: 'ImageList'}, 'data.train.data_source'))).toThrow('data.train.data_source.list_file is required (a string)');
    expect(() => imageListSource(asFields({type: 'ImageList', list_file: 'x', splitor: '\t'}, 'data.train.data_source'))).toThrow(
      'data.train.data_source.splitor must be one of " ", ",", ";", got "\\t"',
    );
  });
});

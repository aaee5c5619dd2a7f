import * as fs from 'node:fs';
import * as path from 'node:path';
import {readImageFolder} from '../../../src/data/sources/image-folder';
import {cleanup, makeImageFolder, tempDir, writeText} from '../helpers';

let dir: string;
let root: string;
beforeAll(async () => {
  dir = tempDir();
  root = await makeImageFolder(dir, ['train', 'val'], ['dog', 'cat'], 2);
});
afterAll(() => cleanup(dir));

describe('readImageFolder', () => {
  it('labels sorted class folders, finds images recursively and ignores other files', () => {
    writeText(path.join(root, 'train', 'cat', 'notes.txt'), 'not an image');
    fs.mkdirSync(path.join(root, 'train', 'dog', 'more'));
    fs.copyFileSync(path.join(root, 'train', 'dog', '0.png'), path.join(root, 'train', 'dog', 'more', 'x.PNG'));
    const d = readImageFolder(path.join(root, 'train'));
    expect(d.classNames).toEqual(['cat', 'dog']);
    expect(d.samples.map((s) => [s.file, s.label])).toEqual([
      ['cat/0.png', 0],
      ['cat/1.png', 0],
      ['dog/0.png', 1],
      ['dog/1.png', 1],
      ['dog/more/x.PNG', 1],
    ]);
  });

  it('uses a given class list and rejects folders outside it', () => {
    expect(readImageFolder(path.join(root, 'val'), ['ant', 'cat', 'dog']).samples.map((s) => s.label)).toEqual([1, 1, 2, 2]);
    expect(() => readImageFolder(path.join(root, 'val'), ['cat'])).toThrow(`${path.join(root, 'val', 'dog')}: class folder is not among the 1 training classes`);
  });

  it('names an empty or missing root', () => {
    fs.mkdirSync(path.join(dir, 'empty'));
    expect(() => readImageFolder(path.join(dir, 'empty'))).toThrow(`${path.join(dir, 'empty')}: no class sub-directories`);
    expect(() => readImageFolder(path.join(dir, 'none'))).toThrow(`${path.join(dir, 'none')}: cannot read image folder`);
  });
});

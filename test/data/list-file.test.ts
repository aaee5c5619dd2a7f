import {execFileSync} from 'node:child_process';
import * as path from 'node:path';
import {formatImageList, readImageList} from '../../src/data/list-file';
import {cleanup, tempDir, writeText} from './helpers';

let dir: string;
beforeEach(() => (dir = tempDir()));
afterEach(() => cleanup(dir));

describe('readImageList', () => {
  it('reads path/label lines with each separator, skipping blank lines', () => {
    for (const sep of [' ', ',', ';'] as const) {
      const file = path.join(dir, `list${sep}.txt`);
      writeText(file, `a/b 1.jpg${sep}0\r\n\nc/d.jpg${sep}12\n`);
      const samples = readImageList(file, sep);
      expect(samples).toEqual([
        {file: sep === ' ' ? 'a/b 1.jpg' : 'a/b 1.jpg', label: 0, where: `${file}:1`},
        {file: 'c/d.jpg', label: 12, where: `${file}:3`},
      ]);
    }
  });

  it('names the file, line and the separator found for a wrong separator', () => {
    const file = path.join(dir, 'list.txt');
    writeText(file, 'a.jpg,0\nb.jpg,1\n');
    expect(() => readImageList(file, ' ')).toThrow(`${file}:1: no " " separator in "a.jpg,0"; found "," instead: set data_source.splitor to ","`);
  });

  it('rejects a bad label with its line number, a negative label and an empty list', () => {
    const file = path.join(dir, 'list.txt');
    writeText(file, 'a.jpg 0\nb.jpg one\n');
    expect(() => readImageList(file, ' ')).toThrow(`${file}:2: label must be an integer, got "one"`);
    writeText(file, 'a.jpg 0\nb.jpg -1\n');
    expect(() => readImageList(file, ' ')).toThrow(`${file}:2: label must be >= 0 (labels are 0-based), got -1`);
    writeText(file, '\n\n');
    expect(() => readImageList(file, ' ')).toThrow(`${file}: image list is empty`);
  });

  it('reports a missing file with its path and exit category data', () => {
    const file = path.join(dir, 'none.txt');
    expect(() => readImageList(file, ' ')).toThrow(`${file}: cannot read image list: file not found`);
    try {
      readImageList(file, ' ');
    } catch (error) {
      expect((error as {exitCode: number}).exitCode).toBe(3);
    }
  });

  it('round-trips through formatImageList', () => {
    const file = path.join(dir, 'list.txt');
    writeText(file, 'x/1.jpg;3\ny/2.jpg;0\n');
    expect(formatImageList(readImageList(file, ';'), ';')).toBe('x/1.jpg;3\ny/2.jpg;0\n');
  });
});

describe('reading list files safely', () => {
  it('refuses a FIFO, /dev/zero and a directory as list file at once, naming it (exit 3)', () => {
    const fifo = path.join(dir, 'list.txt');
    execFileSync('mkfifo', [fifo]);
    expect(() => readImageList(fifo, ' ')).toThrow(`${fifo}: cannot read image list: it is a FIFO (named pipe), not a regular file`);
    expect(() => readImageList('/dev/zero', ' ')).toThrow('/dev/zero: cannot read image list: it is a character device, not a regular file');
    expect(() => readImageList(dir, ' ')).toThrow(`${dir}: cannot read image list: it is a directory, not a regular file`);
  });
});

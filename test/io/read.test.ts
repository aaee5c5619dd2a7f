import * as fs from 'node:fs';
import * as path from 'node:path';
import {checkInputFile, readInputRange, readInputText} from '../../src/io/read';
import {mkfifo, RAW_ERROR, tmpDir} from './helpers';
import {caught} from '../config/caught';

let dir: string;
beforeEach(() => (dir = tmpDir()));
afterEach(() => fs.rmSync(dir, {recursive: true, force: true}));

const opts = {what: 'config', category: 'usage' as const, maxBytes: 100};

describe('reading input files', () => {
  it('reads a regular file, and a range of it', () => {
    const file = path.join(dir, 'a.json');
    fs.writeFileSync(file, '0123456789');
    expect(readInputText(file, opts)).toBe('0123456789');
    expect(readInputRange(file, 8, 10, opts).toString()).toBe('89');
  });

  it('refuses a FIFO, /dev/zero and a directory at once (no hang), naming the file, in the caller\'s category', () => {
    const fifo = mkfifo(path.join(dir, 'pipe.json'));
    const cases: Array<[string, RegExp]> = [
      [fifo, /pipe\.json: cannot read config: it is a FIFO \(named pipe\), not a regular file$/],
      ['/dev/zero', /^\/dev\/zero: cannot read config: it is a character device, not a regular file$/],
      [dir, /: cannot read config: it is a directory, not a regular file$/],
    ];
    for (const [file, message] of cases) {
      const error = caught(() => readInputText(file, opts));
      expect([error.message, error.exitCode]).toEqual([expect.stringMatching(message), 2]);
    }
    expect(caught(() => readInputText('/dev/zero', {what: 'image list'})).exitCode).toBe(3);
  });

  it('refuses a file over the size bound, a missing file and a too-long path in words', () => {
    const big = path.join(dir, 'big.json');
    fs.writeFileSync(big, 'x'.repeat(101));
    expect(caught(() => checkInputFile(big, opts)).message).toMatch(/big\.json: cannot read config: it has 101 bytes, more than the 100-byte limit for a config$/);
    expect(caught(() => readInputText(path.join(dir, 'nope.json'), opts)).message).toMatch(/nope\.json: cannot read config: no such file or directory \(ENOENT\)$/);
    const long = caught(() => readInputText(path.join(dir, 'a'.repeat(5000)), opts));
    expect(long.message).toMatch(/too long \(ENAMETOOLONG\)$/);
    expect(long.message).not.toMatch(RAW_ERROR);
  });
});

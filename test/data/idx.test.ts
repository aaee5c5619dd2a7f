import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import {parseIdx, readIdx} from '../../src/data/idx';
import {cleanup, idxBytes, tempDir} from './helpers';

let dir: string;
beforeAll(() => (dir = tempDir()));
afterAll(() => cleanup(dir));

describe('readIdx', () => {
  it('reads an unsigned-byte IDX file, plain or gzip-compressed', () => {
    const values = Array.from({length: 12}, (_, i) => i * 20);
    const plain = path.join(dir, 'images-idx3-ubyte');
    fs.writeFileSync(plain, idxBytes([3, 2, 2], values));
    fs.writeFileSync(`${plain}.gz`, zlib.gzipSync(idxBytes([3, 2, 2], values)));
    for (const file of [plain, `${plain}.gz`]) {
      const idx = readIdx(file);
      expect(idx.dims).toEqual([3, 2, 2]);
      expect(Array.from(idx.data)).toEqual(values);
    }
  });

  it('names the file for a bad magic, a truncated or oversized body, an unsupported type and a bad gzip stream', () => {
    const at = (name: string, bytes: Uint8Array) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, bytes);
      return file;
    };
    const good = idxBytes([2, 3], [1, 2, 3, 4, 5, 6]);
    const png = at('magic', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    expect(() => readIdx(png)).toThrow(`${png}: not an IDX file (magic bytes 89 50 4e 47, expected 00 00 <type> <ndims>)`);
    const short = at('short', good.subarray(0, good.length - 2));
    expect(() => readIdx(short)).toThrow(`${short}: truncated: the header declares 2x3 = 6 values, the file holds 4`);
    const header = at('header', good.subarray(0, 6));
    expect(() => readIdx(header)).toThrow(`${header}: truncated IDX header (6 bytes, the header of 2 dimensions needs 12)`);
    const long = at('long', Buffer.concat([good, Buffer.from([7])]));
    expect(() => readIdx(long)).toThrow(`${long}: has trailing bytes: the header declares 2x3 = 6 values, the file holds 7`);
    const floats = at('floats', idxBytes([1], [0, 0, 0, 0], 0x0d));
    expect(() => readIdx(floats)).toThrow(`${floats}: IDX data type 0x0d (float) is not supported; expected 0x08 (unsigned byte)`);
    const gz = zlib.gzipSync(good);
    const cut = at('cut.gz', gz.subarray(0, gz.length - 6));
    expect(() => readIdx(cut)).toThrow(`${cut}: not a valid gzip file (`);
    expect(() => readIdx(path.join(dir, 'absent'))).toThrow(`${path.join(dir, 'absent')}: cannot read IDX file: no such file or directory (ENOENT)`);
    expect(() => readIdx(dir)).toThrow(`${dir}: cannot read IDX file: it is a directory, not a regular file`);
    expect(() => parseIdx(new Uint8Array(), 'x')).toThrow('x: not an IDX file (magic bytes missing');
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {MixupError} from '../../src/errors';
import {readSafetensors, writeSafetensors} from '../../src/models';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-st-'));
});
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

/** Builds a safetensors file byte by byte (independently of writeSafetensors). */
function handMade(header: object, data: Buffer): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json, data]);
}

describe('readSafetensors', () => {
  it('reads F32, F16, BF16 and I64 tensors (as torch writes num_batches_tracked) into float32', () => {
    const data = Buffer.alloc(6 * 4 + 2 * 2 + 2 + 8);
    [0.5, -1, 2, 3.25, 1e-3, -7].forEach((v, i) => data.writeFloatLE(v, 4 * i));
    data.writeUInt16LE(0x3c00, 24); // F16 1.0
    data.writeUInt16LE(0xc000, 26); // F16 -2.0
    data.writeUInt16LE(0x3fc0, 28); // BF16 1.5
    data.writeBigInt64LE(7n, 30); // I64 7 (unaligned offset)
    const file = path.join(dir, 'hand.safetensors');
    fs.writeFileSync(file, handMade({
      __metadata__: {format: 'pt'},
      'layer.weight': {dtype: 'F32', shape: [2, 3], data_offsets: [0, 24]},
      half: {dtype: 'F16', shape: [2], data_offsets: [24, 28]},
      brain: {dtype: 'BF16', shape: [1], data_offsets: [28, 30]},
      'bn.num_batches_tracked': {dtype: 'I64', shape: [], data_offsets: [30, 38]},
    }, data));
    const t = readSafetensors(file);
    expect([...t.keys()]).toEqual(['layer.weight', 'half', 'brain', 'bn.num_batches_tracked']);
    expect(t.get('layer.weight')).toEqual({dtype: 'F32', shape: [2, 3], data: new Float32Array([0.5, -1, 2, 3.25, 1e-3, -7])});
    expect(Array.from(t.get('half')!.data)).toEqual([1, -2]);
    expect(Array.from(t.get('brain')!.data)).toEqual([1.5]);
    expect(t.get('bn.num_batches_tracked')).toMatchObject({dtype: 'I64', shape: [], data: new Float32Array([7])});
  });

  it('round-trips writeSafetensors (8-byte aligned data, metadata kept out of the tensors)', () => {
    const file = path.join(dir, 'rt.safetensors');
    const entries = new Map([
      ['a', {shape: [3], data: new Float32Array([1, 2, 3])}],
      ['b.c', {shape: [2, 1, 1, 2], data: new Float32Array([-1, 0.25, 4, 5])}],
    ]);
    writeSafetensors(file, entries, {source: 'test'});
    const buf = fs.readFileSync(file);
    expect((8 + Number(buf.readBigUInt64LE(0))) % 8).toBe(0);
    const back = readSafetensors(file);
    expect([...back.keys()]).toEqual(['a', 'b.c']);
    expect(back.get('b.c')).toEqual({dtype: 'F32', ...entries.get('b.c')});
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it.each([
    ['a missing file', null, /missing\.safetensors: cannot read safetensors file/],
    ['a truncated file', Buffer.alloc(5), /not a valid safetensors file: 5 bytes/],
    ['a header longer than the file', handMade({}, Buffer.alloc(0)).subarray(0, 9), /header length 2 does not fit the file size 9/],
    ['an unknown dtype', handMade({x: {dtype: 'C64', shape: [1], data_offsets: [0, 8]}}, Buffer.alloc(8)), /tensor "x" has unsupported dtype "C64"/],
    ['offsets that do not match the shape', handMade({w: {dtype: 'F32', shape: [2, 2], data_offsets: [0, 12]}}, Buffer.alloc(16)),
      /tensor "w" \(F32 \[2, 2\]\) has data_offsets \[0, 12\] that do not match its size 16 bytes/],
  ])('refuses %s, naming the file', (_name, bytes, message) => {
    const file = path.join(dir, bytes ? 'bad.safetensors' : 'missing.safetensors');
    if (bytes) fs.writeFileSync(file, bytes);
    try {
      readSafetensors(file);
      throw new Error('expected readSafetensors to throw');
    } catch (error) {
      expect(error).toBeInstanceOf(MixupError);
      expect((error as MixupError).category).toBe('data');
      expect((error as Error).message).toContain(file);
      expect((error as Error).message).toMatch(message);
    }
  });
});

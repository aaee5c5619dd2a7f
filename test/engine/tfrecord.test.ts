/** TFRecord framing: CRC-32C against published check values, masked CRCs against TensorFlow's own records. */
import {crc32c, frameRecord, maskedCrc32c, readRecords} from '../../src/engine/tfrecord';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

describe('crc32c', () => {
  it('matches the CRC-32C check values of RFC 3720 (iSCSI) B.4', () => {
    expect(crc32c(bytes('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({length: 32}, (_, i) => i))).toBe(0x46dd794e);
  });

  it('masks as TensorFlow does: the length 24 of a version record frames as a3 7f 4b 22', () => {
    const length = new Uint8Array(8);
    length[0] = 24;
    expect(maskedCrc32c(length).toString(16)).toBe('224b7fa3');
  });
});

describe('frameRecord / readRecords', () => {
  // a record of TensorFlow's event_file_loader_test.py: Event{wall_time: 1440183447.0, file_version: "brain.Event:1"}
  const TF_RECORD = bytes('\x18\x00\x00\x00\x00\x00\x00\x00\xa3\x7fK"\t\x00\x00\xc0%\xddu\xd5A\x1a\rbrain.Event:1\xec\xf32\x8d');

  it('frames data exactly as TensorFlow writes it', () => {
    expect(Buffer.from(frameRecord(TF_RECORD.subarray(12, 36)))).toEqual(Buffer.from(TF_RECORD));
  });

  it('reads back several records, the empty one included', () => {
    const parts = [bytes('abc'), new Uint8Array(0), TF_RECORD.subarray(12, 36)];
    const file = Buffer.concat(parts.map(frameRecord));
    expect(readRecords(file).map((r) => Buffer.from(r))).toEqual(parts.map((p) => Buffer.from(p)));
  });

  it('names the offset of a corrupt or truncated record', () => {
    const file = Buffer.concat([frameRecord(bytes('first')), frameRecord(bytes('second'))]);
    const flipped = Buffer.from(file);
    flipped[21 + 12 + 2] ^= 1; // a data byte of the second record (the first is 16 + 5 = 21 bytes)
    expect(() => readRecords(flipped)).toThrow('record at byte 21: data CRC mismatch');
    const badLength = Buffer.from(file);
    badLength[21] ^= 1;
    expect(() => readRecords(badLength)).toThrow('record at byte 21: length CRC mismatch');
    expect(() => readRecords(file.subarray(0, file.length - 1))).toThrow('record at byte 21: truncated data (6 bytes announced, 9 present)');
    expect(() => readRecords(file.subarray(0, 25))).toThrow('record at byte 21: truncated header (4 of 12 bytes)');
  });
});

/** The two CRC-32s on their standard check value ("123456789"). */
import {CRC32_CASTAGNOLI, CRC32_ISO_HDLC, reflectedCrc32} from '../../src/io/crc32';

describe('reflectedCrc32', () => {
  it('gives the catalogued check values of CRC-32 (zip) and CRC-32C', () => {
    const check = Buffer.from('123456789');
    expect(reflectedCrc32(CRC32_ISO_HDLC)(check)).toBe(0xcbf43926);
    expect(reflectedCrc32(CRC32_CASTAGNOLI)(check)).toBe(0xe3069283);
    expect(reflectedCrc32(CRC32_ISO_HDLC)(new Uint8Array(0))).toBe(0);
  });
});

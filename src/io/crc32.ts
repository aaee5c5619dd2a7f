/**
 * Table-driven reflected CRC-32s (the "Sarwate" byte-at-a-time algorithm): zip's CRC-32 (ISO-HDLC, polynomial
 * 0x04C11DB7, reflected 0xEDB88320; `crc("123456789") = 0xcbf43926`) and TFRecord's CRC-32C (Castagnoli, reflected
 * 0x82F63B78; `0xe3069283`), both with initial value and final XOR 0xffffffff.
 */

/** The reflected polynomial of zip's CRC-32. */
export const CRC32_ISO_HDLC = 0xedb88320;
/** The reflected polynomial of CRC-32C (Castagnoli). */
export const CRC32_CASTAGNOLI = 0x82f63b78;

/** The CRC function of a reflected polynomial: bytes -> unsigned 32-bit CRC. */
export function reflectedCrc32(polynomial: number): (bytes: Uint8Array) => number {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? polynomial ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return (bytes) => {
    let crc = 0xffffffff;
    for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
  };
}

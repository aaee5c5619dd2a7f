import {STREAM, mixSeed, streamRng} from '../../src/data/seeds';

describe('derived seeds', () => {
  it('are deterministic 32-bit values that change with every part and its position', () => {
    expect(mixSeed(1, 2, 3)).toBe(mixSeed(1, 2, 3));
    const seeds = new Set([mixSeed(1, 2, 3), mixSeed(1, 2, 4), mixSeed(2, 2, 3), mixSeed(3, 2, 1), mixSeed(1, 2), mixSeed(1, 2, 3, 0)]);
    expect(seeds.size).toBe(6);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s <= 0xffffffff).toBe(true);
  });

  it('give independent streams per tag and coordinates', () => {
    expect(streamRng(STREAM.transform, 0, 1, 2).nextUint32()).toBe(streamRng(STREAM.transform, 0, 1, 2).nextUint32());
    const firsts = [streamRng(STREAM.transform, 0, 1, 2), streamRng(STREAM.shuffle, 0, 1, 2), streamRng(STREAM.transform, 0, 2, 1)].map((r) => r.nextUint32());
    expect(new Set(firsts).size).toBe(3);
  });
});

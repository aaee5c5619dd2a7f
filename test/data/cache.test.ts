import {shareImage} from '../../src/data/batch';
import {DecodedCache, defaultCacheBudgetMB} from '../../src/data/cache';

const image = (bytes: number) => shareImage({data: new Uint8Array(bytes), width: bytes / 3, height: 1});

describe('DecodedCache', () => {
  it('auto: caches while the projected split fits the budget', () => {
    const cache = new DecodedCache('auto', 3000, 20);
    for (let i = 0; i < 20; i++) {
      expect(cache.wants(i)).toBe(true);
      cache.add(i, image(150));
    }
    expect(cache.stats).toEqual({images: 20, bytes: 3000});
    expect(cache.get(3)?.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(cache.wants(3)).toBe(false); // already cached
    expect(cache.describe()).toBe('auto, budget 0 MB');
  });

  it('auto: gives the cache up once the projection exceeds the budget', () => {
    const cache = new DecodedCache('auto', 2 ** 20, 1000);
    for (let i = 0; i < 15; i++) cache.add(i, image(3000));
    expect(cache.stats.images).toBe(15);
    cache.add(15, image(3000)); // 16 seen: 3000 B x 1000 samples > 1 MiB
    expect(cache.stats).toEqual({images: 0, bytes: 0});
    expect(cache.wants(20)).toBe(false);
    expect(cache.describe()).toBe("auto, off: the split's decoded images need about 3 MB, more than the 1 MB budget");
  });

  it('true: a partial cache up to the budget; false: nothing', () => {
    const partial = new DecodedCache(true, 1000, 1000);
    for (let i = 0; i < 40; i++) partial.add(i, image(300));
    expect(partial.stats).toEqual({images: 3, bytes: 900});
    const off = new DecodedCache(false, 1e9, 10);
    off.add(0, image(3));
    expect([off.wants(1), off.stats.images, off.describe()]).toEqual([false, 0, 'off (data.cache false)']);
    expect(defaultCacheBudgetMB()).toBeGreaterThan(0);
    expect(defaultCacheBudgetMB()).toBeLessThanOrEqual(2048);
  });
});

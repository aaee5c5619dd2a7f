import {asFields} from '../../../src/data/fields';
import {mnistSource, readMnist} from '../../../src/data/sources/mnist';

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

  it('validates its fields', () => {
    expect(mnistSource(asFields({type: 'MNIST', size: 28}, 'data.train.data_source'), 'val').raw!(0).width).toBe(28);
    expect(() => mnistSource(asFields({type: 'MNIST', size: 20}, 'data.train.data_source'), 'train')).toThrow(
      'data.train.data_source.size must be an integer in [28, 1024], got 20',
    );
  });
});

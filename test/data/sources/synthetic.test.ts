import {asFields} from '../../../src/data/fields';
import {makeSynthetic, syntheticSource} from '../../../src/data/sources/synthetic';
import type {Dataset} from '../../../src/data/types';

const make = (seed: number, split: 'train' | 'val', numSamples: number) => makeSynthetic({numClasses: 8, size: 16, numSamples, seed, split});
const vec = (d: Dataset, i: number) => Array.from(d.raw!(i).data);

describe('makeSynthetic', () => {
  it('is reproducible under its seed; seeds and splits give different images', () => {
    const a = make(1, 'train', 4);
    expect(vec(a, 2)).toEqual(vec(make(1, 'train', 4), 2));
    expect(vec(a, 2)).not.toEqual(vec(make(2, 'train', 4), 2));
    expect(vec(a, 2)).not.toEqual(vec(make(1, 'val', 4), 2));
    expect(a.samples.map((s) => s.label)).toEqual([0, 1, 2, 3]);
    expect(a.raw!(0).data.length).toBe(16 * 16 * 3);
  });

  it('is learnable: a nearest-centroid classifier beats chance (1/8) by far on held-out images', () => {
    const train = make(0, 'train', 400);
    const val = make(0, 'val', 160);
    const dim = 16 * 16 * 3;
    const centroids = Array.from({length: 8}, () => new Float64Array(dim));
    train.samples.forEach((s, i) => vec(train, i).forEach((v, k) => (centroids[s.label][k] += v / 50)));
    let correct = 0;
    val.samples.forEach((s, i) => {
      const x = vec(val, i);
      const dists = centroids.map((c) => x.reduce((acc, v, k) => acc + (v - c[k]) ** 2, 0));
      if (dists.indexOf(Math.min(...dists)) === s.label) correct++;
    });
    expect(correct / val.samples.length).toBeGreaterThan(0.4);
  });

  it('validates its fields', () => {
    expect(() => syntheticSource(asFields({type: 'Synthetic', num_classes: 1}, 'data.train.data_source'), 'train')).toThrow(
      'data.train.data_source.num_classes must be an integer in [2, 1000], got 1',
    );
    expect(() => syntheticSource(asFields({type: 'Synthetic', classes: 3}, 'data.train.data_source'), 'train')).toThrow(
      'data.train.data_source.classes is not a known field',
    );
  });
});

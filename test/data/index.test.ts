import * as path from 'node:path';
import {CONFIG_SCHEMA} from '../../src/config/schema';
import {LOADER_DATA_KEYS, LOADER_SPLIT_KEYS, SOURCES, createLoader, openDataset} from '../../src/data';
import {cleanup, makeCub, tempDir} from './helpers';

let dir: string;
let root: string;
beforeAll(async () => {
  dir = tempDir();
  root = await makeCub(dir, 2, 2, 1);
});
afterAll(() => cleanup(dir));

const cub = {
  imgs_per_gpu: 2,
  drop_last: true,
  train: {type: 'ClassificationDataset', data_source: {type: 'CUB200', root: ''}, pipeline: [{type: 'Resize', size: 24}, {type: 'RandomResizedCrop', size: 16, scale: [0.5, 1]}, {type: 'RandomHorizontalFlip'}, {type: 'Normalize'}]},
  val: {type: 'ClassificationDataset', data_source: {type: 'CUB200', root: ''}, pipeline: [{type: 'Resize', size: 24}, {type: 'CenterCrop', size: 16}, {type: 'Normalize'}]},
};
const withRoot = () => ({...cub, train: {...cub.train, data_source: {type: 'CUB200', root}}, val: {...cub.val, data_source: {type: 'CUB200', root}}});

describe('src/data/index', () => {
  it('registers every data source the config room lists', () => {
    expect([...SOURCES.keys()]).toEqual(['ImageList', 'ImageNet', 'CUB200', 'Aircraft', 'INaturalist', 'Places205', 'ImageFolder', 'MNIST', 'FashionMNIST', 'Synthetic']);
  });

  it('openDataset reads the split the loader asks for (val -> CUB test) with its pipeline', () => {
    const {dataset, pipeline} = openDataset(withRoot(), 'val');
    expect(dataset.samples).toHaveLength(2);
    expect(dataset.root).toBe(path.join(root, 'images'));
    expect(pipeline.steps.map((s) => s.type)).toEqual(['Resize', 'CenterCrop']);
  });

  it('createLoader runs the benchmark-style pipeline on an official layout', async () => {
    const loader = createLoader(withRoot(), 'train', {seed: 1, numClasses: 200});
    expect([loader.numSamples, loader.numBatches, loader.numClasses]).toEqual([4, 2, 200]);
    const shapes: number[][] = [];
    for await (const batch of loader.epoch(0)) {
      shapes.push(batch.shape);
      for (const v of batch.images) expect(Math.abs(v)).toBeLessThan(2.7); // ImageNet-normalised range
    }
    expect(shapes).toEqual([[2, 16, 16, 3], [2, 16, 16, 3]]);
    expect(loader.skipped).toBe(0);
  });

  it('rejects a bad seed or split and unknown data fields', () => {
    expect(() => createLoader(withRoot(), 'train', {seed: 0.5})).toThrow('seed must be an integer, got 0.5');
    expect(() => createLoader(withRoot(), 'test' as 'val', {seed: 0})).toThrow('split must be "train" or "val", got "test"');
    expect(() => createLoader({...withRoot(), shuffle: true}, 'train', {seed: 0})).toThrow('data.shuffle is not a known field');
  });
});

describe('the loader reads what validate accepts', () => {
  it('data and data.<split> fields are the config schema\'s, no more, no fewer', () => {
    const data = CONFIG_SCHEMA.properties.data;
    expect([...LOADER_DATA_KEYS].sort()).toEqual(Object.keys(data.properties).sort());
    expect([...LOADER_SPLIT_KEYS].sort()).toEqual(Object.keys(data.properties.train.properties).sort());
    // OpenMixup's data.sampler / data.test are refused by both
    expect(() => createLoader({...withRoot(), sampler: 'DistributedSampler'}, 'train', {seed: 0})).toThrow('data.sampler is not a known field');
  });
});

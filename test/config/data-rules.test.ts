import {dataIssues} from '../../src/config/data-rules';

const synthetic = (extra: Record<string, unknown> = {}) => ({type: 'Synthetic', num_classes: 5, num_samples: 10, ...extra});
const files = {type: 'ImageList', list_file: 'list.txt'};
const data = (train: Record<string, unknown>, val: Record<string, unknown> = {data_source: synthetic(), pipeline: []}, extra: Record<string, unknown> = {}) => ({imgs_per_gpu: 4, train, val, ...extra});
const messages = (value: unknown, model?: {numClasses: unknown; headName: string}) => dataIssues(value, model).map((i) => i.message);

describe('dataIssues', () => {
  it('accepts a file source whose pipeline ends at a fixed size, and any pipeline of an in-memory source', () => {
    expect(messages(data({data_source: files, pipeline: [{type: 'Resize', size: 20}, {type: 'CenterCrop', size: 16}, {type: 'RandomHorizontalFlip'}, {type: 'ToTensor'}]}))).toEqual([]);
    expect(messages(data({data_source: files, pipeline: [{type: 'Resize', size: [16, 12]}]}))).toEqual([]);
    expect(messages(data({data_source: synthetic(), pipeline: [{type: 'Resize', size: 20}]}))).toEqual([]);
  });

  it('refuses a file source whose pipeline leaves the size open, naming the steps', () => {
    expect(messages(data({data_source: files, pipeline: [{type: 'CenterCrop', size: 16}, {type: 'Resize', size: 20}]}))).toEqual([
      'data.train.pipeline must end with a crop or a Resize to [h, w] so that all images of a batch have the same size (ImageList reads image files of any size), got ["CenterCrop","Resize"]',
    ]);
    expect(messages(data({data_source: synthetic(), pipeline: []}, {data_source: {type: 'CUB200', root: 'x'}, pipeline: [{type: 'Normalize', mean: [0, 0, 0], std: [1, 1, 1]}]}))).toEqual([
      'data.val.pipeline must end with a crop or a Resize to [h, w] so that all images of a batch have the same size (CUB200 reads image files of any size), got ["Normalize"]',
    ]);
  });

  it('refuses RandomResizedCrop pairs out of order', () => {
    const crop = (scale: unknown, ratio: unknown) => data({data_source: synthetic(), pipeline: [{type: 'RandomResizedCrop', size: 8, scale, ratio}]});
    expect(messages(crop([0.5, 1], [0.75, 1.33]))).toEqual([]);
    expect(messages(crop([1, 0.5], [1.33, 0.75]))).toEqual([
      'data.train.pipeline[0].scale must be [min, max] with min <= max, got [1,0.5]',
      'data.train.pipeline[0].ratio must be [min, max] with min <= max, got [1.33,0.75]',
    ]);
  });

  it('refuses a Synthetic train split with no batch under drop_last (its default size too)', () => {
    expect(messages(data({data_source: synthetic({num_samples: 3}), pipeline: []}, undefined, {drop_last: true}))).toEqual([
      'data.train: 3 samples make no batch of 4 with drop_last; lower imgs_per_gpu or set drop_last false',
    ]);
    expect(messages(data({data_source: synthetic({num_samples: 3}), pipeline: []}))).toEqual([]);
    expect(messages({...data({data_source: {type: 'Synthetic'}, pipeline: []}, undefined, {drop_last: true}), imgs_per_gpu: 1001})).toEqual([
      'data.train: 1000 samples make no batch of 1001 with drop_last; lower imgs_per_gpu or set drop_last false',
    ]);
  });

  it('compares the in-memory sources\' classes with the model\'s', () => {
    const value = data({data_source: {type: 'MNIST'}, pipeline: []}, {data_source: {type: 'Synthetic'}, pipeline: []});
    expect(messages(value, {numClasses: 10, headName: 'head'})).toEqual([]);
    expect(messages(value, {numClasses: 6, headName: 'head_one'})).toEqual([
      'model.head_one.num_classes is 6 but data.train (MNIST) has 10 classes',
      'model.head_one.num_classes is 6 but data.val (Synthetic) has 10 classes (data.val.data_source.num_classes)',
    ]);
  });

  it('reads an invalid section without throwing (the schema reports it)', () => {
    for (const value of [undefined, null, 3, {train: 1, val: []}, {train: {data_source: 'x', pipeline: 'y'}}, {train: {pipeline: [null, 1, {type: 'RandomResizedCrop', scale: 'x'}]}}]) {
      expect(() => dataIssues(value)).not.toThrow();
    }
  });
});

import {parseDataConfig} from '../../src/config/data-config';
import {isMixupError} from '../../src/errors';

const synthetic = {type: 'ClassificationDataset', data_source: {type: 'Synthetic'}, pipeline: []};
const minimal = (extra: Record<string, unknown> = {}) => ({imgs_per_gpu: 4, train: synthetic, val: synthetic, ...extra});

/** The message `parseDataConfig` throws for `value` (a usage error), or '' when it accepts it. */
function refusal(value: unknown): string {
  try {
    parseDataConfig(value, 'here');
    return '';
  } catch (error) {
    if (!isMixupError(error) || error.exitCode !== 2) throw error;
    return error.message;
  }
}

describe('parseDataConfig', () => {
  it('fills in the loader\'s defaults from the schema (cache_budget_mb stays machine-dependent, in the data room)', () => {
    const data = parseDataConfig(minimal(), 'here');
    expect(data).toMatchObject({workers_per_gpu: 2, drop_last: false, strict: false, max_skip_fraction: {train: 0.01, val: 0}, cache: 'auto'});
    expect(data.cache_budget_mb).toBeUndefined();
    expect(parseDataConfig(minimal({max_skip_fraction: {train: 0.2}}), 'here').max_skip_fraction).toEqual({train: 0.2, val: 0});
    expect(parseDataConfig(minimal({max_skip_fraction: {val: 0.1}}), 'here').max_skip_fraction).toEqual({train: 0.01, val: 0.1});
  });

  it('fills in each source\'s defaults, the split by loader (val reads CUB\'s test split)', () => {
    const split = (source: Record<string, unknown>) => ({type: 'ClassificationDataset', data_source: source, pipeline: [{type: 'CenterCrop', size: 8}]});
    const sources = (source: Record<string, unknown>) => {
      const data = parseDataConfig({imgs_per_gpu: 1, train: split(source), val: split(source)}, 'here');
      return [data.train.data_source, data.val.data_source];
    };
    expect(sources({type: 'CUB200', root: 'r'})).toEqual([{type: 'CUB200', root: 'r', split: 'train'}, {type: 'CUB200', root: 'r', split: 'test'}]);
    expect(sources({type: 'Aircraft', root: 'r'})).toEqual([
      {type: 'Aircraft', root: 'r', split: 'trainval', level: 'variant', crop_banner: false},
      {type: 'Aircraft', root: 'r', split: 'test', level: 'variant', crop_banner: false},
    ]);
    expect(sources({type: 'Places205', root: 'r', split: 'val'})).toEqual([{type: 'Places205', root: 'r', split: 'val'}, {type: 'Places205', root: 'r', split: 'val'}]);
    expect(sources({type: 'ImageNet', list_file: 'l'})[0]).toEqual({type: 'ImageNet', root: '.', list_file: 'l', splitor: ' '});
    expect(sources({type: 'MNIST'})).toEqual([{type: 'MNIST', split: 'train', size: 32}, {type: 'MNIST', split: 'val', size: 32}]);
    expect(sources({type: 'FashionMNIST'})[1]).toEqual({type: 'FashionMNIST', split: 'test', size: 32});
    expect(sources({type: 'Synthetic'})[1]).toEqual({type: 'Synthetic', num_classes: 10, size: 32, num_samples: 1000, seed: 0, split: 'val'});
  });

  it('fills in pipeline step defaults (torchvision\'s)', () => {
    const pipeline = [{type: 'Resize', size: 20}, {type: 'RandomResizedCrop', size: 16}, {type: 'RandomCrop', size: 16}, {type: 'RandomHorizontalFlip'}, {type: 'ToTensor'}];
    expect(parseDataConfig(minimal({train: {...synthetic, pipeline}}), 'here').train.pipeline).toEqual([
      {type: 'Resize', size: 20, interpolation: 'bilinear'},
      {type: 'RandomResizedCrop', size: 16, scale: [0.08, 1], ratio: [3 / 4, 4 / 3], interpolation: 'bilinear'},
      {type: 'RandomCrop', size: 16, padding: 0},
      {type: 'RandomHorizontalFlip', p: 0.5},
      {type: 'ToTensor'},
    ]);
  });

  it('does not modify its input', () => {
    const value = minimal();
    parseDataConfig(value, 'here');
    expect(value).toEqual(minimal());
  });

  it('refuses invalid fields naming the source, the dotted path, the value and what was expected', () => {
    expect(refusal(minimal({max_skip_fraction: {train: 2}}))).toBe('here: data.max_skip_fraction.train must be a number in [0, 1], got 2');
    expect(refusal(minimal({max_skip_fraction: {tarin: 0.1}}))).toBe('here: data.max_skip_fraction.tarin is not a known field; allowed here: train, val');
    expect(refusal(minimal({cache: 'yes'}))).toBe('here: data.cache must be "auto", true or false, got "yes"');
    expect(refusal(minimal({strict: 1}))).toBe('here: data.strict must be true or false, got 1');
    expect(refusal(minimal({imgs_per_gpu: 0}))).toBe('here: data.imgs_per_gpu must be an integer >= 1, got 0');
    expect(refusal(minimal({workers_per_gpu: -1}))).toBe('here: data.workers_per_gpu must be an integer >= 0, got -1');
    expect(refusal(minimal({cache_budget_mb: 1.5}))).toBe('here: data.cache_budget_mb must be an integer >= 0, got 1.5');
    expect(refusal({imgs_per_gpu: 4, train: synthetic})).toBe('here: data.val is missing (expected an object)');
    expect(refusal(minimal({shuffle: true}))).toMatch(/^here: data\.shuffle is not a known field; allowed here: imgs_per_gpu, workers_per_gpu, drop_last, train, val, /);
    // OpenMixup's data.sampler is refused, not ignored
    expect(refusal(minimal({sampler: 'DistributedSampler'}))).toMatch(/^here: data\.sampler is not a known field/);
    expect(refusal(minimal({train: {...synthetic, prefetch: true}}))).toBe('here: data.train.prefetch is not a known field; allowed here: type, data_source, pipeline');
    expect(refusal(minimal({val: {...synthetic, type: 'SemiDataset'}}))).toBe('here: data.val.type must be "ClassificationDataset", got "SemiDataset"');
    expect(refusal(minimal({val: {...synthetic, data_source: {type: 'Cifar'}}})).split('\n')[0]).toMatch(/^here: data\.val\.data_source\.type must be one of "ImageList", "ImageNet", "CUB200", .*"Synthetic", got "Cifar"$/);
    expect(refusal(minimal({val: {...synthetic, data_source: {type: 'ImageList', list_file: 'l', splitor: ':'}, pipeline: [{type: 'CenterCrop', size: 8}]}}))).toBe(
      'here: data.val.data_source.splitor must be one of " ", ",", ";", got ":"',
    );
    expect(refusal(minimal({val: {...synthetic, data_source: {type: 'ImageList', list_file: 'l', return_label: false}, pipeline: [{type: 'CenterCrop', size: 8}]}}))).toBe(
      'here: data.val.data_source.return_label must be true (unlabelled lists are not implemented), got false',
    );
    expect(refusal(minimal({train: {...synthetic, data_source: {type: 'MNIST', size: 20}}}))).toBe('here: data.train.data_source.size must be an integer in [28, 1024], got 20');
    expect(refusal(minimal({train: {...synthetic, pipeline: [{type: 'Normalize'}]}}))).toBe(
      'here: data.train.pipeline[0].mean is missing (expected an array of 3 numbers (per-channel means on the [0, 1] scale))\nhere: data.train.pipeline[0].std is missing (expected an array of 3 numbers > 0 (per-channel stds on the [0, 1] scale))',
    );
    expect(refusal('data')).toBe('here: data must be an object, got "data"');
  });

  it('applies the data rules validate applies', () => {
    expect(refusal(minimal({val: {...synthetic, data_source: {type: 'ImageFolder', root: 'r'}, pipeline: [{type: 'Resize', size: 16}]}}))).toMatch(/^here: data\.val\.pipeline must end with a crop or a Resize to \[h, w\]/);
    expect(refusal(minimal({train: {...synthetic, pipeline: [{type: 'RandomResizedCrop', size: 8, scale: [1, 0.5]}]}}))).toBe('here: data.train.pipeline[0].scale must be [min, max] with min <= max, got [1,0.5]');
  });
});

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {demoImages} from '../../src/render/images';
import {inputPrep, isLearned, learnedMixer, learnedRuns, type MaskModel} from '../../src/render/learned';
import {visualizeMethods} from '../../src/render/visualize';
import {Rng} from '../../src/rng';

beforeAll(() => tf.setBackend('cpu'));

/** A stand-in for AutoMixModel: features = the input pooled 4×; mask = σ(channel mean) upsampled. Records its calls. */
function stubModel(): MaskModel & {calls: {input: number[]; index: number[]; lam: number; size: number[]; training?: boolean}[]; disposed: boolean} {
  const calls: {input: number[]; index: number[]; lam: number; size: number[]; training?: boolean}[] = [];
  const model = {
    calls,
    disposed: false,
    lastInput: [] as number[],
    maskFeatures(x: tf.Tensor4D, opts: {training: boolean}) {
      expect(opts.training).toBe(false);
      model.lastInput = x.shape;
      return tf.avgPool(x, 4, 4, 'valid') as tf.Tensor4D;
    },
    mixBlock: {
      mask(features: tf.Tensor4D, index: Int32Array, lam: number, size: [number, number], opts?: {training?: boolean}) {
        calls.push({input: model.lastInput, index: Array.from(index), lam, size, training: opts?.training});
        return tf.image.resizeNearestNeighbor(tf.sigmoid(tf.mean(features, 3, true)) as tf.Tensor4D, size);
      },
    },
    dispose() {
      model.disposed = true;
    },
  };
  return model;
}

describe('learned masks in visualizeMethods', () => {
  test('a learned row: pairs i -> i+1, λ = --lam, features at the training size, mask mean in [0, 1]', async () => {
    const images = await demoImages(32);
    const model = stubModel();
    const mixer = learnedMixer(model, {size: [16, 16], mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25]}, {method: 'automix', config: 'configs/demo/automix.json', checkpoint: 'w/latest.safetensors', epoch: 3});
    const result = await visualizeMethods(['mixup', 'automix', 'samix'], images, 0, 1, {learned: new Map([['automix', mixer]]), lam: 0.3});
    expect(result.methods.map((m) => m.method)).toEqual(['mixup', 'automix']);
    expect(result.skipped).toEqual([{method: 'samix', reason: expect.stringMatching(/--config and --checkpoint of a trained run/)}]);
    const row = result.methods[1];
    expect(row).toMatchObject({method: 'automix', lam: 0.3, pair: [0, 1], sources: ['sun', 'house'], learned: {config: 'configs/demo/automix.json', checkpoint: 'w/latest.safetensors', epoch: 3}});
    expect(row.maskMean! > 0 && row.maskMean! < 1).toBe(true);
    expect(model.calls).toEqual([{input: [4, 16, 16, 3], index: [1, 2, 3, 0], lam: 0.3, size: [32, 32], training: false}]);
    // the stub's mask for sample 0 by hand: σ(mean of the normalised, pooled picture)
    const expected = tf.tidy(() => {
      const x = tf.div(tf.sub(tf.tensor4d(images[0].pixels, [1, 32, 32, 3]), 0.5), 0.25) as tf.Tensor4D;
      return tf.mean(tf.sigmoid(tf.mean(tf.avgPool(tf.avgPool(x, 2, 2, 'valid'), 4, 4, 'valid'), 3))).dataSync()[0];
    });
    expect(row.maskMean).toBeCloseTo(expected, 5);
    expect(result.png.subarray(1, 4).toString()).toBe('PNG');
  });

  test('the default λ is 0.5; without a training size the features are computed at the tile size', async () => {
    const images = await demoImages(32);
    const model = stubModel();
    const mixer = learnedMixer(model, {mean: [0, 0, 0], std: [1, 1, 1]}, {method: 'samix', config: 's.json', checkpoint: 's.safetensors', epoch: 1});
    const result = await visualizeMethods(['samix'], images, 0, 1, {learned: new Map([['samix', mixer]])});
    expect(result.methods[0].lam).toBe(0.5);
    expect(model.calls[0].input).toEqual([4, 32, 32, 3]);
    mixer.dispose();
    expect(model.disposed).toBe(true);
  });

  test('the mask is the mixing weight of A: mixed = M·A + (1 − M)·B', () => {
    const model = stubModel();
    const mixer = learnedMixer(model, {mean: [0, 0, 0], std: [1, 1, 1]}, {method: 'automix', config: 'a.json', checkpoint: 'a.safetensors', epoch: 1});
    const mask = mixer.mask(tf.ones([2, 8, 8, 3]), Int32Array.from([1, 0]), 0.5, new Rng(0));
    expect(mask.shape).toEqual([2, 8, 8, 1]);
    expect(mask.dataSync()[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    mask.dispose();
  });
});

describe('learnedRuns (pairing --methods with --config/--checkpoint)', () => {
  test('one pair per learned method, in order; static methods need none', () => {
    expect(isLearned('automix') && isLearned('samix') && !isLearned('mixup')).toBe(true);
    expect(learnedRuns(['mixup', 'cutmix'], [], [])).toEqual([]);
    expect(learnedRuns(['mixup', 'samix', 'automix'], ['s.json', 'a.json'], ['s.st', 'a.st'])).toEqual([
      {method: 'samix', config: 's.json', checkpoint: 's.st'},
      {method: 'automix', config: 'a.json', checkpoint: 'a.st'},
    ]);
  });

  test('usage errors: missing flags say how to train one, counts must match, flags without a learned method', () => {
    const missing = (() => {
      try {
        learnedRuns(['automix'], [], []);
      } catch (error) {
        return error as Error & {exitCode: number; suggestions: string[]};
      }
      throw new Error('no error');
    })();
    expect(missing.message).toMatch(/--methods automix: a learned mixer needs --config/);
    expect(missing.exitCode).toBe(2);
    expect(missing.suggestions[0]).toBe('Train one with `mixup train configs/demo/automix.json`, then add `--checkpoint work_dirs/demo/automix/latest.safetensors --config configs/demo/automix.json`.');
    expect(() => learnedRuns(['automix'], ['a.json'], [])).toThrow(/--checkpoint is missing/);
    expect(() => learnedRuns(['automix', 'samix'], ['a.json'], ['a.st'])).toThrow(/2 learned methods \(automix, samix\): give one --config for each, in that order; got 1/);
    expect(() => learnedRuns(['mixup'], ['a.json'], [])).toThrow(/--config and --checkpoint are for the learned methods \(automix, samix\), but --methods has none/);
    expect(() => learnedRuns(['automix', 'automix'], ['a', 'b'], ['a', 'b'])).toThrow(/automix twice/);
  });
});

describe('inputPrep', () => {
  test('training crop size and the val Normalize (demo pipeline)', () => {
    const norm = {type: 'Normalize', mean: [0.1307, 0.1307, 0.1307], std: [0.3081, 0.3081, 0.3081]};
    expect(inputPrep({data: {train: {pipeline: [{type: 'RandomCrop', size: 32, padding: 4}, {type: 'RandomHorizontalFlip'}, norm]}, val: {pipeline: [norm]}}})).toEqual({
      size: [32, 32], mean: norm.mean, std: norm.std,
    });
    expect(inputPrep({data: {train: {pipeline: [{type: 'RandomResizedCrop', size: 224}]}, val: {pipeline: [{type: 'Resize', size: 256}, {type: 'CenterCrop', size: 224}, {type: 'Normalize'}]}}})).toEqual({
      size: [224, 224], mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225],
    });
    expect(inputPrep({})).toEqual({mean: [0, 0, 0], std: [1, 1, 1]});
  });
});

import {Rng} from '../../src/rng';
import {fixedOutputSize, parsePipeline, planSample, randomResizedCropParams, roundHalfEven, splitSteps, Step} from '../../src/data/transforms';

const steps = (value: unknown[]): Step[] => parsePipeline(value, 'data.train.pipeline').steps;

describe('parsePipeline', () => {
  it('reads the benchmark pipelines with defaults', () => {
    const p = parsePipeline(
      [{type: 'Resize', size: 256}, {type: 'RandomResizedCrop', size: 224, scale: [0.5, 1], interpolation: 3}, {type: 'RandomHorizontalFlip'}, {type: 'ToTensor'}, {type: 'Normalize', mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25]}],
      'data.train.pipeline',
    );
    expect(p.steps).toEqual([
      {type: 'Resize', size: 256, interpolation: 'bilinear'},
      {type: 'RandomResizedCrop', size: [224, 224], scale: [0.5, 1], ratio: [3 / 4, 4 / 3], interpolation: 'bicubic'},
      {type: 'RandomHorizontalFlip', p: 0.5},
    ]);
    expect(p.mean).toEqual([0.5, 0.5, 0.5]);
    expect(p.std).toEqual([0.25, 0.25, 0.25]);
    expect(parsePipeline([], 'x')).toEqual({steps: [], mean: [0, 0, 0], std: [1, 1, 1]});
  });

  it.each([
    [[{type: 'Rotate'}], /data\.train\.pipeline\[0\]\.type "Rotate" is not a known pipeline step/],
    [[{type: 'CenterCrop', size: 0}], /pipeline\[0\]\.size must be an integer in \[1, 8192\], got 0/],
    [[{type: 'Resize', size: 8, interpolation: 'lanczos'}], /pipeline\[0\]\.interpolation must be .* got "lanczos"/],
    [[{type: 'RandomResizedCrop', size: 8, scale: [1, 0.5]}], /scale and ratio must be \[low, high\]/],
    [[{type: 'Normalize', mean: [0.5], std: [1, 1, 1]}], /pipeline\[0\]\.mean must be 3 numbers/],
    [[{type: 'RandomHorizontalFlip', prob: 0.5}], /pipeline\[0\]\.prob is not a known field/],
    ['Resize', /data\.train\.pipeline must be an array/],
  ])('rejects %j', (value, message) => {
    expect(() => parsePipeline(value, 'data.train.pipeline')).toThrow(message);
  });
});

describe('roundHalfEven', () => {
  it('rounds like Python', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, 2, 3]);
  });
});

describe('planSample', () => {
  it('Resize matches the shorter side and keeps the aspect (torchvision sizes)', () => {
    const plan = planSample(steps([{type: 'Resize', size: 256}]), 500, 375, new Rng(0));
    expect([plan.outW, plan.outH]).toEqual([341, 256]);
    expect([plan.x, plan.y, plan.w, plan.h]).toEqual([0, 0, 500, 375]);
  });

  it('Resize 256 -> CenterCrop 224 maps to the central source rectangle', () => {
    const plan = planSample(steps([{type: 'Resize', size: 256}, {type: 'CenterCrop', size: 224}]), 500, 375, new Rng(0));
    expect([plan.outW, plan.outH, plan.flip]).toEqual([224, 224, false]);
    // left = round((341 - 224) / 2) = 58 (half to even), top = 16, in source pixels scaled by 500/341 and 375/256
    expect(plan.x).toBeCloseTo((58 * 500) / 341, 9);
    expect(plan.y).toBeCloseTo((16 * 375) / 256, 9);
    expect(plan.w).toBeCloseTo((224 * 500) / 341, 9);
    expect(plan.h).toBeCloseTo((224 * 375) / 256, 9);
  });

  it('RandomResizedCrop stays inside the image, has the output size and is deterministic under a seed', () => {
    const s = steps([{type: 'Resize', size: 256}, {type: 'RandomResizedCrop', size: 224, scale: [0.5, 1]}, {type: 'RandomHorizontalFlip'}]);
    const plans = Array.from({length: 50}, (_, i) => planSample(s, 500, 375, new Rng(i)));
    for (const p of plans) {
      expect([p.outW, p.outH]).toEqual([224, 224]);
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.x + p.w).toBeLessThanOrEqual(500 + 1e-9);
      expect(p.y + p.h).toBeLessThanOrEqual(375 + 1e-9);
      expect((p.w * p.h) / (500 * 375)).toBeGreaterThan(0.45);
    }
    expect(planSample(s, 500, 375, new Rng(7))).toEqual(plans[7]);
    expect(new Set(plans.map((p) => p.x)).size).toBeGreaterThan(25);
    const flips = plans.filter((p) => p.flip).length;
    expect(flips).toBeGreaterThan(10);
    expect(flips).toBeLessThan(40);
  });

  it('RandomCrop with padding may reach outside the image; a crop after a flip is mirrored', () => {
    const s = steps([{type: 'RandomHorizontalFlip', p: 1}, {type: 'RandomCrop', size: 4, padding: 2}]);
    const rng = new Rng(3);
    rng.uniform(); // the flip draw
    const top = rng.intRange(0, 10 - 4 + 4 + 1);
    const left = rng.intRange(0, 10 - 4 + 4 + 1);
    const plan = planSample(s, 10, 10, new Rng(3));
    expect(plan.flip).toBe(true);
    expect(plan.y).toBe(top - 2);
    expect(plan.x).toBe(10 - (left - 2) - 4);
    expect([plan.w, plan.h, plan.outW, plan.outH]).toEqual([4, 4, 4, 4]);
  });

  it('starts below the cropped banner', () => {
    const plan = planSample([], 100, 80, new Rng(0), 20);
    expect([plan.w, plan.h, plan.outH]).toEqual([100, 60, 60]);
  });
});

describe('randomResizedCropParams', () => {
  it('draws areas within scale and ratios within range', () => {
    const rng = new Rng(11);
    for (let i = 0; i < 200; i++) {
      const [top, left, h, w] = randomResizedCropParams(300, 200, [0.3, 0.6], [3 / 4, 4 / 3], rng);
      expect(top + h).toBeLessThanOrEqual(200);
      expect(left + w).toBeLessThanOrEqual(300);
      expect((w * h) / 60000).toBeGreaterThan(0.28);
      expect((w * h) / 60000).toBeLessThan(0.62);
      expect(w / h).toBeGreaterThan(0.7);
      expect(w / h).toBeLessThan(1.4);
    }
  });

  it('falls back to the central crop clamped to the ratio when nothing fits', () => {
    expect(randomResizedCropParams(1000, 10, [0.9, 1], [3 / 4, 4 / 3], new Rng(0))).toEqual([0, 493, 10, 13]);
    expect(randomResizedCropParams(10, 1000, [0.9, 1], [3 / 4, 4 / 3], new Rng(0))).toEqual([493, 0, 13, 10]);
  });
});

describe('fixedOutputSize', () => {
  it('is the last crop size, or undefined after a shorter-side Resize', () => {
    expect(fixedOutputSize(steps([{type: 'Resize', size: 256}, {type: 'CenterCrop', size: 224}, {type: 'RandomHorizontalFlip'}]))).toEqual([224, 224]);
    expect(fixedOutputSize(steps([{type: 'CenterCrop', size: 224}, {type: 'Resize', size: 256}]))).toBeUndefined();
    expect(fixedOutputSize(steps([{type: 'Resize', size: [20, 30]}]))).toEqual([20, 30]);
    expect(fixedOutputSize([])).toBeUndefined();
  });
});

describe('splitSteps', () => {
  const types = (s: Step[]) => s.map((x) => x.type);
  it('fixes the random-free prefix when the random steps only crop and mirror', () => {
    const small = splitSteps(steps([{type: 'Resize', size: 32}, {type: 'RandomCrop', size: 32, padding: 4}, {type: 'RandomHorizontalFlip'}]));
    expect([types(small.fixed), types(small.random)]).toEqual([['Resize'], ['RandomCrop', 'RandomHorizontalFlip']]);
    const val = splitSteps(steps([{type: 'Resize', size: 256}, {type: 'CenterCrop', size: 224}]));
    expect([types(val.fixed), types(val.random)]).toEqual([['Resize', 'CenterCrop'], []]);
    const flipFirst = splitSteps(steps([{type: 'Resize', size: 20}, {type: 'RandomHorizontalFlip'}, {type: 'CenterCrop', size: 16}]));
    expect([types(flipFirst.fixed), types(flipFirst.random)]).toEqual([['Resize'], ['RandomHorizontalFlip', 'CenterCrop']]);
  });

  it('keeps one fused plan when a random step or a later step resamples', () => {
    const cub = steps([{type: 'Resize', size: 256}, {type: 'RandomResizedCrop', size: 224}, {type: 'RandomHorizontalFlip'}]);
    expect(splitSteps(cub)).toEqual({fixed: [], random: cub});
    const resizeLast = steps([{type: 'RandomCrop', size: 24, padding: 2}, {type: 'Resize', size: [16, 16]}]);
    expect(splitSteps(resizeLast)).toEqual({fixed: [], random: resizeLast});
    const mnist = steps([{type: 'RandomCrop', size: 32, padding: 4}, {type: 'RandomHorizontalFlip'}]);
    expect(splitSteps(mnist)).toEqual({fixed: [], random: mnist});
    expect(splitSteps([])).toEqual({fixed: [], random: []});
  });
});

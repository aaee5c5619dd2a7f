import * as tf from '@tensorflow/tfjs-core';
import type {FeaturePlan} from '../../src/mixups/types';
import {buildClassifier, paramShapes} from '../../src/models';
import {input, maxAbsDiff, modelCfg, TINY_CIFAR, useCpu} from './helpers';

beforeAll(useCpu);

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('buildClassifier: shapes and names', () => {
  it.each([
    ['ResNet_CIFAR-18', TINY_CIFAR, 8, [2, 8, 8, 3], [2, 1, 1, 32]],
    ['ResNet-18 ImageNet stem', modelCfg({type: 'ResNet', depth: 18, base_channels: 4}), 16, [2, 16, 16, 3], [2, 1, 1, 32]],
    ['ResNet-34 (1 input channel)', modelCfg({type: 'ResNet_Mix', depth: 34, base_channels: 2, in_channels: 1}), 32, [2, 32, 32, 1], [2, 1, 1, 16]],
    ['ResNet-50', modelCfg({type: 'ResNet', depth: 50, base_channels: 2}), 32, [2, 32, 32, 3], [2, 1, 1, 64]],
    ['ResNeXt-50 (groups 2)', modelCfg({type: 'ResNeXt', depth: 50, base_channels: 4, groups: 2, width_per_group: 2}), 16, [2, 16, 16, 3], [2, 1, 1, 128]],
  ])('%s: logits N×classes, last-stage map', (_name, cfg, _size, inShape, featShape) => {
    const model = buildClassifier(cfg, {seed: 1});
    const x = input(inShape[0], inShape[1], inShape[2], inShape[3]);
    for (const training of [true, false]) {
      expect(model.features(x, {training}).shape).toEqual(featShape);
      const logits = model.forward(x, {training});
      expect(logits.shape).toEqual([2, 3]);
      expect(values(logits).every(Number.isFinite)).toBe(true);
    }
    model.dispose();
  });

  it('params and buffers carry the paramShapes names and tfjs shapes', () => {
    const model = buildClassifier(TINY_CIFAR, {seed: 0});
    const specs = paramShapes(TINY_CIFAR);
    expect([...model.params.keys()]).toEqual(specs.filter((p) => p.trainable).map((p) => p.name));
    expect([...model.buffers.keys()]).toEqual(specs.filter((p) => !p.trainable).map((p) => p.name));
    for (const p of specs) expect((model.params.get(p.name) ?? model.buffers.get(p.name))!.shape).toEqual(p.shape);
    expect(model.params.get('conv1.weight')!.shape).toEqual([3, 3, 3, 4]);
    expect(model.buffers.get('layer1.0.bn1.running_mean')!.trainable).toBe(false);
    expect(model.numClasses).toBe(3);
    model.dispose();
  });
});

describe('initialisation', () => {
  it('is reproducible from the seed and follows torchvision\'s scheme', () => {
    const cfg = modelCfg({type: 'ResNet_CIFAR', depth: 18, base_channels: 8});
    const a = buildClassifier(cfg, {seed: 7});
    const b = buildClassifier(cfg, {seed: 7});
    const c = buildClassifier(cfg, {seed: 8});
    const w = (m: typeof a, k: string) => values(m.params.get(k)!);
    expect(w(a, 'layer4.1.conv2.weight')).toEqual(w(b, 'layer4.1.conv2.weight'));
    expect(w(a, 'layer4.1.conv2.weight')).not.toEqual(w(c, 'layer4.1.conv2.weight'));
    // kaiming normal, fan_out = 64·3·3: std = sqrt(2/576) ≈ 0.0589 (36,864 draws)
    const conv = w(a, 'layer4.1.conv2.weight');
    const mean = conv.reduce((s, v) => s + v, 0) / conv.length;
    const std = Math.sqrt(conv.reduce((s, v) => s + (v - mean) ** 2, 0) / conv.length);
    expect(Math.abs(mean)).toBeLessThan(0.002);
    expect(std).toBeGreaterThan(0.0589 * 0.97);
    expect(std).toBeLessThan(0.0589 * 1.03);
    expect(w(a, 'layer1.0.bn2.weight')).toEqual(Array(8).fill(1));
    expect(w(a, 'layer1.0.bn2.bias')).toEqual(Array(8).fill(0));
    expect(values(a.buffers.get('bn1.running_var')!)).toEqual(Array(8).fill(1));
    // nn.Linear: U(-1/sqrt(64), 1/sqrt(64)) for weight and bias
    const fc = [...w(a, 'fc.weight'), ...w(a, 'fc.bias')];
    expect(Math.max(...fc.map(Math.abs))).toBeLessThanOrEqual(0.125);
    expect(Math.max(...fc.map(Math.abs))).toBeGreaterThan(0.08);
    for (const m of [a, b, c]) m.dispose();
  });

  it('zero_init_residual zeroes only the last BN weight of each block', () => {
    const model = buildClassifier(modelCfg({type: 'ResNet', depth: 50, base_channels: 2, zero_init_residual: true}), {seed: 0});
    expect(values(model.params.get('layer2.1.bn3.weight')!).every((v) => v === 0)).toBe(true);
    expect(values(model.params.get('layer2.1.bn2.weight')!).every((v) => v === 1)).toBe(true);
    expect(values(model.params.get('layer2.0.downsample.1.weight')!).every((v) => v === 1)).toBe(true);
    model.dispose();
  });
});

describe('batch norm', () => {
  it('training updates running stats with momentum 0.1 and the unbiased variance; eval uses and keeps them', () => {
    const model = buildClassifier(TINY_CIFAR, {seed: 3});
    const x = input(2, 8, 8, 3);
    // the stem's BN sees conv1(x): N·H·W = 128 values per channel
    const conv = tf.conv2d(x, model.params.get('conv1.weight') as tf.Tensor as tf.Tensor4D, 1, 1);
    const {mean, variance} = tf.moments(conv, [0, 1, 2]);
    model.forward(x, {training: true});
    const expectedMean = values(mean).map((m) => 0.1 * m);
    const expectedVar = values(variance).map((v) => 0.9 + 0.1 * v * (128 / 127));
    values(model.buffers.get('bn1.running_mean')!).forEach((v, i) => expect(v).toBeCloseTo(expectedMean[i], 5));
    values(model.buffers.get('bn1.running_var')!).forEach((v, i) => expect(v).toBeCloseTo(expectedVar[i], 5));

    const before = values(model.buffers.get('layer3.1.bn2.running_var')!);
    const evalOut = model.forward(x, {training: false});
    expect(values(model.buffers.get('layer3.1.bn2.running_var')!)).toEqual(before);
    // eval is deterministic and differs from training mode (running stats, not batch stats)
    expect(maxAbsDiff(evalOut, model.forward(x, {training: false}))).toBe(0);
    const trainOut = model.forward(x, {training: true});
    expect(maxAbsDiff(evalOut, trainOut)).toBeGreaterThan(1e-3);
    model.dispose();
  });

  it('a batch with one value per channel is refused naming the layer and shape', () => {
    const model = buildClassifier(modelCfg({type: 'ResNet', depth: 18, base_channels: 2}), {seed: 0});
    expect(() => model.forward(input(1, 8, 8, 3), {training: true})).toThrow(
      'layer2.0.bn1: batch norm in training mode needs more than 1 value per channel, got input shape [1, 1, 1, 4]',
    );
    model.dispose();
  });
});

describe('FeaturePlan (ManifoldMix / AlignMix)', () => {
  /** A plan that records what it received and scales the features (so its effect is visible). */
  function recordingPlan(stage: number, factor: number) {
    const seen: number[][] = [];
    const plan: FeaturePlan = {stage, apply: (h) => (seen.push(h.shape), tf.mul(h, factor) as tf.Tensor4D)};
    return {plan, seen};
  }

  it.each([
    [0, [2, 8, 8, 3]],
    [1, [2, 8, 8, 4]],
    [2, [2, 4, 4, 8]],
    [3, [2, 2, 2, 16]],
    [4, [2, 1, 1, 32]],
    [-1, [2, 1, 1, 32]],
  ])('stage %s is applied once, to a map of shape %j', (stage, shape) => {
    const model = buildClassifier(TINY_CIFAR, {seed: 0});
    const {plan, seen} = recordingPlan(stage, 1);
    model.forward(input(2, 8, 8, 3), {training: true, plan});
    expect(seen).toEqual([shape]);
    model.dispose();
  });

  it('the plan\'s output is what the next layer sees', () => {
    const model = buildClassifier(TINY_CIFAR, {seed: 0});
    const x = input(2, 8, 8, 3);
    const plain = model.features(x, {training: false});
    // at the last stage the map is returned as mixed
    expect(maxAbsDiff(model.features(x, {training: false, plan: recordingPlan(-1, 0).plan}), tf.zerosLike(plain))).toBe(0);
    // at stage 0 scaling the input changes the features; identity does not
    expect(maxAbsDiff(model.features(x, {training: false, plan: recordingPlan(0, 1).plan}), plain)).toBe(0);
    expect(maxAbsDiff(model.features(x, {training: false, plan: recordingPlan(2, 2).plan}), plain)).toBeGreaterThan(1e-3);
    model.dispose();
  });

  it('refuses an unknown stage and a plan that changes the shape', () => {
    const model = buildClassifier(TINY_CIFAR, {seed: 0});
    const x = input(2, 8, 8, 3);
    expect(() => model.forward(x, {training: true, plan: {stage: 5, apply: (h) => h}})).toThrow(
      'feature plan stage must be -1 (last) or 0..4 (0 = input, k = output of residual stage k), got 5',
    );
    expect(() => model.forward(x, {training: true, plan: {stage: 1, apply: (h) => tf.slice(h, 0, 1) as tf.Tensor4D}})).toThrow(
      'feature plan at stage 1 changed the feature shape [2, 8, 8, 4] to [1, 8, 8, 4]',
    );
    model.dispose();
  });
});

describe('misuse', () => {
  it('a wrong channel count names the expected layout', () => {
    const model = buildClassifier(TINY_CIFAR, {seed: 0});
    expect(() => model.forward(input(2, 8, 8, 1), {training: false})).toThrow(
      'model input must be N×H×W×3 (NHWC, backbone.in_channels = 3), got shape [2, 8, 8, 1]',
    );
    model.dispose();
    expect(() => model.forward(input(2, 8, 8, 3), {training: false})).toThrow('used after dispose()');
  });

  it('forward leaks no tensors; dispose frees the variables', () => {
    const model = buildClassifier(TINY_CIFAR, {seed: 0});
    const x = input(2, 8, 8, 3);
    const before = tf.memory().numTensors;
    tf.dispose([model.forward(x, {training: true}), model.forward(x, {training: false, plan: {stage: 2, apply: (h) => h}})]);
    expect(tf.memory().numTensors).toBe(before);
    const perModel = model.params.size + model.buffers.size;
    model.dispose();
    expect(tf.memory().numTensors).toBe(before - perModel);
  });
});

describe('training', () => {
  it('a tiny ResNet_CIFAR learns a toy task with momentum SGD (loss falls)', () => {
    const model = buildClassifier(modelCfg({type: 'ResNet_CIFAR', depth: 18, base_channels: 2}, 2), {seed: 5});
    // class 0: bright top half, class 1: bright bottom half
    const n = 8;
    const data = new Float32Array(n * 8 * 8 * 3);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = i % 2;
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 8; x++)
          for (let c = 0; c < 3; c++) data[((i * 8 + y) * 8 + x) * 3 + c] = ((y < 4) === (labels[i] === 0) ? 1 : -1) + 0.2 * Math.sin(i + x * 3 + c);
    }
    const images = tf.tensor4d(data, [n, 8, 8, 3]);
    const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), 2);
    const optimizer = tf.train.momentum(0.003, 0.9);
    const vars = [...model.params.values()];
    const losses: number[] = [];
    for (let step = 0; step < 5; step++) {
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(onehot, model.forward(images, {training: true})) as tf.Scalar, true, vars)!;
      losses.push(loss.dataSync()[0]);
      loss.dispose();
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[4]).toBeLessThan(losses[0] * 0.7);
    // running statistics moved away from their initial values during training
    expect(values(model.buffers.get('layer4.1.bn2.running_mean')!).some((v) => v !== 0)).toBe(true);
    model.dispose();
    optimizer.dispose();
  });
});

describe('features(x, {stopAtStage})', () => {
  it('returns the output of residual stage s, equal to the full pass\'s intermediate map', () => {
    const model = buildClassifier(TINY_CIFAR, {seed: 4});
    const x = input(2, 16, 16, 3);
    const channels = [4, 8, 16, 32];
    const sizes = [16, 8, 4, 2];
    for (let s = 1; s <= 4; s++) {
      let seen: tf.Tensor4D | undefined;
      // a plan that records the map it receives at stage s of a full pass
      const full = model.features(x, {training: false, plan: {stage: s, apply: (h) => ((seen = tf.keep(h.clone())), h)}});
      const early = model.features(x, {training: false, stopAtStage: s});
      expect(early.shape).toEqual([2, sizes[s - 1], sizes[s - 1], channels[s - 1]]);
      expect(maxAbsDiff(early, seen!)).toBe(0);
      tf.dispose([full, early, seen!]);
    }
    model.dispose();
  });

  it('runs no later stage: their BN statistics stay, no gradient reaches them', () => {
    const model = buildClassifier(TINY_CIFAR, {seed: 4});
    const x = input(4, 16, 16, 3);
    const stat = (k: string) => values(model.buffers.get(k)!);
    const before3 = stat('layer3.0.bn1.running_mean');
    const before2 = stat('layer2.1.bn2.running_mean');
    tf.dispose(model.features(x, {training: true, stopAtStage: 2}));
    expect(stat('layer3.0.bn1.running_mean')).toEqual(before3);
    expect(stat('layer2.1.bn2.running_mean')).not.toEqual(before2);
    const early = [...model.params].filter(([k]) => /^(conv1|bn1|layer[12])\./.test(k)).map(([, v]) => v);
    const later = model.params.get('layer3.0.conv1.weight')!;
    const {grads} = tf.variableGrads(() => tf.sum(model.features(x, {training: true, stopAtStage: 2})) as tf.Scalar, [...early, later]);
    expect(Object.keys(grads).length).toBe(early.length);
    expect(grads[later.name]).toBeUndefined();
    tf.dispose(Object.values(grads));
    model.dispose();
  });

  it('refuses a stage outside 1..4, a plan after it, and forward() with an early stop', () => {
    const model = buildClassifier(TINY_CIFAR, {seed: 4});
    const x = input(2, 8, 8, 3);
    expect(() => model.features(x, {training: false, stopAtStage: 0})).toThrow('stopAtStage must be an integer in 1..4 (stage s = layer<s>, OpenMixup out_indices s − 1), got 0');
    expect(() => model.features(x, {training: false, stopAtStage: 2.5})).toThrow(/got 2.5/);
    expect(() => model.features(x, {training: false, stopAtStage: 2, plan: {stage: 3, apply: (h) => h}})).toThrow(/plan stage 3 lies after stopAtStage 2/);
    expect(() => model.forward(x, {training: false, stopAtStage: 3})).toThrow(/for features\(\) only/);
    model.dispose();
  });
});

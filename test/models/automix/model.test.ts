import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';
import {AutoMixModel, buildAutoMix, mixImages} from '../../../src/models';
import {Rng} from '../../../src/rng';
import {input, maxAbsDiff, useCpu} from '../helpers';

beforeAll(useCpu);

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const INDEX = Int32Array.from([2, 0, 3, 1]);
const head = (type: string) => ({type, loss: {type: 'CrossEntropyLoss', use_soft: false}, with_avg_pool: true, multi_label: false, in_channels: 32, num_classes: 5});

/** The CUB AutoMix model dict at a tiny width: ResNet_CIFAR-18, base 4 (stages 4, 8, 16, 32 channels). */
function automixCfg(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'AutoMixup', pretrained: null, alpha: 2, momentum: 0.999, mask_layer: 2, mask_loss: 0.1, mask_adjust: 0,
    lam_margin: 0.08, mix_shuffle_no_repeat: true,
    backbone: {type: 'ResNet_CIFAR', depth: 18, base_channels: 4, out_indices: [2, 3]},
    mix_block: {type: 'PixelMixBlock', in_channels: 16, reduction: 2, use_scale: true, unsampling_mode: ['nearest'],
      lam_concat: true, lam_concat_v: false, lam_mul: 0, lam_residual: false, lam_mul_k: -1, value_neck_cfg: null,
      x_qk_concat: false, x_v_concat: false, mask_loss_mode: 'L1', mask_loss_margin: 0.1, frozen: false},
    head_one: head('ClsHead'), head_mix: head('ClsMixupHead'),
    head_weights: {head_mix_q: 1, head_one_q: 1, head_mix_k: 1, head_one_k: 1},
    ...over,
  };
}

let model: AutoMixModel;
beforeAll(() => {
  model = buildAutoMix(automixCfg(), {seed: 3, source: 'automix.json'});
});
afterAll(() => model.dispose());

describe('buildAutoMix: names and groups', () => {
  it('exposes the contract names, disjoint groups and the settings', () => {
    const on = [...model.online.keys()];
    expect(on.filter((k) => !k.startsWith('backbone_q.'))).toEqual(['head_one_q.fc.weight', 'head_one_q.fc.bias', 'head_mix_q.fc.weight', 'head_mix_q.fc.bias']);
    expect(on).toContain('backbone_q.conv1.weight');
    expect(on).toContain('backbone_q.layer4.1.bn2.bias');
    expect(on.some((k) => k.startsWith('backbone_q.fc'))).toBe(false);
    expect([...model.mixBlockParams.keys()]).toEqual(['mix_block.query.weight', 'mix_block.query.bias', 'mix_block.value.weight', 'mix_block.value.bias']);
    const mom = [...model.momentumParams.keys()];
    expect(mom.filter((k) => !k.startsWith('backbone_k.'))).toEqual(['head_one_k.fc.weight', 'head_one_k.fc.bias', 'head_mix_k.fc.weight', 'head_mix_k.fc.bias']);
    expect(mom.length).toBe(on.length);
    const groups = [model.online, model.mixBlockParams, model.momentumParams];
    const vars = groups.flatMap((g) => [...g.values()]);
    expect(new Set(vars).size).toBe(vars.length);  // no Variable in two groups
    expect(model.params.size).toBe(vars.length);
    expect([...model.mixBlockParams.values()]).toEqual([...model.mixBlock.params.values()]);
    expect([...model.momentumParams.values()].every((v) => !v.trainable)).toBe(true);
    expect([...model.buffers.keys()].every((k) => /^backbone_[qk]\./.test(k))).toBe(true);
    expect(model.buffers.has('backbone_k.layer3.1.bn2.running_var')).toBe(true);
    expect(model.numClasses).toBe(5);
    expect(model.settings).toMatchObject({alpha: 2, momentum: 0.999, maskLayer: 2, maskLoss: 0.1, lamMargin: 0.08, mixShuffleNoRepeat: true,
      maskLossMode: 'L1', maskLossMargin: 0.1, headWeights: {head_mix_q: 1, head_one_q: 1, head_mix_k: 1, head_one_k: 1}});
    expect(model.settings.heads.mixK).toBe(model.settings.heads.mix);
  });

  it('k is a copy of q; heads are N(0, 0.01²) with zero bias', () => {
    for (const [name, vk] of model.momentumParams) {
      const vq = model.online.get(name.replace(/^backbone_k/, 'backbone_q').replace(/_k\.fc/, '_q.fc'))!;
      expect(values(vk)).toEqual(values(vq));
    }
    for (const [name, b] of model.buffers) if (name.startsWith('backbone_k.')) expect(values(b)).toEqual(values(model.buffers.get(name.replace('_k.', '_q.'))!));
    const w = values(model.online.get('head_mix_q.fc.weight')!);
    const std = Math.sqrt(w.reduce((s, x) => s + x * x, 0) / w.length);
    expect(std).toBeGreaterThan(0.005);
    expect(std).toBeLessThan(0.02);
    expect(values(model.online.get('head_one_q.fc.bias')!)).toEqual([0, 0, 0, 0, 0]);
    expect(values(model.online.get('head_one_q.fc.weight')!)).not.toEqual(w);
  });

  it('is reproducible from the seed', () => {
    const again = buildAutoMix(automixCfg(), {seed: 3, source: 'automix.json'});
    for (const [name, v] of model.params) expect(values(again.params.get(name)!)).toEqual(values(v));
    again.dispose();
  });
});

describe('forward passes', () => {
  it('maskFeatures is the stage mask_layer + 1 map; logits and testLogits shapes and keys', () => {
    const x = input(4, 16, 16, 3);
    expect(model.maskFeatures(x, {training: false}).shape).toEqual([4, 4, 4, 16]);
    for (const enc of ['q', 'k'] as const) for (const h of ['one', 'mix'] as const) expect(model.logits(x, enc, h, {training: false}).shape).toEqual([4, 5]);
    const test = model.testLogits(x);
    expect([...test.keys()]).toEqual(['acc_mix_k', 'acc_one_k', 'acc_mix_q', 'acc_one_q']);
    for (const t of test.values()) expect(t.shape).toEqual([4, 5]);
    // k == q after build: the same logits
    expect(maxAbsDiff(test.get('acc_one_k')!, test.get('acc_one_q')!)).toBe(0);
    expect(maxAbsDiff(test.get('acc_mix_q')!, model.logits(x, 'q', 'mix', {training: false}))).toBeLessThan(1e-6);
    tf.dispose([...test.values()]);
  });

  it('testLogits without k when head_weights.head_mix_k = 0', () => {
    const m = buildAutoMix(automixCfg({head_weights: {head_mix_q: 1, head_one_q: 1, head_mix_k: 0, head_one_k: 1}}), {seed: 1, source: 'a.json'});
    const test = m.testLogits(input(2, 16, 16, 3));
    expect([...test.keys()]).toEqual(['acc_mix_q', 'acc_one_q']);
    tf.dispose([...test.values()]);
    m.dispose();
  });

  it('gradients reach the Mix Block through mask -> mixImages -> k, and no k parameter is in the list', () => {
    const x = input(4, 16, 16, 3);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 5);
    const list = [...model.mixBlockParams.values()];
    const feats = model.maskFeatures(x, {training: true});
    const {value, grads} = tf.variableGrads(() => {
      const mask = model.mixBlock.mask(feats, INDEX, 0.4, [16, 16], {training: true, rng: new Rng(1)});
      const logits = model.logits(mixImages(x, INDEX, mask), 'k', 'mix', {training: true});
      return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
    }, list);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    for (const v of list) {
      const g = values(grads[v.name]);
      expect(g.every(Number.isFinite)).toBe(true);
      expect(Math.max(...g.map(Math.abs))).toBeGreaterThan(0);
    }
    const momentumNames = new Set([...model.momentumParams.values()].map((v) => v.name));
    expect(Object.keys(grads).some((n) => momentumNames.has(n))).toBe(false);
    tf.dispose([feats, labels, value, ...Object.values(grads)]);
  });
});

describe('momentumUpdate', () => {
  it('moves k toward q by exactly (1 − m); buffers untouched', () => {
    const m = buildAutoMix(automixCfg(), {seed: 2, source: 'a.json'});
    const qName = 'head_mix_q.fc.weight';
    const kName = 'head_mix_k.fc.weight';
    const bq = 'backbone_q.layer2.0.conv1.weight';
    const bk = 'backbone_k.layer2.0.conv1.weight';
    tf.tidy(() => {
      m.online.get(qName)!.assign(tf.add(m.online.get(qName)!, 1));
      m.online.get(bq)!.assign(tf.mul(m.online.get(bq)!, 3));
    });
    const [q0, k0, bq0, bk0] = [qName, kName, bq, bk].map((n) => values(m.params.get(n)!));
    const rv = values(m.buffers.get('backbone_k.bn1.running_var')!);
    m.momentumUpdate(0.9);
    const k1 = values(m.params.get(kName)!);
    k1.forEach((v, i) => expect(v).toBeCloseTo(0.9 * k0[i] + 0.1 * q0[i], 6));
    values(m.params.get(bk)!).forEach((v, i) => expect(v).toBeCloseTo(0.9 * bk0[i] + 0.1 * bq0[i], 6));
    expect(values(m.params.get(qName)!)).toEqual(q0);
    expect(values(m.buffers.get('backbone_k.bn1.running_var')!)).toEqual(rv);
    m.dispose();
  });
});

describe('SAMix model', () => {
  it('builds the SAMix mix block with BN buffers under mix_block.*', () => {
    const m = buildAutoMix(automixCfg({
      mix_block: {type: 'PixelMixBlock', in_channels: 16, reduction: 2, use_scale: true, unsampling_mode: ['bilinear'],
        lam_concat: false, lam_mul: true, lam_residual: true, lam_mul_k: 1, x_qk_concat: true, mask_loss_mode: 'L1+Variance', mask_loss_margin: 0.1,
        value_neck_cfg: {type: 'ConvNeck', in_channels: 16, hid_channels: 8, out_channels: 1, num_layers: 2, kernel_size: 1,
          with_last_bn: false, norm_cfg: {type: 'BN'}, with_last_dropout: 0.1, with_avg_pool: false, with_residual: false}},
      head_mix_k: {...head('ClsMixupHead'), multi_label: true, loss: {type: 'CrossEntropyLoss', use_soft: true, use_mix_decouple: true, eta_weight: 0.1}},
    }), {seed: 1, source: 's.json'});
    expect(m.buffers.has('mix_block.value.conv.0.bn.running_mean')).toBe(true);
    expect(m.mixBlockParams.has('mix_block.key.weight')).toBe(true);
    expect(m.settings.maskLossMode).toBe('L1+Variance');
    expect(m.settings.heads.mixK).toMatchObject({multi_label: true});
    const x = input(4, 16, 16, 3);
    const mask = m.mixBlock.mask(m.maskFeatures(x, {training: true}), INDEX, 0.5, [16, 16], {training: true, rng: new Rng(2)});
    expect(mask.shape).toEqual([4, 16, 16, 1]);
    m.dispose();
  });
});

describe('config errors name the field, the value and the file', () => {
  it.each([
    [{mask_layer: 3}, /a\.json: model\.mask_layer must be 0, 1 or 2 .*got 3/],
    [{backbone: {type: 'ResNet_CIFAR', depth: 18, base_channels: 4, out_indices: [3]}}, /a\.json: model\.backbone\.out_indices must list .* including mask_layer \(2\) and 3.*got \[3\]/],
    [{head_one: {...head('ClsHead'), in_channels: 16}}, /a\.json: model\.head_one\.in_channels must equal the backbone's last-stage channels 32, got 16/],
    [{head_mix: {...head('ClsMixupHead'), num_classes: 7}}, /a\.json: model\.head_mix\.num_classes must equal model\.head_one\.num_classes \(5\), got 7/],
    [{mix_block: {...(automixCfg().mix_block as object), in_channels: 32}}, /a\.json: model\.mix_block\.in_channels must equal the channels of backbone stage 3 \(mask_layer 2\): 16, got 32/],
    [{mix_block: {...(automixCfg().mix_block as object), reduction: 0}}, /a\.json: model\.mix_block\.reduction must be an integer >= 1, got 0/],
    [{momentum: 1.5}, /a\.json: model\.momentum must be a number in \[0, 1\], got 1\.5/],
    [{type: 'MixUpClassification'}, /a\.json: model\.type must be "AutoMixup", got "MixUpClassification"/],
    // OpenMixup options mixup does not build (backbone_k, debug, save, ...) are the schema's to refuse as unknown fields
    [{backbone_k: {type: 'ResNet'}}, /a\.json: model\.backbone_k is not a known option/],
    [{head_weights: {head_one_q: 1}}, /a\.json: model\.head_weights\.head_mix_q must be a number >= 0, got nothing/],
    [{mask_up_overide: 'x'}, /a\.json: model\.mask_up_overide is not a known option/],
  ])('%j', (over, message) => {
    expect(() => buildAutoMix(automixCfg(over), {seed: 0, source: 'a.json'})).toThrow(message);
  });
});

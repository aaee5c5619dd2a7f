/**
 * Opt-in cross-check against PyTorch: logits (eval and train mode) and BN running statistics of torchvision models
 * equal ours after loading the same state_dict. Needs the reference files of test/models/torchvision/export_reference.py;
 * skipped unless MIXUP_TORCHVISION_XCHECK names their directory (slow: full-width models on the cpu backend).
 */
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import {buildClassifier, loadPretrained, readSafetensors} from '../../src/models';
import {maxAbsDiff, modelCfg, useCpu} from './helpers';

const dir = process.env.MIXUP_TORCHVISION_XCHECK;
const names = dir ? fs.readdirSync(dir).filter((f) => f.endsWith('_io.safetensors')).map((f) => f.replace('_io.safetensors', '')) : [];
const maybe = dir ? describe : describe.skip;

maybe('torchvision cross-check (MIXUP_TORCHVISION_XCHECK)', () => {
  beforeAll(useCpu);

  it.each(names.map((n) => [n]))('%s matches torchvision', (name) => {
    const depth = Number(/\d+/.exec(name)![0]) as 18;
    const backbone = name.startsWith('resnext') ? {type: 'ResNeXt' as const, depth, groups: 32, width_per_group: 4} : {type: 'ResNet' as const, depth};
    const model = buildClassifier(modelCfg(backbone, 10), {seed: 0});
    loadPretrained(model, `${dir}/${name}.safetensors`);
    const io = readSafetensors(`${dir}/${name}_io.safetensors`);
    const ref = (k: string) => tf.tensor(io.get(k)!.data, io.get(k)!.shape);
    const x = tf.transpose(ref('x'), [0, 2, 3, 1]) as tf.Tensor4D; // NCHW -> NHWC
    const tol = (t: tf.Tensor) => 1e-5 * Math.max(1, tf.max(tf.abs(t)).dataSync()[0]);
    expect(maxAbsDiff(model.forward(x, {training: false}), ref('eval'))).toBeLessThan(tol(ref('eval')) * 10);
    expect(maxAbsDiff(model.forward(x, {training: true}), ref('train'))).toBeLessThan(tol(ref('train')) * 100);
    expect(maxAbsDiff(model.buffers.get('bn1.running_mean')!, ref('bn1.running_mean'))).toBeLessThan(1e-5);
    expect(maxAbsDiff(model.buffers.get('bn1.running_var')!, ref('bn1.running_var'))).toBeLessThan(1e-5);
    const lastVar = [...model.buffers.keys()].filter((k) => k.endsWith('running_var')).pop()!;
    expect(maxAbsDiff(model.buffers.get(lastVar)!, ref('last_bn.running_var'))).toBeLessThan(1e-4);
    model.dispose();
  });
});

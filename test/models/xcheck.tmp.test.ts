// One-off cross-check against torchvision outputs written by /tmp/mdl/export.py (deleted afterwards).
import * as tf from '@tensorflow/tfjs-core';
import {buildClassifier, loadPretrained, readSafetensors} from '../../src/models';
import {maxAbsDiff, modelCfg, useCpu} from './helpers';
beforeAll(useCpu);
it.each((process.env.XCHECK ?? 'resnet18').split(',').map((n) => [n]))('%s matches torchvision', (name) => {
  const depth = Number(name.match(/\d+/)![0]) as 18;
  const cfg = name.startsWith('resnext') ? modelCfg({type: 'ResNeXt', depth, groups: 32, width_per_group: 4}, 10) : modelCfg({type: 'ResNet', depth}, 10);
  const model = buildClassifier(cfg, {seed: 0});
  console.log(loadPretrained(model, `/tmp/mdl/${name}.safetensors`));
  const io = readSafetensors(`/tmp/mdl/${name}_io.safetensors`);
  const t = (k: string) => tf.tensor(io.get(k)!.data, io.get(k)!.shape);
  const x = tf.transpose(t('x'), [0, 2, 3, 1]) as tf.Tensor4D;
  const ev = model.forward(x, {training: false});
  const tr = model.forward(x, {training: true});
  const scale = (a: tf.Tensor) => tf.max(tf.abs(a)).dataSync()[0];
  const lastBn = [...model.buffers.keys()].filter((k) => k.endsWith('running_var')).pop()!;
  console.log(name, {
    eval: [maxAbsDiff(ev, t('eval')), scale(t('eval'))],
    train: [maxAbsDiff(tr, t('train')), scale(t('train'))],
    bn1mean: maxAbsDiff(model.buffers.get('bn1.running_mean')!, t('bn1_running_mean')),
    bn1var: maxAbsDiff(model.buffers.get('bn1.running_var')!, t('bn1_running_var')),
    lastvar: [lastBn, maxAbsDiff(model.buffers.get(lastBn)!, t('layer4_last_bn_running_var'))],
  });
});

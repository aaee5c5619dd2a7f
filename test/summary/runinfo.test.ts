import {backboneLabel, inferRunInfo, learnedVariant, methodLabel} from '../../src/summary/runinfo';

describe('inferRunInfo', () => {
  test('OpenMixup generated work dir, no config', () => {
    const dir = 'work_dirs/classification/aircrafts/mixups/basic/r18/mix_modemixup/r18_mixups_CE_none_alpha0_2_ep200';
    expect(inferRunInfo(dir, {seed: 0})).toEqual({workDir: dir, method: 'mixup', alpha: '0.2', backbone: 'r18', dataset: 'aircraft', epochs: 200});
  });

  test('our generated work dir and the iNat naming', () => {
    expect(inferRunInfo('work_dirs/generated/cub200/rx50/mix_modecutmix/rx50_mixups_CE_none_alpha1_ep200')).toMatchObject({
      method: 'cutmix', alpha: '1', backbone: 'rx50', dataset: 'cub200', epochs: 200,
    });
    expect(inferRunInfo('work_dirs/classification/inaturalist2017/mixups/r18/mix_modefmix/r18_mixups_CE_none_4xb64_alpha1_ep100')).toMatchObject({
      method: 'fmix', alpha: '1', backbone: 'r18', dataset: 'inat2017', epochs: 100,
    });
  });

  test('a config object wins over the path', () => {
    const config = {
      model: {mix_mode: ['mixup', 'cutmix'], alpha: [0.1, 1], backbone: {type: 'ResNeXt', depth: 101}, head: {num_classes: 8142}},
      runner: {max_epochs: 100},
    };
    expect(inferRunInfo('work_dirs/generated/cub200/r18/mix_modemixup/r18_x_alpha0_2_ep200', {config})).toMatchObject({
      method: 'mixup+cutmix', alpha: '0.1/1', backbone: 'rx101', dataset: 'inat2018', epochs: 100,
    });
  });

  test('Python config text when the path says nothing; vanilla has no alpha', () => {
    const config = "model = dict(type='MixUpClassification', alpha=1, mix_mode='vanilla',\n backbone=dict(type='ResNet', depth=50),\n head=dict(num_classes=205))\nrunner = dict(max_epochs=100)";
    expect(inferRunInfo('/tmp/somewhere/run1', {config})).toEqual({workDir: '/tmp/somewhere/run1', method: 'vanilla', backbone: 'r50', dataset: 'places205', epochs: 100});
    expect(inferRunInfo('/tmp/x', {config: "model = dict(type='AutoMixup', alpha=2.0)"})).toMatchObject({method: 'automix', alpha: '2'});
  });

  test('AutoMixup: samix when mix_block has value_neck_cfg or x_qk_concat, or a source says samix; else automix', () => {
    const model = (mixBlock: object) => ({config: {model: {type: 'AutoMixup', alpha: 2, mix_block: {type: 'PixelMixBlock', in_channels: 256, ...mixBlock}}}});
    expect(inferRunInfo('/tmp/run', model({value_neck_cfg: null, x_qk_concat: false}))).toMatchObject({method: 'automix', alpha: '2'});
    expect(inferRunInfo('/tmp/run', model({value_neck_cfg: {type: 'ConvNeck'}}))).toMatchObject({method: 'samix'});
    expect(inferRunInfo('/tmp/run', model({x_qk_concat: true}))).toMatchObject({method: 'samix'});
    expect(inferRunInfo('work_dirs/classification/cub200/samix/r18/r18_l2_a2_bili_val_dp01_mb_mlr5e_4_1xb16_ep200', model({}))).toMatchObject({method: 'samix', dataset: 'cub200', epochs: 200});
    expect(inferRunInfo('/tmp/x', {config: "model = dict(type='AutoMixup', alpha=2.0, mix_block=dict(value_neck_cfg=dict(type='ConvNeck')))"})).toMatchObject({method: 'samix'});
    expect(inferRunInfo('/tmp/x', {config: "model = dict(type='AutoMixup', mix_block=dict(value_neck_cfg=None, x_qk_concat=False))"})).toMatchObject({method: 'automix'});
    expect(learnedVariant({type: 'MixUpClassification', mix_block: {x_qk_concat: true}})).toBeUndefined();
    expect(methodLabel('samix')).toBe('SAMix*');
  });

  test('mixed policies are labelled by all their methods and alphas, from every source', () => {
    // OpenMixup's Python config text with lists
    const text = "model = dict(type='MixUpClassification', alpha=[0.2, 1.0], mix_mode=['mixup', 'cutmix'],\n backbone=dict(type='ResNet', depth=18))";
    expect(inferRunInfo('/tmp/somewhere/mix_modemixup/r18_x_ep200', {config: text})).toMatchObject({method: 'mixup+cutmix', alpha: '0.2/1', backbone: 'r18'});
    // a work-dir segment mix_mode<a>+<b>
    expect(inferRunInfo('work_dirs/cub200/r18/mix_modemixup+cutmix/r18_mixups_CE_none_ep200')).toMatchObject({method: 'mixup+cutmix', dataset: 'cub200'});
    // our engine's config object
    expect(inferRunInfo('/tmp/run', {config: {model: {mix_mode: ['mixup', 'cutmix'], alpha: [0.2, 1]}}})).toMatchObject({method: 'mixup+cutmix', alpha: '0.2/1'});
    expect(methodLabel('mixup+cutmix')).toBe('MixUp+CutMix');
  });

  test('labels', () => {
    expect(backboneLabel('rx101')).toBe('ResNeXt-101');
    expect(backboneLabel('r18')).toBe('ResNet-18');
    expect(methodLabel('fmix')).toBe('FMix*');
    expect(methodLabel('mixup+cutmix')).toBe('MixUp+CutMix');
  });
});

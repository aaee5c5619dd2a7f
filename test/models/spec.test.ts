import {MixupError} from '../../src/errors';
import {countParams, paramShapes, parseModelConfig} from '../../src/models';
import {modelCfg} from './helpers';

describe('paramShapes / countParams (no tensors allocated)', () => {
  // torchvision: sum(p.numel() for p in torchvision.models.<name>().parameters())
  it.each([
    ['ResNet-18', modelCfg({type: 'ResNet', depth: 18}, 1000, 512), 11_689_512],
    ['ResNet-34', modelCfg({type: 'ResNet', depth: 34}, 1000, 512), 21_797_672],
    ['ResNet-50', modelCfg({type: 'ResNet', depth: 50}, 1000, 2048), 25_557_032],
    ['ResNet-101', modelCfg({type: 'ResNet_Mix', depth: 101}, 1000, 2048), 44_549_160],
    ['ResNeXt-50 32x4d', modelCfg({type: 'ResNeXt', depth: 50, groups: 32, width_per_group: 4}, 1000, 2048), 25_028_904],
  ])('%s has torchvision\'s parameter count', (_name, cfg, expected) => {
    expect(countParams(cfg)).toBe(expected);
  });

  it('a CUB-200 ResNet-18 head changes only the fc count', () => {
    expect(countParams(modelCfg({type: 'ResNet', depth: 18}, 200, 512))).toBe(11_689_512 - 800 * 513);
  });

  it('lists the torchvision ResNet-18 state_dict keys in order (122 keys minus 20 num_batches_tracked)', () => {
    const specs = paramShapes(modelCfg({type: 'ResNet', depth: 18}, 1000));
    const names = specs.map((p) => p.name);
    expect(names).toHaveLength(102);
    expect(names.slice(0, 7)).toEqual([
      'conv1.weight', 'bn1.weight', 'bn1.bias', 'bn1.running_mean', 'bn1.running_var', 'layer1.0.conv1.weight', 'layer1.0.bn1.weight',
    ]);
    expect(names.slice(-2)).toEqual(['fc.weight', 'fc.bias']);
    expect(names.filter((n) => n.includes('downsample'))).toEqual(
      [2, 3, 4].flatMap((s) => [0, 1].flatMap((i) => (i === 0 ? [`layer${s}.0.downsample.0.weight`] : ['weight', 'bias', 'running_mean', 'running_var'].map((k) => `layer${s}.0.downsample.1.${k}`)))),
    );
    const byName = new Map(specs.map((p) => [p.name, p]));
    expect(byName.get('conv1.weight')).toMatchObject({kind: 'conv', torchShape: [64, 3, 7, 7], shape: [7, 7, 3, 64], trainable: true});
    expect(byName.get('layer2.0.conv1.weight')?.torchShape).toEqual([128, 64, 3, 3]);
    expect(byName.get('layer4.1.bn2.running_var')).toMatchObject({torchShape: [512], trainable: false});
    expect(byName.get('fc.weight')).toMatchObject({torchShape: [1000, 512], shape: [512, 1000]});
  });

  it('ResNeXt-50 32x4d has grouped 3x3 weights [out, in/groups, 3, 3] and bottleneck widths 128..1024', () => {
    const byName = new Map(paramShapes(modelCfg({type: 'ResNeXt', depth: 50}, 1000)).map((p) => [p.name, p]));
    expect(byName.get('layer1.0.conv2.weight')?.torchShape).toEqual([128, 4, 3, 3]);
    expect(byName.get('layer1.0.conv3.weight')?.torchShape).toEqual([256, 128, 1, 1]);
    expect(byName.get('layer4.2.conv2.weight')?.torchShape).toEqual([1024, 32, 3, 3]);
    expect(byName.get('layer1.0.downsample.0.weight')?.torchShape).toEqual([256, 64, 1, 1]);
  });

  it('the CIFAR stem is a 3x3 stride-1 conv without max-pool, at base_channels width', () => {
    const spec = parseModelConfig(modelCfg({type: 'ResNet_CIFAR', depth: 18, base_channels: 16}));
    expect(spec.stem).toMatchObject({kernel: 3, stride: 1, pad: 1, outChannels: 16});
    expect(spec.maxPool).toBe(false);
    expect(spec.featureChannels).toBe(128);
    const imagenet = parseModelConfig(modelCfg({type: 'ResNet', depth: 50}));
    expect(imagenet.stem).toMatchObject({kernel: 7, stride: 2, pad: 3, outChannels: 64});
    expect(imagenet.maxPool).toBe(true);
    // "pytorch" style: the stride of a Bottleneck sits on the 3x3 conv
    expect(imagenet.stages[1][0].units.map((u) => u.stride)).toEqual([1, 2, 1]);
  });
});

describe('config errors name the file, the dotted key and the value', () => {
  const fail = (cfg: unknown): MixupError => {
    try {
      parseModelConfig(cfg, 'configs/x.json');
    } catch (error) {
      expect(error).toBeInstanceOf(MixupError);
      return error as MixupError;
    }
    throw new Error('expected parseModelConfig to throw');
  };

  it('bad depth', () => {
    const e = fail(modelCfg({type: 'ResNet', depth: 20 as 18}));
    expect(e.message).toBe('configs/x.json: model.backbone.depth must be one of 18, 34, 50, 101, got 20');
    expect(e.category).toBe('usage');
  });

  it('unknown backbone type and unknown key', () => {
    expect(fail(modelCfg({type: 'VGG' as 'ResNet', depth: 18})).message).toMatch(/model\.backbone\.type must be one of ResNet, ResNeXt, ResNet_Mix, ResNet_CIFAR, got "VGG"/);
    expect(fail(modelCfg({type: 'ResNet', depth: 18, frozen_stages: 1} as never)).message).toMatch(/model\.backbone\.frozen_stages is not a known ResNet option/);
  });

  it('head in_channels that does not match the backbone', () => {
    expect(fail(modelCfg({type: 'ResNet', depth: 50}, 200, 512)).message).toBe(
      'configs/x.json: model.head.in_channels must equal the backbone\'s output channels 2048 (ResNet-50, base_channels 64), got 512',
    );
  });

  it('unsupported OpenMixup settings are not-implemented errors', () => {
    const e = fail(modelCfg({type: 'ResNet', depth: 18, out_indices: [2, 3]}));
    expect(e.category).toBe('notImplemented');
    expect(e.message).toMatch(/model\.backbone\.out_indices must be \[3\].*got \[2,3\]/);
    expect(fail(modelCfg({type: 'ResNet', depth: 18, style: 'caffe'})).category).toBe('notImplemented');
  });

  it('ResNeXt needs a Bottleneck depth; BasicBlock refuses groups', () => {
    expect(fail(modelCfg({type: 'ResNeXt', depth: 18})).message).toMatch(/model\.backbone\.depth must be 50 or 101 for ResNeXt, got 18/);
    expect(fail(modelCfg({type: 'ResNet', depth: 34, groups: 2})).message).toMatch(/model\.backbone\.groups must be 1/);
  });

  it('missing head / num_classes', () => {
    expect(fail({backbone: {type: 'ResNet', depth: 18}}).message).toBe('configs/x.json: model.head must be an object, got nothing');
    expect(fail({backbone: {type: 'ResNet', depth: 18}, head: {type: 'ClsHead'}}).message).toMatch(/model\.head\.num_classes must be an integer >= 1, got nothing/);
  });
});

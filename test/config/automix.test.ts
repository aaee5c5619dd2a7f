/**
 * Validation of `model.type: "AutoMixup"` configs (the learned mixers AutoMix / SAMix): the schema of the model,
 * `optimizer.paramwise_options`, `addtional_scheduler`, `custom_hooks`, and the cross-field checks.
 */
import * as path from 'node:path';
import {loadConfigFile} from '../../src/config/load';
import {isAutoMix, isMixUp, type MixupConfig} from '../../src/config/schema';
import {loadConfig, validateConfig} from '../../src/config/validate';

const ROOT = path.resolve(__dirname, '..', '..');
const load = (file: string): any => JSON.parse(JSON.stringify(loadConfigFile(path.join(ROOT, file))));
const messages = (config: unknown): string[] => validateConfig(config).map((i) => i.message);

function automixWith(edit: (c: any) => void, file = 'configs/demo/automix.json'): any {
  const config = load(file);
  edit(config);
  return config;
}

describe('AutoMixup configs', () => {
  it('the demo and benchmark configs validate, and isAutoMix / isMixUp tell the model types apart', () => {
    for (const file of ['configs/demo/automix.json', 'configs/demo/samix.json', 'configs/cub200/r18_automix.json', 'configs/inat2018/rx101_samix.json']) {
      const config: MixupConfig = loadConfig(path.join(ROOT, file));
      expect([isAutoMix(config), isMixUp(config)]).toEqual([true, false]);
    }
    const mixup = loadConfig(path.join(ROOT, 'configs/demo/r18_mixups_CE_none.json'));
    expect([isAutoMix(mixup), isMixUp(mixup)]).toEqual([false, true]);
  });

  it('the demo configs: ResNet_CIFAR-18 base 16, Mix Block on the 64-channel stage 2, α 2, short schedule', () => {
    const c = load('configs/demo/samix.json');
    expect([c.model.backbone.type, c.model.backbone.base_channels, c.model.mask_layer, c.model.mix_block.in_channels, c.model.head_one.in_channels]).toEqual(['ResNet_CIFAR', 16, 2, 64, 128]);
    expect([c.model.alpha, c.model.pretrained, c.runner.max_epochs, c.optimizer.lr, c.optimizer.paramwise_options.mix_block.lr]).toEqual([2, null, 2, 0.1, 0.1]);
    expect(c.model.head_mix_k.loss).toEqual({type: 'CrossEntropyLoss', use_soft: true, use_sigmoid: false, use_mix_decouple: true, eta_weight: 0.1, loss_weight: 1});
  });

  it.each([
    ['a wrong Mix Block width', (c: any) => (c.model.mix_block.in_channels = 128), 'model.mix_block.in_channels must be 64 (output channels of ResNet_CIFAR-18 stage 2 = model.mask_layer), got 128'],
    ['a wrong head width', (c: any) => (c.model.head_mix.in_channels = 64), 'model.head_mix.in_channels must be 128 (output channels of ResNet_CIFAR-18 stage 3), got 64'],
    ['different class counts', (c: any) => (c.model.head_mix.num_classes = 11), 'model.head_mix.num_classes must equal model.head_one.num_classes (10), got 11'],
    ['out_indices without mask_layer', (c: any) => (c.model.backbone.out_indices = [3]), "model.backbone.out_indices must contain model.mask_layer (2) and 3 (the Mix Block's stage and the heads' stage), e.g. [2, 3], got [3]"],
    ['a paramwise group other than mix_block', (c: any) => (c.optimizer.paramwise_options.backbone = {lr: 0.1}), 'optimizer.paramwise_options.backbone is not a known field; allowed here: mix_block'],
    ['no Mix Block group', (c: any) => delete c.optimizer.paramwise_options, 'optimizer.paramwise_options is missing (expected {"mix_block": {"lr": number > 0}}: an AutoMixup model trains its Mix Block in its own SGD group)'],
    ['a Mix Block lr of 0', (c: any) => (c.optimizer.paramwise_options.mix_block.lr = 0), 'optimizer.paramwise_options.mix_block.lr must be a number > 0, got 0'],
    ['an unsupported hook', (c: any) => c.custom_hooks.push({type: 'SAVEHook', save_interval: 100}), 'custom_hooks[2].type must be one of "CustomCosineAnnealingHook", "CosineScheduleHook" (the hooks mixup implements; remove others such as SAVEHook), got "SAVEHook"'],
    ['annealing another attribute', (c: any) => (c.custom_hooks[0].attr_name = 'alpha'), 'custom_hooks[0].attr_name must be "mask_loss" (the only model attribute mixup anneals), got "alpha"'],
    ['an unknown hook field', (c: any) => (c.custom_hooks[1].end_momentun = 1), 'custom_hooks[1].end_momentun is not a known field; allowed here: type, end_momentum, adjust_scope, warming_up, restart_step, update_interval, interval'],
    ['a momentum restart (not implemented)', (c: any) => (c.custom_hooks[1].restart_step = 100), 'custom_hooks[1].restart_step is not implemented (no reference config sets it); remove it'],
    ['a momentum update interval (not implemented)', (c: any) => (c.custom_hooks[1].update_interval = 2), 'custom_hooks[1].update_interval must be 1 (the momentum is updated every iteration; other intervals are not implemented), got 2'],
    ['an end momentum below the base', (c: any) => (c.custom_hooks[1].end_momentum = 0.9), 'custom_hooks[1].end_momentum must be >= model.momentum (0.99), got 0.9'],
    ['neither min_attr nor min_attr_ratio', (c: any) => delete c.custom_hooks[0].min_attr, 'custom_hooks[0] must set exactly one of min_attr and min_attr_ratio (the value the attribute anneals to), got neither'],
    ['a hook twice', (c: any) => c.custom_hooks.push({...c.custom_hooks[1]}), 'custom_hooks[2] is a second CosineScheduleHook (custom_hooks[1] is one); keep one'],
    ['a typo in the Mix Block', (c: any) => (c.model.mix_block.lam_concatt = true), 'model.mix_block.lam_concatt is not a known field; allowed here: type, in_channels, reduction'],
    ['a bad upsampling mode', (c: any) => (c.model.mix_block.unsampling_mode = ['nearest', 'area']), 'model.mix_block.unsampling_mode must be one of "nearest", "bilinear", "bicubic" or a non-empty array of them, got ["nearest","area"]'],
    ['a bad mask loss mode', (c: any) => (c.model.mix_block.mask_loss_mode = 'L3'), 'model.mix_block.mask_loss_mode must be one of "L1", "L2", "Variance", "L1+Variance", "L2+Variance", "none", "Sparsity", got "L3"'],
    ['a mix_mode field', (c: any) => (c.model.mix_mode = 'automix'), 'model.mix_mode is not a known field; allowed here: type, pretrained, alpha, momentum, mask_layer'],
    ['an α list', (c: any) => (c.model.alpha = [2, 1]), 'model.alpha must be a number > 0, got [2,1]'],
    ['a missing head', (c: any) => delete c.model.head_mix, 'model.head_mix is missing (expected an object)'],
    ['η without the decoupled loss', (c: any) => (c.model.head_mix.loss.eta_weight = 0.1), 'model.head_mix.loss.eta_weight is only used with model.head_mix.loss.use_mix_decouple: true (the η-balanced loss), got 0.1 without it'],
    ['top-5 of 4 classes', (c: any) => ['head_one', 'head_mix'].forEach((h) => (c.model[h].num_classes = 4)), 'evaluation.eval_param.topk[1] must be <= model.head_one.num_classes (4), got 5'],
    ['the scheduler of another group', (c: any) => (c.addtional_scheduler.paramwise_options = ['backbone']), 'addtional_scheduler.paramwise_options[0] must be "mix_block", got "backbone"'],
    ['an unknown model type', (c: any) => (c.model.type = 'AutoMix'), 'model.type must be one of "MixUpClassification", "AutoMixup", got "AutoMix"'],
  ])('names the field for %s', (_what, edit, message) => {
    const found = messages(automixWith(edit));
    expect(found.some((m) => m.startsWith(message))).toBe(true);
  });

  it('SAMix: head_mix_k is checked like the other heads, and the value neck is typed', () => {
    expect(messages(automixWith((c) => (c.model.head_mix_k.num_classes = 9), 'configs/demo/samix.json'))).toEqual(['model.head_mix_k.num_classes must equal model.head_one.num_classes (10), got 9']);
    expect(messages(automixWith((c) => (c.model.mix_block.value_neck_cfg.with_last_dropout = 1), 'configs/demo/samix.json'))).toEqual([
      'model.mix_block.value_neck_cfg.with_last_dropout must be a dropout probability in [0, 1), got 1',
    ]);
  });

  it('value_neck_cfg may be null; a ConvNeck needs hid_channels', () => {
    expect(messages(automixWith((c) => (c.model.mix_block.value_neck_cfg = null), 'configs/demo/samix.json'))).toEqual([]);
    expect(messages(automixWith((c) => delete c.model.mix_block.value_neck_cfg.hid_channels, 'configs/demo/samix.json'))).toEqual(['model.mix_block.value_neck_cfg.hid_channels is missing (expected an integer >= 1)']);
  });

  it('accepts OpenMixup Mix Block options that the models room refuses as not implemented', () => {
    expect(messages(automixWith((c) => Object.assign(c.model.mix_block, {attention_mode: 'gaussian', pre_norm_cfg: null, double_norm: true, mask_mode: 'none_v_'})))).toEqual([]);
  });

  it('rejects AutoMixup-only fields and learned mix_modes in a MixUpClassification config', () => {
    const mixup = load('configs/demo/r18_mixups_CE_none.json');
    const auto = load('configs/demo/automix.json');
    const found = messages({...mixup, optimizer: auto.optimizer, addtional_scheduler: auto.addtional_scheduler, custom_hooks: auto.custom_hooks});
    expect(found).toEqual([
      'optimizer.paramwise_options is only read with model.type "AutoMixup" (the learned mixers); remove it for a "MixUpClassification" model',
      'addtional_scheduler is only read with model.type "AutoMixup" (the learned mixers); remove it for a "MixUpClassification" model',
      'custom_hooks is only read with model.type "AutoMixup" (the learned mixers); remove it for a "MixUpClassification" model',
    ]);
    mixup.model.mix_mode = ['mixup', 'samix'];
    mixup.model.alpha = 1;
    expect(messages(mixup)).toEqual([
      'model.mix_mode[1] must not be the learned mixer "samix": it is its own classifier, model.type "AutoMixup" (e.g. configs/cub200/r18_samix.json, configs/demo/samix.json, or `mixup gen-configs --methods samix`), not a mix_mode of "MixUpClassification"',
    ]);
  });
});

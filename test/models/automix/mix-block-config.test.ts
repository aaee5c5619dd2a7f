import {mixBlockFromConfig} from '../../../src/models/automix/mix-block-config';
import {Rng} from '../../../src/rng';
import {samixCfg} from './reference';

describe('mixBlockFromConfig errors name model.mix_block.<field> and the value', () => {
  it.each([
    [{lam_mul: 2}, /c\.json: model\.mix_block\.lam_mul must be a number in \[0, 1\] or a boolean, got 2/, 'usage'],
    [{unsampling_mode: ['nearest', 'area']}, /model\.mix_block\.unsampling_mode must be .* got \["nearest","area"\]/, 'usage'],
    [{unsampling_mode: 'bicubic'}, /model\.mix_block\.unsampling_mode .* got "bicubic" \(not implemented\)/, 'notImplemented'],
    [{x_v_concat: true}, /model\.mix_block\.x_v_concat must be false, got true/, 'notImplemented'],
    [{pre_conv_cfg: {type: 'ConvNeck'}}, /model\.mix_block\.pre_conv_cfg must be null/, 'notImplemented'],
    [{attention_mode: 'gaussian'}, /model\.mix_block\.attention_mode .* got "gaussian"/, 'notImplemented'],
    [{mask_mode: 'sum'}, /model\.mix_block\.mask_mode must be "none", got "sum"/, 'notImplemented'],
    [{lam_concat_v: true}, /model\.mix_block\.lam_concat_v must be false/, 'notImplemented'],
    [{double_norm: true}, /model\.mix_block\.double_norm/, 'notImplemented'],
    [{mask_loss_mode: 'L3'}, /model\.mix_block\.mask_loss_mode must be one of .* got "L3"/, 'usage'],
    [{lam_concat: true}, /model\.mix_block\.lam_concat cannot be combined with lam_mul/, 'usage'],
    [{bogus: 1}, /model\.mix_block\.bogus is not a known option/, 'usage'],
    [{value_neck_cfg: {...(samixCfg().value_neck_cfg as object), with_residual: true}}, /model\.mix_block\.value_neck_cfg\.with_residual must be false/, 'usage'],
    [{value_neck_cfg: {...(samixCfg().value_neck_cfg as object), out_channels: 2}}, /value_neck_cfg\.out_channels must be 1 .*, got 2/, 'usage'],
  ])('%j', (over, message, category) => {
    let err: unknown;
    try {
      mixBlockFromConfig(samixCfg(over), 'c.json', new Rng(0));
    } catch (e) {
      err = e;
    }
    expect(String(err)).toMatch(message);
    expect((err as {category: string}).category).toBe(category);
  });
});

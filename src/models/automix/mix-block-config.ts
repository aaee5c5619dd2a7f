/**
 * {@link PixelMixBlock} from OpenMixup's `model.mix_block` dict (the AutoMix and SAMix benchmark configs) and its
 * `value_neck_cfg` (a `ConvNeck`): OpenMixup's defaults, every field checked, unsupported options refused by name.
 */
import {Rng} from '../../rng';
import {Fields, isObj} from '../fields';
import {MASK_LOSS_MODES, type MaskLossMode} from './mask-ops';
import {PixelMixBlock, UPSAMPLING_MODES, type MaskUpsampling, type ValueNeckOptions} from './mix-block';

const MIX_BLOCK_KEYS = ['type', 'in_channels', 'reduction', 'use_scale', 'double_norm', 'attention_mode', 'unsampling_mode',
  'pre_norm_cfg', 'pre_conv_cfg', 'pre_attn_cfg', 'pre_neck_cfg', 'pre_head_cfg', 'lam_concat', 'lam_concat_v', 'lam_mul',
  'lam_mul_k', 'lam_residual', 'value_neck_cfg', 'x_qk_concat', 'x_v_concat', 'mask_loss_mode', 'mask_loss_margin',
  'mask_mode', 'frozen'];
const NECK_KEYS = ['type', 'in_channels', 'hid_channels', 'out_channels', 'num_layers', 'kernel_size', 'conv_cfg', 'norm_cfg',
  'act_cfg', 'with_bias', 'with_avg_pool', 'with_last_norm', 'with_last_dropout', 'with_residual', 'with_last_bn'];

/**
 * Builds a {@link PixelMixBlock} from OpenMixup's `model.mix_block` dict (the AutoMix and SAMix benchmark configs).
 * Defaults are OpenMixup's `PixelMixBlock.__init__` ones (e.g. `unsampling_mode='bilinear'`, `lam_concat=False`,
 * `mask_loss_mode='none'`); `value_neck_cfg` is a `ConvNeck` whose `in_channels` is replaced by the block's value
 * input width, as OpenMixup does.
 * @param cfg the `mix_block` dict
 * @param source the config file, named in errors
 * @param rng draws the initial weights
 * @throws MixupError (usage) naming `model.mix_block.<field>` and the value; (notImplemented) for OpenMixup options
 *   not built here (pre_*, double_norm, x_v_concat, lam_concat_v, attention_mode other than embedded_gaussian,
 *   mask_mode other than none, frozen, bicubic upsampling, the Sparsity loss)
 */
export function mixBlockFromConfig(cfg: unknown, source: string, rng: Rng): PixelMixBlock {
  const f = Fields.of(source, 'model.mix_block', cfg);
  f.known(MIX_BLOCK_KEYS);
  if (f.obj.type !== 'PixelMixBlock') throw f.error('type', 'must be "PixelMixBlock"');
  const inChannels = f.int('in_channels', undefined, 1);
  const reduction = f.int('reduction', 2, 1);
  const useScale = f.bool('use_scale', true);
  f.onlyDefault('double_norm', [false], 'false');
  const attention = f.obj.attention_mode ?? 'embedded_gaussian';
  if (attention === 'gaussian') throw f.unsupported('attention_mode', 'must be "embedded_gaussian"');
  if (attention !== 'embedded_gaussian') throw f.error('attention_mode', 'must be "embedded_gaussian" (or OpenMixup\'s "gaussian")');
  for (const k of ['pre_norm_cfg', 'pre_conv_cfg', 'pre_attn_cfg', 'pre_neck_cfg', 'pre_head_cfg']) f.onlyDefault(k, [null], 'null');
  const up = f.obj.unsampling_mode ?? 'bilinear';
  const upList = typeof up === 'string' ? [up] : up;
  if (!Array.isArray(upList) || upList.length === 0 || upList.some((m) => typeof m !== 'string')) {
    throw f.error('unsampling_mode', 'must be "nearest", "bilinear" or a non-empty list of them', up);
  }
  const badUp = upList.find((m) => !UPSAMPLING_MODES.includes(m as MaskUpsampling));
  if (badUp === 'bicubic') throw f.unsupported('unsampling_mode', 'must use "nearest" or "bilinear" (tfjs has no bicubic resize)', up);
  if (badUp !== undefined) throw f.error('unsampling_mode', 'must be "nearest", "bilinear" or a non-empty list of them', up);
  const lamConcat = f.bool('lam_concat', false);
  f.onlyDefault('lam_concat_v', [false], 'false');
  const lamMulRaw = f.obj.lam_mul ?? 0;
  const lamMul = typeof lamMulRaw === 'boolean' ? Number(lamMulRaw) : lamMulRaw;  // OpenMixup float(lam_mul): True = 1
  if (typeof lamMul !== 'number' || !(lamMul >= 0 && lamMul <= 1)) throw f.error('lam_mul', 'must be a number in [0, 1] or a boolean', lamMulRaw);
  const kRaw = f.obj.lam_mul_k ?? -1;
  const ks = typeof kRaw === 'number' ? [kRaw] : kRaw;
  if (!Array.isArray(ks) || ks.length === 0 || ks.some((k) => typeof k !== 'number' || !Number.isFinite(k))) {
    throw f.error('lam_mul_k', 'must be a number (−1 = no rescale) or a non-empty list of numbers', kRaw);
  }
  const lamResidual = f.bool('lam_residual', false);
  const xQkConcat = f.bool('x_qk_concat', false);
  f.onlyDefault('x_v_concat', [false], 'false');
  if (lamConcat && lamMul > 0) throw f.error('lam_concat', 'cannot be combined with lam_mul > 0 (both embed λ in q, k, v)', {lam_concat: lamConcat, lam_mul: lamMulRaw});
  if (lamConcat && xQkConcat) throw f.error('lam_concat', 'cannot be combined with x_qk_concat (q = k = W·[x_i ‖ x_j])', {lam_concat: lamConcat, x_qk_concat: xQkConcat});
  const modeRaw = f.obj.mask_loss_mode ?? 'none';
  if (modeRaw === 'Sparsity') throw f.unsupported('mask_loss_mode', `must be one of ${MASK_LOSS_MODES.join(', ')} or "none"`);
  if (modeRaw !== 'none' && !MASK_LOSS_MODES.includes(modeRaw as MaskLossMode)) throw f.error('mask_loss_mode', `must be one of ${MASK_LOSS_MODES.join(', ')} or "none"`);
  const margin = Math.max(f.number('mask_loss_margin', 0), 0);  // OpenMixup max(mask_loss_margin, 0)
  f.onlyDefault('mask_mode', ['none'], '"none"');
  f.onlyDefault('frozen', [false], 'false');
  const valueNeck = f.has('value_neck_cfg') ? neckFromConfig(Fields.of(source, 'model.mix_block.value_neck_cfg', f.obj.value_neck_cfg)) : null;
  return new PixelMixBlock({
    inChannels, reduction, useScale, lamEmbedding: lamConcat ? 'concat' : 'none', upsampling: upList as MaskUpsampling[],
    lamMul, lamResidual, lamMulK: ks as number[], xQkConcat, valueNeck,
    maskLossMode: modeRaw as MaskLossMode | 'none', maskLossMargin: margin,
  }, rng);
}

/** OpenMixup `ConvNeck` dict -> {@link ValueNeckOptions} (defaults: ConvNeck's, e.g. act ELU, no bias, residual on). */
function neckFromConfig(f: Fields): ValueNeckOptions {
  f.known(NECK_KEYS);
  if (f.obj.type !== 'ConvNeck') throw f.unsupported('type', 'must be "ConvNeck"');
  if (f.int('out_channels', undefined, 1) !== 1) throw f.error('out_channels', 'must be 1 (the value is one logit per pixel)');
  const hidChannels = f.int('hid_channels', undefined, 1);
  const numLayers = f.int('num_layers', 2, 1);
  const kernelSize = f.int('kernel_size', 1, 1);
  if (kernelSize !== 1 && kernelSize !== 3) throw f.error('kernel_size', 'must be 1 or 3');
  f.onlyDefault('conv_cfg', [null], 'null');
  let norm = true;
  if (f.obj.norm_cfg === null) norm = false;
  else if (f.obj.norm_cfg !== undefined) {
    const n = Fields.of(f.source, `${f.path}.norm_cfg`, f.obj.norm_cfg);
    n.known(['type', 'requires_grad']);
    if (n.obj.type !== 'BN') throw n.unsupported('type', 'must be "BN"');
    n.onlyDefault('requires_grad', [true], 'true');
  }
  let activation: 'ELU' | 'ReLU' | 'none' = 'ELU';
  if (f.obj.act_cfg === null) activation = 'none';
  else if (f.obj.act_cfg !== undefined) {
    const a = Fields.of(f.source, `${f.path}.act_cfg`, f.obj.act_cfg);
    a.known(['type', 'inplace']);
    if (a.obj.type !== 'ELU' && a.obj.type !== 'ReLU') throw a.unsupported('type', 'must be "ELU" or "ReLU"');
    activation = a.obj.type;
  }
  const bias = f.bool('with_bias', false);
  f.onlyDefault('with_avg_pool', [false], 'false (the value keeps its spatial map)');
  const lastNorm = f.bool('with_last_norm', false);
  // `with_last_bn` is not a ConvNeck argument: OpenMixup drops it with **kwargs (the SAMix config sets it to False)
  if (f.obj.with_last_bn !== undefined && f.obj.with_last_bn !== false) throw f.error('with_last_bn', 'is ignored by OpenMixup\'s ConvNeck; use with_last_norm');
  const drop = f.obj.with_last_dropout ?? 0;
  if (isObj(drop)) throw f.unsupported('with_last_dropout', 'must be a probability (dropout dicts are not implemented)');
  if (typeof drop !== 'number' || !(drop >= 0 && drop < 1)) throw f.error('with_last_dropout', 'must be a number in [0, 1)', drop);
  if (f.obj.with_residual !== false) throw f.error('with_residual', 'must be false (a 1-channel value cannot add the C-channel input; ConvNeck\'s default is true)', f.obj.with_residual ?? true);
  return {hidChannels, numLayers, dropout: drop, kernelSize, activation, norm, lastNorm, bias};
}

/**
 * AutoMix's learned Mix Block (`PixelMixBlock`): a per-pixel mixing mask generated from the feature maps of two
 * samples and the mixing ratio λ. The mask loss and the masked image mixing are in `mask-ops.ts`; the block built
 * from OpenMixup's `model.mix_block` dict in `mix-block-config.ts`.
 *
 * Paper: Liu et al., "AutoMix: Unveiling the Power of Mixup for Stronger Classifiers", ECCV 2022,
 * https://arxiv.org/abs/2103.13027. Reference implementation: OpenMixup `openmixup/models/heads/pmix_block.py`
 * (`PixelMixBlock`) as configured by the AutoMix benchmark configs
 * (`lam_concat=True, reduction=2, use_scale=True, attention_mode='embedded_gaussian', unsampling_mode='nearest',
 * mask_mode='none', mask_loss_mode='L1', value_neck_cfg=None`).
 *
 * Formulation implemented (OpenMixup's, which is the paper's cross-attention with a query projection shared by the
 * two samples and no separate key projection). Features z ∈ ℝ^{N×h×w×C} (NHWC, backbone stage `mask_layer`),
 * z_i = z, z_j = z[index], one λ per batch:
 *
 *     λ-embedding  'concat' (OpenMixup AutoMix configs):  x_i = [z_i ‖ λ],  x_j = [z_j ‖ 1−λ]   (one extra channel)
 *                  'mul'    (the paper's Eq. "λ·z_i"):     x_i = λ·z_i,    x_j = (1−λ)·z_j
 *     query        q = W_q * x_i + b_q,   k = W_q * x_j + b_q    (1×1 conv, C' = max(C_in / reduction, 1) channels)
 *     value        v = W_v * x_i + b_v                            (1×1 conv, 1 channel)
 *     attention    P = softmax_row( q kᵀ / √C' ) ∈ ℝ^{N×hw×hw}    (softmax over the pixels of z_j; /√C' if useScale)
 *     mask logits  s = Pᵀ v ∈ ℝ^{N×hw×1} → N×h×w×1
 *     mask         M_i = σ( Up_{H×W}(s) ),   M_j = 1 − M_i
 *
 * The sigmoid is the softmax over the pair dimension of the two-sample logits (s, 0): σ(s) = e^s / (e^s + e^0),
 * so (M_i, M_j) = softmax([s, 0]) per pixel. As in OpenMixup, the upsampling (nearest by default, or bilinear) is
 * applied to the logits before the sigmoid.
 *
 * SAMix options (Li et al., "Boosting Discriminative Visual Representation Learning with Scenario-Agnostic Mixup",
 * https://arxiv.org/abs/2111.15454; OpenMixup `cub200/samix/r18_l2_a2_bili_val_dp01...`): λ multiplied into the
 * features with a residual and a rescaled λ (`lam_mul`, `lam_residual`, `lam_mul_k`), q and k from the concatenated
 * pair [x_i ‖ x_j] with their own projections (`x_qk_concat`), a non-linear value network (`value_neck_cfg`, a
 * ConvNeck) and the L1+Variance mask loss. Formulas next to the code below.
 */
import * as tf from '@tensorflow/tfjs-core';
import {Rng} from '../../rng';
import {batchNorm2d} from '../batch-norm';
import {showValue} from '../../errors';
import {checkIndex, checkLam, MASK_LOSS_MODES, type MaskLossMode} from './mask-ops';

/**
 * How λ enters the Mix Block (see the module TSDoc): 'concat' adds a λ channel (OpenMixup `lam_concat`), 'mul' is
 * the paper's λ·z_i, (1−λ)·z_j (= `lamMul: 1` without residual), 'none' leaves the features to `lamMul` alone.
 */
export type LamEmbedding = 'concat' | 'mul' | 'none';

/** Upsampling of the h×w mask logits to the image size H×W. */
export type MaskUpsampling = 'nearest' | 'bilinear';

/** The upsampling modes implemented (OpenMixup's `unsampling_mode` also has 'bicubic', which tfjs lacks). */
export const UPSAMPLING_MODES: readonly MaskUpsampling[] = ['nearest', 'bilinear'];

/**
 * The non-linear value network of SAMix: OpenMixup's `ConvNeck` without pooling or residual,
 *
 *     v = Dropout_p( Conv_L ∘ [Act ∘ BN ∘ Conv]_{L−1} (x) )      (Conv_L: hid → 1 channel, no BN / act unless lastNorm)
 *
 * Convs k×k (k = 1 in the SAMix configs) without bias by default (ConvNeck `with_bias=False`), N(0, initStd²);
 * BN weight 1, bias 0, running statistics with momentum 0.1; dropout (`with_last_dropout`) only when training.
 */
export interface ValueNeckOptions {
  /** hidden channels (`hid_channels`, 128 in the SAMix configs) */
  hidChannels: number;
  /** number of convs (`num_layers`); default 2 */
  numLayers?: number;
  /** drop probability on the output when training (`with_last_dropout`, 0.1 in SAMix); default 0 */
  dropout?: number;
  /** 1 or 3 (`kernel_size`); default 1 */
  kernelSize?: number;
  /** activation after every conv but the last (`act_cfg`); default 'ELU' (ConvNeck's default act_cfg) */
  activation?: 'ELU' | 'ReLU' | 'none';
  /** BN after every conv but the last (`norm_cfg=dict(type='BN')`); default true */
  norm?: boolean;
  /** BN after the last conv too (`with_last_norm`); default false */
  lastNorm?: boolean;
  /** conv biases (`with_bias`); default false */
  bias?: boolean;
}

/** Options of {@link PixelMixBlock}; names follow OpenMixup's `PixelMixBlock` arguments. */
export interface PixelMixBlockOptions {
  /** channels C of the feature map (OpenMixup `in_channels`, 256 for a ResNet-18 stage-3 map) */
  inChannels: number;
  /** channel reduction of the query projection: C' = max(floor(inChannels / reduction), 1); default 2 */
  reduction?: number;
  /** divide q kᵀ by √C' (OpenMixup `use_scale`); default true */
  useScale?: boolean;
  /** λ embedding; default 'concat', or 'none' when `lamMul` > 0 or `xQkConcat` is set */
  lamEmbedding?: LamEmbedding;
  /** upsampling of the mask, or the list one mode is drawn from per `mask()` call (OpenMixup `unsampling_mode`);
   * default 'nearest' */
  upsampling?: MaskUpsampling | readonly MaskUpsampling[];
  /** std of the normal initialisation of the conv weights (OpenMixup `normal_init(std=0.01)`); biases are 0 */
  initStd?: number;
  /** λ multiplied into the features (OpenMixup `lam_mul`, in [0, 1]; 0 = off, SAMix 1) */
  lamMul?: number;
  /** residual λ multiplication x·(1 + λ̃·lamMul) instead of λ̃·x (OpenMixup `lam_residual`); default false */
  lamResidual?: boolean;
  /** k of the λ rescale (OpenMixup `lam_mul_k`: −1 = none, SAMix 1; values above 10 count as 10), or a list one k
   * is drawn from per call; default −1 */
  lamMulK?: number | readonly number[];
  /** q = W_q·[x_i ‖ x_j], k = W_k·[x_i ‖ x_j] with a separate key projection (OpenMixup `x_qk_concat`) */
  xQkConcat?: boolean;
  /** SAMix's non-linear value network (OpenMixup `value_neck_cfg`); default: a 1×1 conv with bias */
  valueNeck?: ValueNeckOptions | null;
  /** mask loss mode for the model's settings (OpenMixup `mask_loss_mode`; 'none' only with a zero loss weight);
   * default 'L1' */
  maskLossMode?: MaskLossMode | 'none';
  /** mask loss margin (OpenMixup `mask_loss_margin`); default 0 */
  maskLossMargin?: number;
}

/** Per-call options of {@link PixelMixBlock.mask}. */
export interface MaskOptions {
  /** overrides the block's upsampling (a list: one mode drawn from `rng`); OpenMixup `unsampling_override` */
  upsampling?: MaskUpsampling | readonly MaskUpsampling[];
  /** training mode: value-neck BN on batch statistics (updating the running ones) and dropout; default false */
  training?: boolean;
  /** draws the upsampling mode and λ-rescale k from their lists (default: the first entry) and the dropout mask */
  rng?: Rng;
}

let blockCount = 0;

function checkShape(cond: boolean, what: string): void {
  if (!cond) throw new RangeError(`PixelMixBlock: ${what}`);
}

function checkUpsampling(modes: MaskUpsampling | readonly MaskUpsampling[], where: string): readonly MaskUpsampling[] {
  const list = typeof modes === 'string' ? [modes] : modes;
  if (!Array.isArray(list) || list.length === 0 || list.some((m) => !UPSAMPLING_MODES.includes(m))) {
    throw new RangeError(`${where}: upsampling must be 'nearest' or 'bilinear' or a non-empty list of them, got ${showValue(modes)}`);
  }
  return list;
}

/** One entry of `list`: the only one, a uniform draw from `rng`, or the first without an rng. */
function pick<T>(list: readonly T[], rng: Rng | undefined): T {
  return list.length === 1 || !rng ? list[0] : list[rng.int(list.length)];
}

/**
 * SAMix's λ rescale (OpenMixup `PixelMixBlock.rescale_lam_mult`), a cubic through (0, 0) and (1, 1) whose slope at
 * the ends grows with k:
 *
 *     λ̃(λ, k) = (4/3·λ³ − 2·λ² + (k+1)·λ) / ((k+1) − 2/3)
 *
 * @param lam λ ∈ [0, 1]
 * @param k ≥ 0
 */
export function rescaleLam(lam: number, k: number): number {
  if (!(k >= 0)) throw new RangeError(`rescaleLam: k must be >= 0, got ${k}`);
  const k1 = k + 1;
  return (4 / 3 * lam ** 3 - 2 * lam ** 2 + k1 * lam) / (k1 - 2 / 3);
}

/**
 * The Mix Block. Trainable parameters live in {@link PixelMixBlock.params} under OpenMixup's `state_dict` names
 * (tfjs conv layout HWIO): `query.weight` [1, 1, C_qk, C'], `query.bias` [C'], with `xQkConcat` also `key.weight`,
 * `key.bias`; the value is `value.weight` [1, 1, C_v, 1], `value.bias` [1], or with a value neck
 * `value.conv.<i>.conv.weight` [k, k, C_in, C_out] (`.conv.bias` with `bias`), `value.conv.<i>.bn.weight`,
 * `value.conv.<i>.bn.bias`, and the BN running statistics in {@link PixelMixBlock.buffers}
 * (`value.conv.<i>.bn.running_mean`, `.running_var`). The engine gives `params` their own optimiser / learning rate
 * (OpenMixup `paramwise_options={'mix_block': dict(lr=...)}`).
 */
export class PixelMixBlock {
  /** trainable variables by name, in the initialisation order (query, key, value) */
  readonly params: Map<string, tf.Variable>;
  /** BN running statistics of the value neck (empty without one) */
  readonly buffers: Map<string, tf.Variable>;
  /** channels of the feature map */
  readonly inChannels: number;
  /** channels of the query / key projections, C' */
  readonly interChannels: number;
  readonly useScale: boolean;
  readonly lamEmbedding: LamEmbedding;
  /** the default upsampling (the first of {@link upsamplingModes}) */
  readonly upsampling: MaskUpsampling;
  /** the modes one is drawn from per call */
  readonly upsamplingModes: readonly MaskUpsampling[];
  /** effective λ multiplication (1 for lamEmbedding 'mul' without lamMul; 0 = off) */
  readonly lamMul: number;
  readonly lamResidual: boolean;
  /** k values of the λ rescale, each −1 (off) or in [0, 10] */
  readonly lamMulK: readonly number[];
  readonly xQkConcat: boolean;
  readonly valueNeck: Required<ValueNeckOptions> | null;
  /** the mask loss mode of the config ('none' = OpenMixup's default, only valid with a zero `mask_loss` weight) */
  readonly maskLossMode: MaskLossMode | 'none';
  readonly maskLossMargin: number;

  /**
   * @param options see {@link PixelMixBlockOptions}
   * @param rng initialisation source: conv weights ~ N(0, initStd²) drawn in the order of `params`
   */
  constructor(options: PixelMixBlockOptions, rng: Rng) {
    const {inChannels, reduction = 2, useScale = true, upsampling = 'nearest', initStd = 0.01, lamResidual = false,
      xQkConcat = false, valueNeck = null, maskLossMode = 'L1', maskLossMargin = 0} = options;
    const lamMulIn = options.lamMul ?? 0;
    const lamEmbedding = options.lamEmbedding ?? (lamMulIn > 0 || xQkConcat ? 'none' : 'concat');
    if (!Number.isInteger(inChannels) || inChannels < 1) throw new RangeError(`PixelMixBlock: inChannels must be a positive integer, got ${inChannels}`);
    if (!Number.isInteger(reduction) || reduction < 1) throw new RangeError(`PixelMixBlock: reduction must be a positive integer, got ${reduction}`);
    if (!['concat', 'mul', 'none'].includes(lamEmbedding)) throw new RangeError(`PixelMixBlock: lamEmbedding must be 'concat', 'mul' or 'none', got ${showValue(lamEmbedding)}`);
    this.upsamplingModes = checkUpsampling(upsampling, 'PixelMixBlock');
    if (!(initStd >= 0)) throw new RangeError(`PixelMixBlock: initStd must be >= 0, got ${initStd}`);
    if (!(typeof lamMulIn === 'number' && lamMulIn >= 0 && lamMulIn <= 1)) throw new RangeError(`PixelMixBlock: lamMul must be in [0, 1], got ${lamMulIn}`);
    const ks = typeof options.lamMulK === 'number' ? [options.lamMulK] : options.lamMulK ?? [-1];
    if (ks.length === 0 || ks.some((k) => typeof k !== 'number' || !Number.isFinite(k))) throw new RangeError(`PixelMixBlock: lamMulK must be a number or a non-empty list of numbers, got ${showValue(options.lamMulK)}`);
    if (lamEmbedding === 'concat' && lamMulIn > 0) throw new RangeError('PixelMixBlock: lamEmbedding \'concat\' and lamMul > 0 both embed λ in q, k, v (OpenMixup allows one)');
    if (lamEmbedding === 'concat' && xQkConcat) throw new RangeError('PixelMixBlock: lamEmbedding \'concat\' is of no use with xQkConcat (q = k = W·[x_i ‖ x_j])');
    if (maskLossMode !== 'none' && !MASK_LOSS_MODES.includes(maskLossMode)) throw new RangeError(`PixelMixBlock: maskLossMode must be 'none' or one of ${MASK_LOSS_MODES.join(', ')}, got ${showValue(maskLossMode)}`);
    if (!(maskLossMargin >= 0)) throw new RangeError(`PixelMixBlock: maskLossMargin must be >= 0, got ${maskLossMargin}`);
    this.inChannels = inChannels;
    this.interChannels = Math.max(Math.floor(inChannels / reduction), 1);
    this.useScale = useScale;
    this.lamEmbedding = lamEmbedding;
    this.upsampling = this.upsamplingModes[0];
    this.lamMul = lamEmbedding === 'mul' && lamMulIn === 0 ? 1 : lamMulIn;
    this.lamResidual = lamResidual;
    this.lamMulK = ks.map((k) => (k >= 0 ? Math.min(k, 10) : -1));  // OpenMixup: min(k, 10) if k >= 0 else -1
    this.xQkConcat = xQkConcat;
    this.maskLossMode = maskLossMode;
    this.maskLossMargin = maskLossMargin;
    this.valueNeck = valueNeck === null ? null : checkNeck(valueNeck);

    const concat = lamEmbedding === 'concat';
    const cQk = xQkConcat ? 2 * inChannels : concat ? inChannels + 1 : inChannels;
    const cV = concat ? inChannels + 1 : inChannels;
    const id = blockCount++;
    const normal = (shape: number[]): tf.Tensor => {
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
      for (let i = 0; i < data.length; i++) data[i] = initStd * rng.normal();
      return tf.tensor(data, shape, 'float32');
    };
    const make = (name: string, init: tf.Tensor, trainable = true): [string, tf.Variable] => {
      const v = tf.variable(init, trainable, `automix_mixblock${id}/${name}`);
      init.dispose();
      return [name, v];
    };
    const d = this.interChannels;
    const params: Array<[string, tf.Variable]> = [make('query.weight', normal([1, 1, cQk, d])), make('query.bias', tf.zeros([d]))];
    if (xQkConcat) params.push(make('key.weight', normal([1, 1, cQk, d])), make('key.bias', tf.zeros([d])));
    const buffers: Array<[string, tf.Variable]> = [];
    const neck = this.valueNeck;
    if (!neck) {
      params.push(make('value.weight', normal([1, 1, cV, 1])), make('value.bias', tf.zeros([1])));
    } else {
      for (let i = 0; i < neck.numLayers; i++) {
        const cin = i === 0 ? cV : neck.hidChannels;
        const cout = i === neck.numLayers - 1 ? 1 : neck.hidChannels;
        const p = `value.conv.${i}`;
        params.push(make(`${p}.conv.weight`, normal([neck.kernelSize, neck.kernelSize, cin, cout])));
        if (neck.bias) params.push(make(`${p}.conv.bias`, tf.zeros([cout])));
        if (this.neckHasNorm(i)) {
          params.push(make(`${p}.bn.weight`, tf.ones([cout])), make(`${p}.bn.bias`, tf.zeros([cout])));
          buffers.push(make(`${p}.bn.running_mean`, tf.zeros([cout]), false), make(`${p}.bn.running_var`, tf.ones([cout]), false));
        }
      }
    }
    this.params = new Map(params);
    this.buffers = new Map(buffers);
  }

  private p(name: string): tf.Variable {
    return this.params.get(name) as tf.Variable;
  }

  private neckHasNorm(i: number): boolean {
    const neck = this.valueNeck as Required<ValueNeckOptions>;
    return neck.norm && (i < neck.numLayers - 1 || neck.lastNorm);
  }

  /**
   * The value network: a 1×1 conv v = W_v * x + b_v, or the ConvNeck of {@link ValueNeckOptions}
   * (conv → BN → act for all but the last layer, then dropout on the 1-channel output when training).
   */
  private value(x: tf.Tensor4D, training: boolean, rng: Rng | undefined): tf.Tensor4D {
    const neck = this.valueNeck;
    if (!neck) return tf.add(tf.conv2d(x, this.p('value.weight') as tf.Tensor4D, 1, 'valid'), this.p('value.bias'));
    let h = x;
    for (let i = 0; i < neck.numLayers; i++) {
      const p = `value.conv.${i}`;
      h = tf.conv2d(h, this.p(`${p}.conv.weight`) as tf.Tensor4D, 1, neck.kernelSize === 3 ? 1 : 0);
      if (neck.bias) h = tf.add(h, this.p(`${p}.conv.bias`));
      if (this.neckHasNorm(i)) h = this.batchNorm(h, p, training);
      if (i < neck.numLayers - 1) {
        if (neck.activation === 'ELU') h = tf.elu(h);
        else if (neck.activation === 'ReLU') h = tf.relu(h);
      }
    }
    if (training && neck.dropout > 0) {
      // inverted dropout (nn.Dropout): keep with probability 1 − p and scale by 1/(1 − p)
      if (!rng) throw new RangeError('PixelMixBlock.mask: training with value-neck dropout needs opts.rng (the dropout mask source)');
      const keep = new Float32Array(h.size);
      const scale = 1 / (1 - neck.dropout);
      for (let i = 0; i < keep.length; i++) keep[i] = rng.uniform() < neck.dropout ? 0 : scale;
      h = tf.mul(h, tf.tensor(keep, h.shape, 'float32'));
    }
    return h;
  }

  /** BN of the value neck (torch BatchNorm2d: batch statistics and running-statistics update when training). */
  private batchNorm(x: tf.Tensor4D, prefix: string, training: boolean): tf.Tensor4D {
    const bn = {
      weight: this.p(`${prefix}.bn.weight`), bias: this.p(`${prefix}.bn.bias`),
      runningMean: this.buffers.get(`${prefix}.bn.running_mean`) as tf.Variable, runningVar: this.buffers.get(`${prefix}.bn.running_var`) as tf.Variable,
    };
    return batchNorm2d(x, bn, training, () =>
      new RangeError(`PixelMixBlock: value-neck batch norm in training mode needs more than 1 value per channel, got shape [${x.shape.join(', ')}]`),
    );
  }

  /**
   * The mixing mask M_i for the samples `z` and their pairs `z[index]` (formulas in the module TSDoc and below).
   * Differentiable with respect to {@link params} and `features`.
   * @param features z, N×h×w×C (NHWC), C = inChannels
   * @param index pair index: z_j = z[index] (a permutation of 0..N−1 in training)
   * @param lam mixing ratio λ ∈ [0, 1] (one per batch)
   * @param size image size [H, W] (each ≥ the feature map's)
   * @param opts upsampling override, training mode (value-neck BN and dropout) and the Rng for the per-call draws
   *   (λ-rescale k, then upsampling mode, then the dropout mask)
   * @returns M_i, N×H×W×1 with values in [0, 1]: the weight of x_i in the mixed image
   */
  mask(features: tf.Tensor4D, index: Int32Array, lam: number, size: [number, number], opts: MaskOptions = {}): tf.Tensor4D {
    checkShape(features.rank === 4 && features.shape[3] === this.inChannels,
      `features must be N×h×w×${this.inChannels} (NHWC), got shape [${features.shape.join(', ')}]`);
    const [n, h, w] = features.shape;
    checkIndex(index, n, 'PixelMixBlock.mask');
    checkLam(lam, 'PixelMixBlock.mask');
    const [H, W] = size;
    checkShape(Number.isInteger(H) && Number.isInteger(W) && H >= h && W >= w,
      `size must be integers [H, W] >= the feature map's [${h}, ${w}], got [${size.join(', ')}]`);
    const {training = false, rng} = opts;
    const modes = opts.upsampling === undefined ? this.upsamplingModes : checkUpsampling(opts.upsampling, 'PixelMixBlock.mask');
    const kLam = this.lamMul > 0 ? pick(this.lamMulK, rng) : -1;
    const mode = pick(modes, rng);
    return tf.tidy(() => {
      let xi: tf.Tensor4D = features;
      let xj: tf.Tensor4D = tf.gather(features, tf.tensor1d(index, 'int32'));
      if (this.lamMul > 0) {
        // λ̃ = rescale(λ, k) (k ≥ 0) or λ;  residual: x_i·(1 + λ̃·lam_mul), x_j·(1 + (1−λ̃)·lam_mul);  else λ̃·x_i, (1−λ̃)·x_j
        const lr = kLam >= 0 ? rescaleLam(lam, kLam) : lam;
        if (this.lamResidual) {
          xi = tf.mul(xi, 1 + lr * this.lamMul);
          xj = tf.mul(xj, 1 + (1 - lr) * this.lamMul);
        } else {
          xi = tf.mul(xi, lr);
          xj = tf.mul(xj, 1 - lr);
        }
      }
      if (this.lamEmbedding === 'concat') {
        // x_i = [z_i ‖ λ], x_j = [z_j ‖ 1−λ]
        xi = tf.concat([xi, tf.fill([n, h, w, 1], lam)], 3);
        xj = tf.concat([xj, tf.fill([n, h, w, 1], 1 - lam)], 3);
      }
      // v = Value(x_i) (before the x_qk concatenation, as OpenMixup)
      const v = tf.reshape(this.value(xi, training, rng), [n, h * w, 1]) as tf.Tensor3D;
      if (this.xQkConcat) {
        // SAMix: q = W_q·[x_i ‖ x_j] + b_q, k = W_k·[x_i ‖ x_j] + b_k (both sides see the pair)
        xi = tf.concat([xi, xj], 3);
        xj = xi;
      }
      const conv1x1 = (x: tf.Tensor4D, name: string): tf.Tensor4D =>
        tf.add(tf.conv2d(x, this.p(`${name}.weight`) as tf.Tensor4D, 1, 'valid'), this.p(`${name}.bias`));
      const d = this.interChannels;
      const q = tf.reshape(conv1x1(xi, 'query'), [n, h * w, d]) as tf.Tensor3D;
      const k = tf.reshape(conv1x1(xj, this.xQkConcat ? 'key' : 'query'), [n, h * w, d]) as tf.Tensor3D;
      let scores = tf.matMul(q, k, false, true);  // N×hw×hw: row a (pixel of z_i) against column b (pixel of z_j)
      if (this.useScale) scores = tf.div(scores, Math.sqrt(d));
      const attn = tf.softmax(scores);  // P = softmax_row(q kᵀ / √C'), over the pixels of z_j
      const logits = tf.reshape(tf.matMul(attn, v, true, false), [n, h, w, 1]) as tf.Tensor4D;  // s = Pᵀ v
      const up = H === h && W === w ? logits
        : mode === 'nearest' ? tf.image.resizeNearestNeighbor(logits, [H, W]) : tf.image.resizeBilinear(logits, [H, W]);
      return tf.sigmoid(up);  // M_i = σ(Up(s))
    });
  }

  /** Disposes the variables. */
  dispose(): void {
    for (const v of [...this.params.values(), ...this.buffers.values()]) v.dispose();
  }
}

function checkNeck(o: ValueNeckOptions): Required<ValueNeckOptions> {
  const {hidChannels, numLayers = 2, dropout = 0, kernelSize = 1, activation = 'ELU', norm = true, lastNorm = false, bias = false} = o;
  if (!Number.isInteger(hidChannels) || hidChannels < 1) throw new RangeError(`PixelMixBlock: valueNeck.hidChannels must be a positive integer, got ${hidChannels}`);
  if (!Number.isInteger(numLayers) || numLayers < 1) throw new RangeError(`PixelMixBlock: valueNeck.numLayers must be a positive integer, got ${numLayers}`);
  if (!(dropout >= 0 && dropout < 1)) throw new RangeError(`PixelMixBlock: valueNeck.dropout must be in [0, 1), got ${dropout}`);
  if (kernelSize !== 1 && kernelSize !== 3) throw new RangeError(`PixelMixBlock: valueNeck.kernelSize must be 1 or 3, got ${kernelSize}`);
  if (!['ELU', 'ReLU', 'none'].includes(activation)) throw new RangeError(`PixelMixBlock: valueNeck.activation must be 'ELU', 'ReLU' or 'none', got ${showValue(activation)}`);
  return {hidChannels, numLayers, dropout, kernelSize, activation, norm, lastNorm, bias};
}

/**
 * OpenMixup's `AutoMixup` classifier (AutoMix and SAMix): an online encoder q (backbone + `head_one` + `head_mix`),
 * its momentum copy k (θ_k ← m·θ_k + (1−m)·θ_q, no gradient) and the Mix Block, which turns k's stage-`mask_layer`
 * feature map into per-pixel mixing masks.
 *
 * Papers: Liu et al., "AutoMix: Unveiling the Power of Mixup for Stronger Classifiers", https://arxiv.org/abs/2103.13027;
 * Li et al., "Boosting Discriminative Visual Representation Learning with Scenario-Agnostic Mixup",
 * https://arxiv.org/abs/2111.15454. Reference: OpenMixup `openmixup/models/classifiers/automix.py`.
 * The bi-level training step itself lives in the engine (src/engine/automix-learner.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import {Rng} from '../../rng';
import {loadPretrained as loadClassifierPretrained} from '../pretrained';
import {ResNetClassifier} from '../resnet';
import {parseModelConfig, type ModelSpec} from '../spec';
import type {PretrainedOptions, PretrainedReport} from '../types';
import {emaUpdate} from './ema';
import {Fields, type Obj} from '../fields';
import type {MaskLossMode} from './mask-ops';
import {PixelMixBlock} from './mix-block';
import {mixBlockFromConfig} from './mix-block-config';
import {showValue} from '../../errors';

/** Loss weights of the four heads (OpenMixup `head_weights`). */
export interface AutoMixHeadWeights {
  head_mix_q: number;
  head_one_q: number;
  head_mix_k: number;
  head_one_k: number;
}

/** The scalar settings of an `AutoMixup` model dict, for the engine. */
export interface AutoMixSettings {
  /** λ ~ Beta(α, α) */
  alpha: number;
  /** base EMA momentum (CosineScheduleHook starts here) */
  momentum: number;
  /** 0-based stage index of the Mix Block's features (OpenMixup `mask_layer`; stage mask_layer + 1) */
  maskLayer: number;
  /** weight of the mask loss (annealed by CustomCosineAnnealingHook) */
  maskLoss: number;
  /** probability of OpenMixup's mask adjustment */
  maskAdjust: number;
  /** the backbone trains on plain mixup when λ or 1−λ <= lamMargin (0 when the config gives a negative value) */
  lamMargin: number;
  mixShuffleNoRepeat: boolean;
  /** `mix_block.mask_loss_mode` ('none' only when maskLoss is 0) */
  maskLossMode: MaskLossMode | 'none';
  maskLossMargin: number;
  headWeights: AutoMixHeadWeights;
  /** head dicts for the engine's losses (mixK = head_mix_k, else head_mix) */
  heads: {one: Obj; mix: Obj; mixK: Obj};
}

/** Options of {@link buildAutoMix}. */
export interface AutoMixBuildOptions {
  /** seeds the one Rng that draws the backbone seed, the head weights and the Mix Block weights (in that order) */
  seed: number;
  /** the config file, named in errors */
  source: string;
}

// OpenMixup's other AutoMixup options (debug, save, backbone_k, pre_*_loss, switch_off, head_ensemble, ...) are
// refused by the config schema as unknown fields (`mixup import-config` drops their neutral values)
const MODEL_KEYS = ['type', 'pretrained', 'alpha', 'momentum', 'mask_layer', 'mask_loss', 'mask_adjust', 'lam_margin',
  'mix_shuffle_no_repeat', 'backbone', 'mix_block', 'head_one', 'head_mix', 'head_mix_k', 'head_weights'];
const HEAD_TYPES = ['ClsHead', 'ClsMixupHead'];
const HEAD_WEIGHT_KEYS = ['head_mix_q', 'head_one_q', 'head_mix_k', 'head_one_k'];

/** What {@link buildAutoMix} hands the constructor. */
interface Parsed {
  settings: AutoMixSettings;
  numClasses: number;
  /** the backbone's layer list, with head_one's class count */
  spec: ModelSpec;
  mixBlockCfg: unknown;
  source: string;
}

/**
 * Builds the AutoMix / SAMix model of an OpenMixup `model` dict (`type: "AutoMixup"`).
 * @throws MixupError (usage) naming the config file and `model.<field>` with the value
 */
export function buildAutoMix(modelCfg: unknown, opts: AutoMixBuildOptions): AutoMixModel {
  return new AutoMixModel(parseAutoMix(modelCfg, opts.source), opts.seed);
}

function parseAutoMix(modelCfg: unknown, source: string): Parsed {
  const f = Fields.of(source, 'model', modelCfg);
  f.known(MODEL_KEYS);
  if (f.obj.type !== 'AutoMixup') throw f.error('type', 'must be "AutoMixup"');
  if (f.has('pretrained') && typeof f.obj.pretrained !== 'string') throw f.error('pretrained', 'must be a string ("torchvision://resnet18" or a safetensors file) or null');
  if (f.obj.alpha !== undefined && !(typeof f.obj.alpha === 'number' && f.obj.alpha > 0)) throw f.error('alpha', 'must be a number > 0');
  const alpha = f.number('alpha', 1, 0);
  const momentum = f.number('momentum', 0.999, 0, 1);
  const maskLayer = f.int('mask_layer', 2, 0);
  if (maskLayer > 2) throw f.error('mask_layer', 'must be 0, 1 or 2 (the output of stage 1..3; stage 4 feeds the heads)');
  const maskLoss = f.number('mask_loss', 0, 0);
  const maskAdjust = f.number('mask_adjust', 0, 0, 1);
  const lamMargin = Math.max(f.number('lam_margin', -1, -Infinity, 0.5), 0);  // OpenMixup: <= 0 means off
  const mixShuffleNoRepeat = f.bool('mix_shuffle_no_repeat', false);

  const bb = Fields.of(source, 'model.backbone', f.obj.backbone);
  const out = bb.obj.out_indices;
  if (!Array.isArray(out) || out.some((i) => !Number.isInteger(i) || i < 0 || i > 3) || !out.includes(3) || !out.includes(maskLayer)) {
    throw bb.error('out_indices', `must list stage indices in 0..3 including mask_layer (${maskLayer}) and 3, e.g. [${maskLayer}, 3]`, out);
  }
  const backboneCfg: Obj = {...bb.obj, out_indices: [3]};

  // heads: check against the backbone's stage widths (parseModelConfig names backbone errors as model.backbone.*)
  const spec = parseModelConfig({backbone: backboneCfg, head: {type: 'ClsHead', num_classes: 1}}, source);
  const lastChannels = spec.featureChannels;
  const head = (key: string, required: boolean): Obj | undefined => {
    if (!required && !f.has(key)) return undefined;
    const h = Fields.of(source, `model.${key}`, f.obj[key]);
    if (!HEAD_TYPES.includes(h.obj.type as string)) throw h.unsupported('type', `must be one of ${HEAD_TYPES.join(', ')} (a linear head)`);
    h.int('num_classes', undefined, 1);
    if (h.obj.in_channels !== undefined && h.obj.in_channels !== lastChannels) {
      throw h.error('in_channels', `must equal the backbone's last-stage channels ${lastChannels}`);
    }
    if ((h.obj.with_avg_pool ?? true) !== true) throw h.unsupported('with_avg_pool', 'must be true (the head pools the last-stage map)');
    return h.obj;
  };
  const one = head('head_one', true)!;
  const mix = head('head_mix', true)!;
  const mixK = head('head_mix_k', false) ?? mix;
  const numClasses = one.num_classes as number;
  for (const [key, h] of [['head_mix', mix], ['head_mix_k', mixK]] as const) {
    if (h.num_classes !== numClasses) throw new Fields(source, `model.${key}`, h).error('num_classes', `must equal model.head_one.num_classes (${numClasses})`);
  }

  const mb = Fields.of(source, 'model.mix_block', f.obj.mix_block);
  const stageChannels = spec.stages[maskLayer][spec.stages[maskLayer].length - 1];
  const maskChannels = (stageChannels.downsample ?? stageChannels.units[stageChannels.units.length - 1]).outChannels;
  if (mb.obj.in_channels !== maskChannels) {
    throw mb.error('in_channels', `must equal the channels of backbone stage ${maskLayer + 1} (mask_layer ${maskLayer}): ${maskChannels}`);
  }
  const modeRaw = mb.obj.mask_loss_mode ?? 'none';
  if (maskLoss > 0 && modeRaw === 'none') throw mb.error('mask_loss_mode', `must name a loss (e.g. "L1") when model.mask_loss is ${maskLoss} > 0`);

  const headWeights: AutoMixHeadWeights = {head_mix_q: 1, head_one_q: 1, head_mix_k: 1, head_one_k: 1};
  if (f.has('head_weights')) {
    const w = Fields.of(source, 'model.head_weights', f.obj.head_weights);
    w.known(HEAD_WEIGHT_KEYS);
    headWeights.head_mix_q = w.number('head_mix_q', undefined, 0);
    if (headWeights.head_mix_q <= 0) throw w.error('head_mix_q', 'must be > 0 (the encoder trains on the mixed samples)');
    headWeights.head_mix_k = w.number('head_mix_k', undefined, 0);
    // OpenMixup: a head_one_* key that is missing removes that head; here the head stays with weight 0
    headWeights.head_one_q = w.number('head_one_q', 0, 0);
    headWeights.head_one_k = w.number('head_one_k', 0, 0);
  }

  const settings: AutoMixSettings = {
    alpha, momentum, maskLayer, maskLoss, maskAdjust, lamMargin, mixShuffleNoRepeat,
    maskLossMode: modeRaw as MaskLossMode | 'none', maskLossMargin: 0, headWeights, heads: {one, mix, mixK},
  };
  return {settings, numClasses, spec: {...spec, numClasses}, mixBlockCfg: f.obj.mix_block, source};
}

let modelCount = 0;

/**
 * The AutoMix / SAMix model: encoders q and k (torchvision ResNets), their `head_one` / `head_mix` linear heads
 * (weights [C, numClasses], tfjs layout) and the Mix Block. Names (OpenMixup's `state_dict` names):
 * `backbone_q.<torchvision name>`, `head_one_q.fc.weight`, `head_mix_q.fc.bias`, `mix_block.query.weight`,
 * `backbone_k.…`, `head_one_k.fc.…`, `head_mix_k.fc.…`.
 */
export class AutoMixModel {
  readonly numClasses: number;
  readonly settings: AutoMixSettings;
  readonly mixBlock: PixelMixBlock;
  /** gradient-trained online encoder: 'backbone_q.<torchvision name>' (no fc), 'head_one_q.fc.*', 'head_mix_q.fc.*' */
  readonly online = new Map<string, tf.Variable>();
  /** gradient-trained Mix Block: 'mix_block.<name>' (the Variables of mixBlock.params) */
  readonly mixBlockParams = new Map<string, tf.Variable>();
  /** EMA copies, never in a gradient list (their Variables are not `trainable`): 'backbone_k.*', 'head_one_k.fc.*',
   * 'head_mix_k.fc.*' */
  readonly momentumParams = new Map<string, tf.Variable>();
  /** online, mixBlockParams and momentumParams together (checkpoints) */
  readonly params = new Map<string, tf.Variable>();
  /** BN running statistics: 'backbone_q.*', 'backbone_k.*', 'mix_block.*' */
  readonly buffers = new Map<string, tf.Variable>();
  private readonly q: ResNetClassifier;
  private readonly k: ResNetClassifier;
  private readonly headMixQ: [tf.Variable, tf.Variable];
  private readonly headMixK: [tf.Variable, tf.Variable];
  /** the EMA pairs by a common name (backbone.*, head_one.fc.*, head_mix.fc.*) */
  private readonly emaQ = new Map<string, tf.Variable>();
  private readonly emaK = new Map<string, tf.Variable>();
  private disposed = false;

  /** Use {@link buildAutoMix}. */
  constructor(parsed: Parsed, seed: number) {
    this.settings = parsed.settings;
    this.numClasses = parsed.numClasses;
    const rng = new Rng(seed);
    // both backbones (with head_one as their fc) from one seed; k is then overwritten by a copy of q anyway
    const {spec} = parsed;
    const bbSeed = rng.nextUint32();
    this.q = new ResNetClassifier(spec, bbSeed);
    this.k = new ResNetClassifier(spec, bbSeed);
    const id = modelCount++;
    const c = spec.featureChannels;
    const n = parsed.numClasses;
    // OpenMixup ClsHead.init_weights: fc ~ N(0, 0.01²), bias 0 (head_one_q, then head_mix_q)
    const normal = (): tf.Tensor => {
      const data = new Float32Array(c * n);
      for (let i = 0; i < data.length; i++) data[i] = 0.01 * rng.normal();
      return tf.tensor(data, [c, n], 'float32');
    };
    tf.tidy(() => {
      this.q.params.get('fc.weight')!.assign(normal());
      this.q.params.get('fc.bias')!.assign(tf.zeros([n]));
    });
    const headVar = (name: string, init: tf.Tensor, trainable: boolean): tf.Variable => {
      const v = tf.variable(init, trainable, `automix${id}/${name}`);
      init.dispose();
      return v;
    };
    this.headMixQ = [headVar('head_mix_q.fc.weight', normal(), true), headVar('head_mix_q.fc.bias', tf.zeros([n]), true)];
    this.headMixK = [headVar('head_mix_k.fc.weight', tf.zeros([c, n]), false), headVar('head_mix_k.fc.bias', tf.zeros([n]), false)];
    let block: PixelMixBlock;
    try {
      block = mixBlockFromConfig(parsed.mixBlockCfg, parsed.source, rng);
    } catch (e) {
      this.q.dispose();
      this.k.dispose();
      tf.dispose([...this.headMixQ, ...this.headMixK]);
      throw e;
    }
    this.mixBlock = block;
    this.settings.maskLossMargin = block.maskLossMargin;

    for (const [name, v] of this.q.params) {
      if (name.startsWith('fc.')) continue;
      this.online.set(`backbone_q.${name}`, v);
      this.emaQ.set(`backbone.${name}`, v);
    }
    for (const [name, v] of this.k.params) {
      v.trainable = false;
      if (name.startsWith('fc.')) continue;
      this.momentumParams.set(`backbone_k.${name}`, v);
      this.emaK.set(`backbone.${name}`, v);
    }
    const heads: Array<[string, tf.Variable, tf.Variable]> = [
      ['head_one.fc.weight', this.q.params.get('fc.weight')!, this.k.params.get('fc.weight')!],
      ['head_one.fc.bias', this.q.params.get('fc.bias')!, this.k.params.get('fc.bias')!],
      ['head_mix.fc.weight', this.headMixQ[0], this.headMixK[0]],
      ['head_mix.fc.bias', this.headMixQ[1], this.headMixK[1]],
    ];
    for (const [name, vq, vk] of heads) {
      const [h, rest] = [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.'))];
      this.online.set(`${h}_q${rest}`, vq);
      this.momentumParams.set(`${h}_k${rest}`, vk);
      this.emaQ.set(name, vq);
      this.emaK.set(name, vk);
    }
    for (const [name, v] of block.params) this.mixBlockParams.set(`mix_block.${name}`, v);
    for (const m of [this.online, this.mixBlockParams, this.momentumParams]) for (const [name, v] of m) this.params.set(name, v);
    for (const [name, v] of this.q.buffers) this.buffers.set(`backbone_q.${name}`, v);
    for (const [name, v] of this.k.buffers) this.buffers.set(`backbone_k.${name}`, v);
    for (const [name, v] of block.buffers) this.buffers.set(`mix_block.${name}`, v);
    this.copyQToK();
  }

  /** k ← q: backbone parameters and BN buffers, both heads (OpenMixup init_weights with momentum < 1). */
  private copyQToK(): void {
    tf.tidy(() => {
      for (const [name, vk] of this.emaK) vk.assign(this.emaQ.get(name)!);
      for (const [name, vk] of this.k.buffers) vk.assign(this.q.buffers.get(name)!);
    });
  }

  private check(x: tf.Tensor4D): void {
    if (this.disposed) throw new Error('AutoMixModel: used after dispose()');
    if (x.rank !== 4) throw new RangeError(`AutoMixModel: images must be N×H×W×C, got shape [${x.shape.join(', ')}]`);
  }

  /**
   * backbone_k's output of stage `mask_layer` + 1 (OpenMixup `backbone_k(img)[0]`), N×h×w×C_mask; later stages are
   * not run. Training mode updates k's BN running statistics of those stages.
   */
  maskFeatures(x: tf.Tensor4D, opts: {training: boolean}): tf.Tensor4D {
    this.check(x);
    return this.k.features(x, {training: opts.training, stopAtStage: this.settings.maskLayer + 1});
  }

  /** Logits of encoder q or k through its head `one` or `mix`: fc(avgpool(backbone(x))), N×numClasses. */
  logits(x: tf.Tensor4D, encoder: 'q' | 'k', head: 'one' | 'mix', opts: {training: boolean}): tf.Tensor2D {
    this.check(x);
    if (encoder !== 'q' && encoder !== 'k') throw new RangeError(`AutoMixModel.logits: encoder must be 'q' or 'k', got ${showValue(encoder)}`);
    if (head !== 'one' && head !== 'mix') throw new RangeError(`AutoMixModel.logits: head must be 'one' or 'mix', got ${showValue(head)}`);
    return tf.tidy(() => this.head(this.pooled(x, encoder, opts.training), encoder, head));
  }

  private pooled(x: tf.Tensor4D, encoder: 'q' | 'k', training: boolean): tf.Tensor2D {
    const cls = encoder === 'q' ? this.q : this.k;
    return tf.mean(cls.features(x, {training}), [1, 2]) as tf.Tensor2D;
  }

  private head(pooled: tf.Tensor2D, encoder: 'q' | 'k', head: 'one' | 'mix'): tf.Tensor2D {
    const [w, b] = head === 'one'
      ? [(encoder === 'q' ? this.q : this.k).params.get('fc.weight')!, (encoder === 'q' ? this.q : this.k).params.get('fc.bias')!]
      : encoder === 'q' ? this.headMixQ : this.headMixK;
    return tf.add(tf.matMul(pooled, w), b) as tf.Tensor2D;
  }

  /**
   * OpenMixup `simple_test`: eval mode, one backbone pass per encoder. Keys in order: acc_mix_k, acc_one_k (only
   * when head_weights.head_mix_k > 0), acc_mix_q, acc_one_q; values N×numClasses logits (the caller disposes them).
   */
  testLogits(x: tf.Tensor4D): Map<string, tf.Tensor2D> {
    this.check(x);
    const withK = this.settings.headWeights.head_mix_k > 0;
    const out = tf.tidy(() => {
      const res: tf.Tensor2D[] = [];
      if (withK) {
        const pk = this.pooled(x, 'k', false);
        res.push(this.head(pk, 'k', 'mix'), this.head(pk, 'k', 'one'));
      }
      const pq = this.pooled(x, 'q', false);
      res.push(this.head(pq, 'q', 'mix'), this.head(pq, 'q', 'one'));
      return res;
    });
    const keys = [...(withK ? ['acc_mix_k', 'acc_one_k'] : []), 'acc_mix_q', 'acc_one_q'];
    return new Map(keys.map((k, i) => [k, out[i]]));
  }

  /** θ_k ← m·θ_k + (1 − m)·θ_q over the backbone and both heads (parameters only, as OpenMixup `momentum_update`). */
  momentumUpdate(m: number): void {
    emaUpdate(this.emaK, this.emaQ, m);
  }

  /**
   * Loads torchvision weights into backbone_q (and head_one_q's fc when the file's class count matches; otherwise the
   * head keeps its N(0, 0.01²) initialisation), then copies q → k (parameters and BN buffers, both heads).
   */
  loadPretrained(name: string, opts: PretrainedOptions = {}): PretrainedReport {
    const report = loadClassifierPretrained(this.q, name, opts);
    this.copyQToK();
    return report;
  }

  /** Disposes every variable. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.q.dispose();
    this.k.dispose();
    for (const v of [...this.headMixQ, ...this.headMixK]) v.dispose();
    this.mixBlock.dispose();
  }
}

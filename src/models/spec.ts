/**
 * The layer list of a ResNet/ResNeXt classifier, derived from the config without allocating any tensor.
 * One source of truth for the parameter names, shapes and initialisers (`paramShapes`) and for the forward pass
 * (`resnet.ts` walks the same `ModelSpec`).
 *
 * Layouts follow torchvision (`torchvision/models/resnet.py`, "ResNet v1.5"):
 * - BasicBlock (depth 18, 34): conv3×3(stride) -> BN -> ReLU -> conv3×3 -> BN, + shortcut, ReLU.
 * - Bottleneck (depth 50, 101): conv1×1 -> BN -> ReLU -> conv3×3(stride, groups) -> BN -> ReLU -> conv1×1(×4) -> BN,
 *   + shortcut, ReLU; width = floor(planes · width_per_group / base_channels) · groups ("pytorch" style: the stride
 *   sits on the 3×3 conv).
 * - shortcut = identity, or conv1×1(stride) + BN (`downsample.0`, `downsample.1`) when the shape changes.
 * - stems: ImageNet conv7×7/2 (pad 3) -> BN -> ReLU -> maxpool3×3/2 (pad 1); ResNet_CIFAR conv3×3/1 (pad 1) -> BN
 *   -> ReLU, no max-pool. Stage k (1-based) has planes = base_channels · 2^(k−1) and stride 2 from stage 2 on.
 */
import {Fields, isObj} from './fields';
import type {BackboneType, ResNetDepth} from './types';

/** A convolution followed by batch norm (torchvision names without `.weight`). */
export interface ConvBnSpec {
  /** e.g. "layer1.0.conv1" */
  conv: string;
  /** e.g. "layer1.0.bn1" */
  bn: string;
  kernel: number;
  stride: number;
  /** torch padding: floor(kernel / 2) */
  pad: number;
  groups: number;
  inChannels: number;
  outChannels: number;
}

/** One residual block: `units` in sequence (ReLU after all but the last), plus the optional projection shortcut. */
export interface BlockSpec {
  /** e.g. "layer2.0" */
  prefix: string;
  units: ConvBnSpec[];
  downsample?: ConvBnSpec;
}

/** A parsed, validated classifier: stem, four stages of blocks, head. */
export interface ModelSpec {
  backbone: BackboneType;
  depth: ResNetDepth;
  stem: ConvBnSpec;
  /** 3×3/2 max-pool after the stem (ImageNet stem only) */
  maxPool: boolean;
  stages: BlockSpec[][];
  /** channels of the last-stage feature map (= head input) */
  featureChannels: number;
  numClasses: number;
  zeroInitResidual: boolean;
}

/** How a tensor is initialised and converted from torch layout. */
export type ParamKind = 'conv' | 'bnWeight' | 'bnBias' | 'runningMean' | 'runningVar' | 'fcWeight' | 'fcBias';

/** One parameter or buffer: torchvision name, tfjs and torch shapes. */
export interface ParamSpec {
  name: string;
  kind: ParamKind;
  /** tfjs layout: conv [kh, kw, in/groups, out] (HWIO), fc [in, out] */
  shape: number[];
  /** torch layout: conv [out, in/groups, kh, kw] (OIHW), fc [out, in] */
  torchShape: number[];
  /** false for BN running statistics (buffers) */
  trainable: boolean;
  /** true for the last BN weight of a residual block (zero-initialised under zero_init_residual) */
  residualGamma?: boolean;
}

const BLOCKS_PER_STAGE: Record<ResNetDepth, number[]> = {18: [2, 2, 2, 2], 34: [3, 4, 6, 3], 50: [3, 4, 6, 3], 101: [3, 4, 23, 3]};
const BACKBONE_TYPES: readonly BackboneType[] = ['ResNet', 'ResNeXt', 'ResNet_Mix', 'ResNet_CIFAR'];
const BACKBONE_KEYS = ['type', 'depth', 'num_stages', 'out_indices', 'style', 'groups', 'width_per_group', 'base_channels', 'in_channels', 'zero_init_residual'];
const HEAD_TYPES = ['ClsHead', 'ClsMixupHead'];

/**
 * Checks the config's `model` object and derives the layer list.
 * @param modelCfg the config's `model` (see `ModelConfig`); only `backbone` and `head` are read
 * @param source the config file, named in errors
 * @throws MixupError (usage) for invalid values, (notImplemented) for valid OpenMixup settings not supported here
 */
export function parseModelConfig(modelCfg: unknown, source = '<config>'): ModelSpec {
  const model = Fields.of(source, 'model', modelCfg);
  const bb = Fields.of(source, 'model.backbone', model.obj.backbone);
  const unknown = Object.keys(bb.obj).filter((k) => !BACKBONE_KEYS.includes(k));
  if (unknown.length > 0) throw bb.error(unknown[0], `is not a known ResNet option (known: ${BACKBONE_KEYS.join(', ')})`);

  const type = bb.obj.type as BackboneType;
  if (!BACKBONE_TYPES.includes(type)) throw bb.error('type', `must be one of ${BACKBONE_TYPES.join(', ')}`);
  const depth = bb.obj.depth as ResNetDepth;
  if (!(depth in BLOCKS_PER_STAGE)) throw bb.error('depth', 'must be one of 18, 34, 50, 101');
  const bottleneck = depth >= 50;
  if (type === 'ResNeXt' && !bottleneck) throw bb.error('depth', 'must be 50 or 101 for ResNeXt');

  if (bb.int('num_stages', 4, 1) !== 4) throw bb.error('num_stages', 'must be 4 (other stage counts are not supported)', bb.obj.num_stages, 'notImplemented');
  const outIndices = bb.obj.out_indices ?? [3];
  if (!Array.isArray(outIndices) || outIndices.length !== 1 || outIndices[0] !== 3) {
    throw bb.error('out_indices', 'must be [3] (only the last stage feeds the head)', outIndices, 'notImplemented');
  }
  const style = bb.obj.style ?? 'pytorch';
  if (style !== 'pytorch') throw bb.error('style', 'must be "pytorch"', style, 'notImplemented');
  const zeroInit = bb.obj.zero_init_residual ?? false;
  if (typeof zeroInit !== 'boolean') throw bb.error('zero_init_residual', 'must be true or false', zeroInit);

  const base = bb.int('base_channels', 64, 1);
  const inChannels = bb.int('in_channels', 3, 1);
  const groups = bb.int('groups', type === 'ResNeXt' ? 32 : 1, 1);
  const widthPerGroup = bb.int('width_per_group', type === 'ResNeXt' ? 4 : base, 1);
  if (!bottleneck && (groups !== 1 || widthPerGroup !== base)) {
    throw bb.error('groups', `must be 1 with width_per_group = base_channels (${base}) for BasicBlock depth ${depth}`, {groups, width_per_group: widthPerGroup});
  }

  const cifar = type === 'ResNet_CIFAR';
  const stem = convBn('conv1', 'bn1', cifar ? 3 : 7, cifar ? 1 : 2, 1, inChannels, base);
  const expansion = bottleneck ? 4 : 1;
  let inplanes = base;
  const stages = BLOCKS_PER_STAGE[depth].map((numBlocks, s) => {
    const planes = base * 2 ** s;
    const blocks: BlockSpec[] = [];
    for (let b = 0; b < numBlocks; b++) {
      const prefix = `layer${s + 1}.${b}`;
      const stride = b === 0 && s > 0 ? 2 : 1;
      const c = (i: number, k: number, st: number, g: number, cin: number, cout: number) =>
        convBn(`${prefix}.conv${i}`, `${prefix}.bn${i}`, k, st, g, cin, cout);
      const width = Math.floor((planes * widthPerGroup) / base) * groups;
      const units = bottleneck
        ? [c(1, 1, 1, 1, inplanes, width), c(2, 3, stride, groups, width, width), c(3, 1, 1, 1, width, planes * 4)]
        : [c(1, 3, stride, 1, inplanes, planes), c(2, 3, 1, 1, planes, planes)];
      const downsample = stride !== 1 || inplanes !== planes * expansion
        ? convBn(`${prefix}.downsample.0`, `${prefix}.downsample.1`, 1, stride, 1, inplanes, planes * expansion)
        : undefined;
      blocks.push({prefix, units, downsample});
      inplanes = planes * expansion;
    }
    return blocks;
  });

  const head = Fields.of(source, 'model.head', model.obj.head);
  if (!HEAD_TYPES.includes(head.obj.type as string)) throw head.error('type', `must be one of ${HEAD_TYPES.join(', ')} (a linear head)`, head.obj.type, 'notImplemented');
  const numClasses = head.int('num_classes', undefined, 1);
  if (head.obj.in_channels !== undefined && head.obj.in_channels !== inplanes) {
    throw head.error('in_channels', `must equal the backbone's output channels ${inplanes} (${type}-${depth}, base_channels ${base})`);
  }
  if ((head.obj.with_avg_pool ?? true) !== true) throw head.error('with_avg_pool', 'must be true (the head pools the last-stage map)', head.obj.with_avg_pool, 'notImplemented');

  return {backbone: type, depth, stem, maxPool: !cifar, stages, featureChannels: inplanes, numClasses, zeroInitResidual: zeroInit};
}

function convBn(conv: string, bn: string, kernel: number, stride: number, groups: number, inChannels: number, outChannels: number): ConvBnSpec {
  return {conv, bn, kernel, stride, pad: Math.floor(kernel / 2), groups, inChannels, outChannels};
}

/** Every conv+BN unit of the spec in state_dict order, with a flag for the last BN of a residual block. */
export function convBnUnits(spec: ModelSpec): Array<{unit: ConvBnSpec; residualGamma: boolean}> {
  const out = [{unit: spec.stem, residualGamma: false}];
  for (const block of spec.stages.flat()) {
    block.units.forEach((unit, i) => out.push({unit, residualGamma: i === block.units.length - 1}));
    if (block.downsample) out.push({unit: block.downsample, residualGamma: false});
  }
  return out;
}

/**
 * All parameters and buffers of the classifier described by `modelCfg` (or an already parsed spec), in torchvision
 * state_dict order (without `num_batches_tracked`). Allocates nothing: use it to count parameters of big models.
 */
export function paramShapes(modelCfg: unknown, source?: string): ParamSpec[] {
  const spec = isModelSpec(modelCfg) ? modelCfg : parseModelConfig(modelCfg, source);
  const out: ParamSpec[] = [];
  for (const {unit, residualGamma} of convBnUnits(spec)) {
    const {kernel: k, inChannels, outChannels: o, groups} = unit;
    const i = inChannels / groups;
    out.push({name: `${unit.conv}.weight`, kind: 'conv', shape: [k, k, i, o], torchShape: [o, i, k, k], trainable: true});
    const bn = (suffix: string, kind: ParamKind, trainable: boolean, extra: Partial<ParamSpec> = {}) =>
      out.push({name: `${unit.bn}.${suffix}`, kind, shape: [o], torchShape: [o], trainable, ...extra});
    bn('weight', 'bnWeight', true, residualGamma ? {residualGamma} : {});
    bn('bias', 'bnBias', true);
    bn('running_mean', 'runningMean', false);
    bn('running_var', 'runningVar', false);
  }
  const c = spec.featureChannels;
  const n = spec.numClasses;
  out.push({name: 'fc.weight', kind: 'fcWeight', shape: [c, n], torchShape: [n, c], trainable: true});
  out.push({name: 'fc.bias', kind: 'fcBias', shape: [n], torchShape: [n], trainable: true});
  return out;
}

/** Number of trainable parameters (torchvision's `sum(p.numel() for p in model.parameters())`). */
export function countParams(modelCfg: unknown, source?: string): number {
  return paramShapes(modelCfg, source)
    .filter((p) => p.trainable)
    .reduce((sum, p) => sum + p.shape.reduce((a, b) => a * b, 1), 0);
}

function isModelSpec(v: unknown): v is ModelSpec {
  return isObj(v) && Array.isArray(v.stages) && isObj(v.stem);
}

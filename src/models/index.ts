/**
 * Models room entry point: ResNet / ResNeXt classifiers with torchvision's layer layout and names, and
 * torchvision weight import from safetensors files. See docs/models.md.
 *
 *     const model = buildClassifier(cfg.model, {seed: 0, source: configPath});
 *     loadPretrained(model, 'torchvision://resnet18', {});          // optional, before training
 *     const logits = model.forward(images, {training: true, plan});  // N×numClasses
 *
 * AutoMix / SAMix (`model.type: "AutoMixup"`): `buildAutoMix(cfg.model, {seed, source})` -> `AutoMixModel`
 * (encoders q and k, heads, Mix Block; see docs/models.md).
 */
export type {
  BackboneConfig,
  BackboneType,
  BuildOptions,
  Classifier,
  ForwardOptions,
  HeadConfig,
  LoadStateDictOptions,
  LoadStateDictResult,
  ModelConfig,
  PretrainedOptions,
  PretrainedReport,
  ResNetDepth,
  StateEntry,
} from './types';
export {buildClassifier} from './resnet';
export {countParams, paramShapes, parseModelConfig} from './spec';
export type {ModelSpec, ParamKind, ParamSpec} from './spec';
export {loadPretrained, resolvePretrained, defaultWeightsDir} from './pretrained';
export {readSafetensors, writeSafetensors} from './safetensors';
export type {SafetensorsEntry} from './safetensors';
export {groupedConv2d} from './grouped-conv';
export {AutoMixModel, buildAutoMix} from './automix/model';
export type {AutoMixBuildOptions, AutoMixHeadWeights, AutoMixSettings} from './automix/model';
export {PixelMixBlock, rescaleLam} from './automix/mix-block';
export type {LamEmbedding, MaskOptions, MaskUpsampling, PixelMixBlockOptions, ValueNeckOptions} from './automix/mix-block';
export {backboneMask, maskLoss, mixImages, stopGradient} from './automix/mask-ops';
export type {MaskLossMode} from './automix/mask-ops';
export {mixBlockFromConfig} from './automix/mix-block-config';
export {cosineSchedule, cosineScheduleHookMomentum, emaUpdate, maskLossWeightAt, momentumAt} from './automix/ema';

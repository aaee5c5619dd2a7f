/**
 * Models room entry point: ResNet / ResNeXt classifiers with torchvision's layer layout and names, and
 * torchvision weight import from safetensors files. See docs/models.md.
 *
 *     const model = buildClassifier(cfg.model, {seed: 0, source: configPath});
 *     loadPretrained(model, 'torchvision://resnet18', {});          // optional, before training
 *     const logits = model.forward(images, {training: true, plan});  // N×numClasses
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

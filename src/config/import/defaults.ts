/**
 * Fields OpenMixup leaves to a constructor's default and mixup's schema wants written out. Each default is the one
 * of the OpenMixup/mmcv code that reads the field, and is filled only where its parent object is present.
 */
import {isObject, type JsonObject} from '../load';
import {getAt} from './paths';
import {note, type ImportNote} from './types';

interface Default {
  /** dotted path of the field */
  path: string;
  /** the default (a function of the config when it depends on another field) */
  value: unknown | ((config: JsonObject) => unknown);
  /** where the default comes from */
  source: string;
  /** only for this model type */
  modelType?: string;
}

const CLS_HEAD = 'BaseClsHead.__init__ (openmixup/models/heads/cls_head.py)';
const headDefaults = (head: string, modelType: string): Default[] => [
  {path: `model.${head}.with_avg_pool`, value: false, source: CLS_HEAD, modelType},
  {path: `model.${head}.multi_label`, value: false, source: CLS_HEAD, modelType},
  {path: `model.${head}.loss`, value: {type: 'CrossEntropyLoss', loss_weight: 1.0}, source: CLS_HEAD, modelType},
  {path: `model.${head}.in_channels`, value: 2048, source: CLS_HEAD, modelType},
  {path: `model.${head}.num_classes`, value: 1000, source: CLS_HEAD, modelType},
];

const MIXUP = 'MixUpClassification.__init__ (openmixup/models/classifiers/mixup_classification.py)';
const TRAIN = 'openmixup/apis/train.py';

/** The defaults, in the order they are filled. */
export const DEFAULTS: readonly Default[] = [
  {path: 'model.pretrained', value: null, source: MIXUP, modelType: 'MixUpClassification'},
  {path: 'model.alpha', value: 1.0, source: MIXUP, modelType: 'MixUpClassification'},
  {path: 'model.mix_mode', value: 'mixup', source: MIXUP, modelType: 'MixUpClassification'},
  {path: 'model.mix_args', value: {}, source: MIXUP, modelType: 'MixUpClassification'},
  {path: 'model.mix_prob', value: null, source: MIXUP, modelType: 'MixUpClassification'},
  {path: 'model.mix_repeat', value: 1, source: `${MIXUP}, mix_repeat=False: one mix per iteration`, modelType: 'MixUpClassification'},
  ...headDefaults('head', 'MixUpClassification'),
  ...['head_one', 'head_mix', 'head_mix_k'].flatMap((head) => headDefaults(head, 'AutoMixup')),
  {path: 'optimizer_config.grad_clip', value: null, source: "mmcv's OptimizerHook(grad_clip=None)"},
  {path: 'data.drop_last', value: false, source: `${TRAIN}: getattr(cfg.data, 'drop_last', False)`},
  {path: 'evaluation.initial', value: true, source: `${TRAIN}: the ValidateHook settings`},
  {path: 'evaluation.interval', value: 1, source: `${TRAIN}: the ValidateHook settings`},
  {path: 'evaluation.imgs_per_gpu', value: (config: JsonObject) => getAt(config, 'data.imgs_per_gpu'), source: `${TRAIN}: data.imgs_per_gpu`},
  {path: 'evaluation.workers_per_gpu', value: (config: JsonObject) => getAt(config, 'data.workers_per_gpu'), source: `${TRAIN}: data.workers_per_gpu`},
  {path: 'evaluation.eval_param', value: {topk: [1, 5]}, source: `${TRAIN}: the ValidateHook settings`},
];

/** Fills (in place) each default whose parent exists and whose field is missing; a note for each. */
export function fillDefaults(config: JsonObject): ImportNote[] {
  const notes: ImportNote[] = [];
  // an optimizer_config-less config uses mmcv's default OptimizerHook: grad_clip null
  if (config.optimizer_config === undefined && config.optimizer !== undefined) config.optimizer_config = {};
  const modelType = getAt(config, 'model.type');
  for (const entry of DEFAULTS) {
    if (entry.modelType !== undefined && entry.modelType !== modelType) continue;
    const cut = entry.path.lastIndexOf('.');
    const parent = getAt(config, entry.path.slice(0, cut));
    const key = entry.path.slice(cut + 1);
    if (!isObject(parent) || Object.hasOwn(parent, key)) continue;
    const value = typeof entry.value === 'function' ? (entry.value as (c: JsonObject) => unknown)(config) : entry.value;
    if (value === undefined) continue;
    parent[key] = structuredClone(value);
    notes.push(note('default', entry.path, `not set; OpenMixup's default ${JSON.stringify(value)} (${entry.source})`));
  }
  return notes;
}

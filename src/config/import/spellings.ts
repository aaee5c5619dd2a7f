/**
 * OpenMixup spellings that mixup has another way of saying, rewritten (in place) with a note each. Spellings mixup
 * accepts as they are (`ToTensor`, `log_config.hooks`, `dist_params`, ...: docs/config.md "OpenMixup spellings") are
 * left alone.
 */
import {isObject, type JsonObject} from '../load';
import {note, type ImportNote} from './types';

type Rule = (config: JsonObject) => ImportNote[];

const splits = ['train', 'val'] as const;

/**
 * `prefetch`: OpenMixup's `PrefetchLoader` normalises batches on the GPU with `img_norm_cfg` (mean/std on the [0, 1]
 * scale times 255), which is why the dataset bases add `ToTensor` + `Normalize` to the train pipeline only
 * `if not prefetch`. Top-level `prefetch` drives the train loader, `data.val.prefetch` the validation hook
 * (openmixup/apis/train.py); mixup's loader normalises in the pipeline, so the same `Normalize` is appended there.
 */
const prefetchNormalizes: Rule = (config) => {
  const notes: ImportNote[] = [];
  const data = isObject(config.data) ? config.data : {};
  for (const split of splits) {
    const dataset = data[split];
    if (!isObject(dataset)) continue;
    const prefetch = split === 'train' ? config.prefetch === true : dataset.prefetch === true;
    if (Object.hasOwn(dataset, 'prefetch')) {
      const what = dataset.prefetch === true ? "the loader's normalisation is written into the pipeline" : 'no prefetch loader';
      notes.push(note('mapped', `data.${split}.prefetch`, `${JSON.stringify(dataset.prefetch)}: dataset flag of OpenMixup's prefetch loader; dropped (${what})`));
      delete dataset.prefetch;
    }
    if (!prefetch || !Array.isArray(dataset.pipeline)) continue;
    if (dataset.pipeline.some((step) => isObject(step) && step.type === 'Normalize')) continue;
    const norm = config.img_norm_cfg;
    const at = `data.${split}.pipeline[${dataset.pipeline.length}]`;
    if (isObject(norm) && Array.isArray(norm.mean) && Array.isArray(norm.std)) {
      dataset.pipeline.push({type: 'Normalize', mean: norm.mean, std: norm.std});
      notes.push(note('mapped', at, `prefetch: OpenMixup normalises ${split} batches on the GPU with img_norm_cfg; written as a Normalize step (mean ${JSON.stringify(norm.mean)}, std ${JSON.stringify(norm.std)})`));
    } else {
      notes.push(note('unmapped', at, `prefetch is true but img_norm_cfg (mean, std) is missing: the ${split} images would not be normalised (OpenMixup itself needs cfg.img_norm_cfg here)`));
    }
  }
  return notes;
};

/** `fp16` is read only with `use_fp16: true` (openmixup/apis/train.py); mixup takes `fp16: null` as "not used". */
const unusedFp16: Rule = (config) => {
  if (config.use_fp16 === true || config.fp16 === undefined || config.fp16 === null) return [];
  const was = JSON.stringify(config.fp16);
  config.fp16 = null;
  return [note('mapped', 'fp16', `${was} is only read with use_fp16: true; written as null`)];
};

/** `log_level: "INFO"` is what mixup logs; another level has no equivalent and is left for the unmapped list. */
const infoLogLevel: Rule = (config) => {
  if (config.log_level !== 'INFO') return [];
  delete config.log_level;
  return [note('mapped', 'log_level', '"INFO" is what mixup logs; dropped')];
};

/** OpenMixup's `ResNeXt_Mix` is `ResNeXt` plus the hook ManifoldMix needs; without manifoldmix they are the same network. */
const resnextMix: Rule = (config) => {
  const model = isObject(config.model) ? config.model : {};
  const modes = Array.isArray(model.mix_mode) ? model.mix_mode : [model.mix_mode];
  if (modes.includes('manifoldmix')) return [];
  return (['backbone', 'backbone_k'] as const)
    .filter((key) => isObject(model[key]) && (model[key] as JsonObject).type === 'ResNeXt_Mix')
    .map((key) => {
      (model[key] as JsonObject).type = 'ResNeXt';
      return note('mapped', `model.${key}.type`, '"ResNeXt_Mix" is "ResNeXt" with ManifoldMix\'s feature hook, which no mix_mode here uses; written as "ResNeXt"');
    });
};

/** `mix_repeat=False` is OpenMixup's default and means one mix per iteration. */
const mixRepeatFalse: Rule = (config) => {
  const model = config.model;
  if (!isObject(model) || model.mix_repeat !== false) return [];
  model.mix_repeat = 1;
  return [note('mapped', 'model.mix_repeat', 'false (OpenMixup: no repeat) written as 1')];
};

/** The rules, in the order they run. */
export const SPELLING_RULES: readonly Rule[] = [prefetchNormalizes, unusedFp16, infoLogLevel, resnextMix, mixRepeatFalse];

/** Applies every rule of `SPELLING_RULES` to `config` (in place). */
export function rewriteSpellings(config: JsonObject): ImportNote[] {
  return SPELLING_RULES.flatMap((rule) => rule(config));
}

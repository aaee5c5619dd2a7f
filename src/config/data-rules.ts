/**
 * The rules of a config's `data` section that JSON Schema cannot state: a split whose pipeline must end at a fixed
 * size (file sources), the order of RandomResizedCrop's `[min, max]` pairs, Normalize's matching lengths, a Synthetic
 * train split that makes no batch under `drop_last`, and the class count of the in-memory sources against the model's.
 * The data room relies on them (it is handed only data sections that passed them) and checks only what needs the
 * data itself (list files, labels, image sizes).
 *
 * They read the section as written (possibly invalid: every access is guarded), so that `validate` reports them
 * together with the schema's problems.
 */
import {showValue} from '../errors';
import {isObject, type JsonObject} from './load';
import {IN_MEMORY_SOURCE_TYPES, SYNTHETIC_DEFAULTS} from './schema';
import type {ConfigIssue} from './validate';

/** Steps that leave the image size alone (skipped when looking for the pipeline's last geometric step). */
const SIZE_KEEPING_STEPS = ['RandomHorizontalFlip', 'Normalize', 'ToTensor'];

/** Whether the pipeline's last geometric step fixes the output size: a crop, or a Resize to `[h, w]`. */
function endsAtFixedSize(pipeline: unknown[]): boolean {
  const last = [...pipeline].reverse().find((step) => !(isObject(step) && SIZE_KEEPING_STEPS.includes(String(step.type))));
  if (!isObject(last)) return false;
  return last.type === 'Resize' ? Array.isArray(last.size) : ['RandomResizedCrop', 'CenterCrop', 'RandomCrop'].includes(String(last.type));
}

/** Classes of the in-memory sources that have a fixed count (Synthetic's is its `num_classes`). */
function sourceClasses(source: JsonObject): unknown {
  if (source.type === 'MNIST' || source.type === 'FashionMNIST') return 10;
  return source.type === 'Synthetic' ? (source.num_classes ?? SYNTHETIC_DEFAULTS.num_classes) : undefined;
}

/** The pipeline rules of `data.<split>.pipeline` (`source`: its data_source type). */
function pipelineIssues(pipeline: unknown[], at: string, source: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (typeof source === 'string' && !IN_MEMORY_SOURCE_TYPES.includes(source) && !endsAtFixedSize(pipeline)) {
    issues.push({path: at, message: `${at} must end with a crop or a Resize to [h, w] so that all images of a batch have the same size (${source} reads image files of any size), got ${showValue(pipeline.map((s) => (isObject(s) ? s.type : s)))}`});
  }
  pipeline.forEach((step, i) => {
    if (!isObject(step)) return;
    if (step.type === 'Normalize' && Array.isArray(step.mean) && Array.isArray(step.std) && step.mean.length !== step.std.length) {
      issues.push({path: `${at}[${i}].std`, message: `${at}[${i}].std must have as many values as mean (${step.mean.length}), got ${showValue(step.std)}`});
    }
    // the schema checks each bound; their order spans the pair
    for (const key of step.type === 'RandomResizedCrop' ? ['scale', 'ratio'] : []) {
      const pair = step[key];
      if (Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'number' && typeof pair[1] === 'number' && pair[0] > pair[1]) {
        issues.push({path: `${at}[${i}].${key}`, message: `${at}[${i}].${key} must be [min, max] with min <= max, got ${showValue(pair)}`});
      }
    }
  });
  return issues;
}

/**
 * The problems of a `data` section beyond the schema's.
 * @param model the classifier's class count and the head that declares it (`head`, or `head_one` of an AutoMixup),
 *   when the section belongs to a config with a model
 */
export function dataIssues(data: unknown, model?: {numClasses: unknown; headName: string}): ConfigIssue[] {
  if (!isObject(data)) return [];
  const issues: ConfigIssue[] = [];
  for (const splitName of ['train', 'val']) {
    const split = data[splitName];
    if (!isObject(split)) continue;
    const source = isObject(split.data_source) ? split.data_source : {};
    const samples = source.type === 'Synthetic' ? (source.num_samples ?? SYNTHETIC_DEFAULTS.num_samples) : undefined;
    if (splitName === 'train' && data.drop_last === true && typeof samples === 'number' && typeof data.imgs_per_gpu === 'number' && samples < data.imgs_per_gpu) {
      issues.push({path: 'data.imgs_per_gpu', message: `data.train: ${samples} samples make no batch of ${data.imgs_per_gpu} with drop_last; lower imgs_per_gpu or set drop_last false`});
    }
    const classes = sourceClasses(source);
    if (model && typeof model.numClasses === 'number' && typeof classes === 'number' && classes !== model.numClasses) {
      const at = source.type === 'Synthetic' ? `data.${splitName}.data_source.num_classes` : `data.${splitName}.data_source`;
      issues.push({path: at, message: `model.${model.headName}.num_classes is ${model.numClasses} but data.${splitName} (${String(source.type)}) has ${classes} classes${source.type === 'Synthetic' ? ` (${at})` : ''}`});
    }
    if (Array.isArray(split.pipeline)) issues.push(...pipelineIssues(split.pipeline, `data.${splitName}.pipeline`, source.type));
  }
  return issues;
}

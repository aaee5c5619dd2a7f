/**
 * What `gen-configs` changes in every generated config besides the method, α and epochs: the data directory
 * (`--data-root`), the image size (`--image-size`), the backbone width (`--base-channels`) and any field
 * (`--set key=value`, like mmcv's `--cfg-options`). Applied in that order to the merged config, before validation.
 *
 * The templates read every dataset from OpenMixup's `data/` tree (`data/CUB200/CUB_200/images/`,
 * `data/meta/CUB200/train_labeled.txt`, ...); `--data-root DIR` puts `DIR` in place of that leading `data`.
 */
import {usageError, showValue} from '../errors';
import {checkJsonStructure} from '../io/json';
import {isObject, type JsonObject} from './load';

/** The data directory the templates' paths start with. */
export const DEFAULT_DATA_ROOT = 'data';

/** The overrides of one `gen-configs` invocation (all optional). */
export interface ConfigOverrides {
  /** replaces the leading `data/` of every `data_source.root` and `data_source.list_file` */
  dataRoot?: string;
  /** crop size of every pipeline (Resize steps scaled by the same factor) and `size` of in-memory sources */
  imageSize?: number;
  /** `model.backbone.base_channels`; every `in_channels` of the model's heads and mix block scaled with it */
  baseChannels?: number;
  /** `[dotted key, value]` pairs set last */
  set?: Array<[string, unknown]>;
}

/** Steps whose `size` is the pipeline's output size. */
const CROPS = ['RandomResizedCrop', 'CenterCrop', 'RandomCrop'];
/** In-memory data sources with a `size` field. */
const SIZED_SOURCES = ['MNIST', 'FashionMNIST', 'Synthetic'];
/** Data source fields holding a path. */
const PATH_FIELDS = ['root', 'list_file'];

/** The dataset splits of `config.data` (`train`, `val`, ...): objects with a `data_source`. */
function splits(config: JsonObject): JsonObject[] {
  const data = config.data;
  if (!isObject(data)) return [];
  return Object.values(data).filter((v): v is JsonObject => isObject(v) && isObject(v.data_source));
}

/** `path` with a leading `data` component replaced by `dataRoot` (`data/CUB200/x` -> `/datasets/CUB200/x`); others as they are. */
export function rebasePath(path: string, dataRoot: string): string {
  if (path === DEFAULT_DATA_ROOT) return dataRoot;
  if (!path.startsWith(`${DEFAULT_DATA_ROOT}/`)) return path;
  return `${dataRoot.replace(/\/+$/, '')}/${path.slice(DEFAULT_DATA_ROOT.length + 1)}`;
}

function applyDataRoot(config: JsonObject, dataRoot: string): void {
  for (const split of splits(config)) {
    const source = split.data_source as JsonObject;
    for (const field of PATH_FIELDS) if (typeof source[field] === 'string') source[field] = rebasePath(source[field] as string, dataRoot);
  }
}

const scaled = (v: unknown, f: number): unknown => (typeof v === 'number' ? Math.max(1, Math.round(v * f)) : Array.isArray(v) ? v.map((x) => scaled(x, f)) : v);

function applyImageSize(config: JsonObject, size: number): void {
  const fmix = isObject(config.model) && isObject(config.model.mix_args) ? config.model.mix_args.fmix : undefined;
  if (isObject(fmix) && Array.isArray(fmix.size)) fmix.size = [size, size]; // FMix's mask size is the image size
  for (const split of splits(config)) {
    const source = split.data_source as JsonObject;
    if (SIZED_SOURCES.includes(source.type as string)) source.size = size;
    const steps = Array.isArray(split.pipeline) ? split.pipeline.filter(isObject) : [];
    const crop = [...steps].reverse().find((s) => CROPS.includes(s.type as string));
    const from = crop === undefined ? undefined : Array.isArray(crop.size) ? Number(crop.size[0]) : Number(crop.size);
    const factor = from !== undefined && from > 0 ? size / from : undefined;
    for (const step of steps) {
      if (CROPS.includes(step.type as string)) {
        step.size = size;
        if (step.type === 'RandomCrop' && factor !== undefined && typeof step.padding === 'number') step.padding = Math.round(step.padding * factor);
      } else if (step.type === 'Resize') {
        step.size = factor === undefined ? [size, size] : scaled(step.size, factor);
      }
    }
  }
}

/** Model parts whose `in_channels` are backbone feature widths (not the backbone's own: that is image channels). */
const WIDTH_PARTS = ['head', 'head_one', 'head_mix', 'mix_block'];

function applyBaseChannels(config: JsonObject, channels: number): void {
  const model = config.model;
  if (!isObject(model) || !isObject(model.backbone)) throw usageError('--base-channels: the config has no model.backbone');
  const before = typeof model.backbone.base_channels === 'number' ? model.backbone.base_channels : 64;
  model.backbone.base_channels = channels;
  for (const part of WIDTH_PARTS) {
    const p = model[part];
    if (!isObject(p) || typeof p.in_channels !== 'number') continue;
    const width = (p.in_channels * channels) / before;
    if (!Number.isInteger(width)) throw usageError(`--base-channels ${channels}: model.${part}.in_channels ${p.in_channels} (for base_channels ${before}) does not scale to a whole number`);
    p.in_channels = width;
  }
}

const FORBIDDEN_KEYS = ['__proto__', 'prototype', 'constructor', '_base_'];

/**
 * Sets `config.<key>` (dotted; numeric parts index arrays) to `value`. The parents must exist, so a typo in a key's
 * middle is an error, not a new branch; the last part may be new (then the schema check judges it).
 * @throws MixupError (usage) naming the key
 */
export function setField(config: JsonObject, key: string, value: unknown): void {
  const parts = key.split('.');
  if (parts.some((p) => p === '' || FORBIDDEN_KEYS.includes(p))) throw usageError(`--set ${key}: not a dotted config key (e.g. optimizer.lr)`);
  let node: unknown = config;
  for (const [i, part] of parts.entries()) {
    const at = parts.slice(0, i + 1).join('.');
    const last = i === parts.length - 1;
    if (Array.isArray(node)) {
      const index = Number(part);
      if (!Number.isInteger(index) || index < 0 || index >= node.length) throw usageError(`--set ${key}: ${parts.slice(0, i).join('.')} is an array of ${node.length}; ${JSON.stringify(part)} is not an index of it`);
      if (last) node[index] = value;
      else node = node[index];
    } else if (isObject(node)) {
      if (last) node[part] = value;
      else if (node[part] === undefined) throw usageError(`--set ${key}: the config has no ${at}`);
      else node = node[part];
    } else {
      throw usageError(`--set ${key}: ${parts.slice(0, i).join('.')} is ${JSON.stringify(node)}, not an object or array`);
    }
  }
}

/**
 * Parses `key=value` (`--set optimizer.lr=0.01`): the value is JSON when it parses (`0.01`, `[1, 2]`, `"a"`,
 * `true`), else the text as a string.
 * @throws MixupError (usage) without a `=` or a key
 */
export function parseSetFlag(text: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw usageError(`--set must be KEY=VALUE (e.g. optimizer.lr=0.01), got ${showValue(text)}`);
  const raw = text.slice(eq + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // not JSON: a plain string
  }
  const key = text.slice(0, eq).trim();
  checkJsonStructure(value, `--set ${key}`);
  return [key, value];
}

/** Whether any override is given. */
export function hasOverrides(o: ConfigOverrides): boolean {
  return o.dataRoot !== undefined || o.imageSize !== undefined || o.baseChannels !== undefined || (o.set ?? []).length > 0;
}

/**
 * Applies the overrides to a merged config (in place): data root, image size, base channels, then `set`.
 * @throws MixupError (usage) for a bad size/width or a `--set` key the config does not have
 */
export function applyOverrides(config: JsonObject, o: ConfigOverrides): void {
  if (o.dataRoot !== undefined) applyDataRoot(config, o.dataRoot);
  if (o.imageSize !== undefined) {
    if (!Number.isInteger(o.imageSize) || o.imageSize < 1) throw usageError(`--image-size must be an integer >= 1, got ${o.imageSize}`);
    applyImageSize(config, o.imageSize);
  }
  if (o.baseChannels !== undefined) {
    if (!Number.isInteger(o.baseChannels) || o.baseChannels < 1) throw usageError(`--base-channels must be an integer >= 1, got ${o.baseChannels}`);
    applyBaseChannels(config, o.baseChannels);
  }
  for (const [key, value] of o.set ?? []) setField(config, key, value);
}

/** The gen-configs words that reproduce `o` (for the scripts' header). */
export function overrideWords(o: ConfigOverrides): string[] {
  const words: string[] = [];
  if (o.dataRoot !== undefined) words.push('--data-root', o.dataRoot);
  if (o.imageSize !== undefined) words.push('--image-size', String(o.imageSize));
  if (o.baseChannels !== undefined) words.push('--base-channels', String(o.baseChannels));
  for (const [key, value] of o.set ?? []) words.push('--set', `${key}=${typeof value === 'string' && parseSetFlag(`k=${value}`)[1] === value ? value : JSON.stringify(value)}`);
  return words;
}

/**
 * What a run is (method, α, backbone, dataset, epochs), read from its log's meta line and its work-dir path.
 *
 * Sources, first hit wins per field:
 * 1. the meta `config` when it is an object (our engine's logs): `model.mix_mode`, `model.alpha`,
 *    `model.backbone {type, depth}`, `runner.max_epochs`, dataset names in `data.*` or `model.head.num_classes`;
 * 2. the generated work-dir path (OpenMixup's `ConfigGenerator` + `dist_train.sh` naming), e.g.
 *    `work_dirs/classification/cub200/mixups/basic/r18/mix_modecutmix/r18_mixups_CE_none_alpha1_ep200/`
 *    or ours, `work_dirs/generated/cub200/r18/mix_modecutmix/r18_mixups_CE_none_alpha1_ep200/`;
 * 3. the meta `exp_name` (the config file name, same naming);
 * 4. the meta `config` when it is OpenMixup's Python text (`cfg.pretty_text`): `mix_mode='...'`, `alpha=...`.
 *
 * A mixed policy (`mix_mode` a list, labelled `mixup+cutmix` with α `0.2/1`) from any source wins over a single method
 * (e.g. from a `mix_modemixup` directory), with that source's alphas.
 *
 * An `AutoMixup` model is `samix` when its `mix_block` has a `value_neck_cfg` or `x_qk_concat` (what OpenMixup's
 * SAMix configs add to AutoMix's), or when any source says `samix` (e.g. a `samix` directory); else `automix`.
 */
import * as path from 'node:path';
import {BENCHMARKS} from '../config/benchmarks';
import {findMethod, isLearned, METHODS, mixesNothing} from '../config/methods';
import {methodOfDirName, parseConfigName} from '../config/run-names';

/** Column labels of the reference page's tables, where they differ from the dataset id. */
const TABLE_LABELS: Readonly<Record<string, string>> = {cub200: 'CUB-200', aircraft: 'Aircraft', inat2017: 'iNat2017', inat2018: 'iNat2018', places205: 'Places205'};

/** Other names of a dataset in work-dir paths and configs (OpenMixup's directory names, data source names). */
const ALIASES: Readonly<Record<string, string[]>> = {
  cub200: ['cub', 'cub_200'],
  aircraft: ['aircrafts', 'fgvc_aircraft', 'fgvc_aircrafts'],
  inat2017: ['inaturalist2017'],
  inat2018: ['inaturalist2018'],
  places205: ['place205'],
  demo: ['mnist', 'fashionmnist', 'fashion_mnist', 'synthetic'],
};

/**
 * Canonical dataset ids with their column labels, in the reference page's order: the benchmark catalog
 * (`src/config/benchmarks.ts`) plus the names runs use for them. The demo's 10 classes say nothing about the
 * dataset, so its class count is not used to recognise it.
 */
export const DATASETS: ReadonlyArray<{id: string; label: string; aliases: string[]; numClasses?: number}> = BENCHMARKS.map((b) => ({
  id: b.name,
  label: TABLE_LABELS[b.name] ?? b.name,
  aliases: [b.name, ...(ALIASES[b.name] ?? [])],
  numClasses: b.demo ? undefined : b.numClasses,
}));

/** Backbone ids (`r18`, `rx50`: OpenMixup's config-name prefixes) to column labels. */
export function backboneLabel(id: string): string {
  const m = /^(r|rx)(\d+)$/.exec(id);
  if (!m) return id;
  return `${m[1] === 'rx' ? 'ResNeXt' : 'ResNet'}-${m[2]}`;
}

/** The column label of a dataset id (the id itself when unknown). */
export function datasetLabel(id: string): string {
  return DATASETS.find((d) => d.id === id)?.label ?? id;
}

/** What is known about one run (one work dir). Missing fields could not be inferred. */
export interface RunInfo {
  workDir: string;
  /** method name(s) of the catalog joined with `+` (`mixup+cutmix` for a mixed policy) */
  method?: string;
  /** α, joined with `/` when several methods */
  alpha?: string;
  /** `r18`, `r50`, `rx50`, `rx101`, ... */
  backbone?: string;
  /** a `DATASETS` id */
  dataset?: string;
  /** planned epochs (`runner.max_epochs`) */
  epochs?: number;
}

type Fields = Omit<RunInfo, 'workDir'>;

/** Infers a run's description from its work dir and its log's meta line (see the module comment for the order). */
export function inferRunInfo(workDir: string, meta?: Record<string, unknown>): RunInfo {
  const config = meta?.config;
  const sources: Fields[] = [];
  if (config !== null && typeof config === 'object' && !Array.isArray(config)) sources.push(fromConfigObject(config as Record<string, unknown>));
  sources.push(fromPath(workDir));
  if (typeof meta?.exp_name === 'string') sources.push(parseConfigName(meta.exp_name.replace(/\.(json|py)$/, '')));
  if (typeof config === 'string') sources.push(fromPythonText(config));
  const info: RunInfo = {workDir};
  for (const key of ['method', 'alpha', 'backbone', 'dataset', 'epochs'] as const) {
    const hit = sources.find((s) => s[key] !== undefined);
    if (hit) (info as unknown as Record<string, unknown>)[key] = hit[key];
  }
  // a mixed policy (mix_mode list) named by any source wins over one method from a directory name such as
  // `mix_modemixup`: the config says what ran; its alphas go with it
  const mixed = sources.find((s) => s.method?.includes('+'));
  if (mixed && !info.method?.includes('+')) {
    info.method = mixed.method;
    if (mixed.alpha !== undefined) info.alpha = mixed.alpha;
  }
  if (mixesNothing(info.method)) delete info.alpha;
  // `automix` from a config object or path, `samix` from another source (a `samix` directory): the refinement ran
  const refinement = METHODS.find((m) => m.variantOf !== undefined && m.variantOf === info.method && sources.some((s) => s.method === m.name));
  if (refinement) info.method = refinement.name;
  return info;
}

/**
 * Which learned mixer an OpenMixup `AutoMixup` model dict is: `samix` when `mix_block.value_neck_cfg` is set or
 * `mix_block.x_qk_concat` is true (SAMix's additions to the AutoMix configs), else `automix`; undefined when
 * `model.type` is not `AutoMixup`.
 */
export function learnedVariant(model: unknown): 'automix' | 'samix' | undefined {
  const m = asObject(model);
  if (m?.type !== 'AutoMixup') return undefined;
  const block = asObject(m.mix_block);
  const valueNeck = block?.value_neck_cfg;
  return (valueNeck !== undefined && valueNeck !== null) || block?.x_qk_concat === true ? 'samix' : 'automix';
}

function fromConfigObject(config: Record<string, unknown>): Fields {
  const model = asObject(config.model);
  const backbone = asObject(model?.backbone);
  const head = asObject(model?.head);
  const runner = asObject(config.runner);
  const fields: Fields = {};
  const modes = listOf(model?.mix_mode);
  const learned = learnedVariant(model);
  if (learned) fields.method = learned;
  else if (modes.length > 0 && modes.every((m) => typeof m === 'string')) fields.method = modes.join('+');
  const alphas = listOf(model?.alpha);
  if (alphas.length > 0 && alphas.every((a) => typeof a === 'number')) fields.alpha = alphas.map(String).join('/');
  if (typeof backbone?.type === 'string' && typeof backbone.depth === 'number') {
    fields.backbone = `${backbone.type.startsWith('ResNeXt') ? 'rx' : 'r'}${backbone.depth}`;
  }
  if (typeof runner?.max_epochs === 'number') fields.epochs = runner.max_epochs;
  fields.dataset = datasetInStrings(config.data) ?? DATASETS.find((d) => d.numClasses !== undefined && d.numClasses === head?.num_classes)?.id;
  return fields;
}

function fromPath(workDir: string): Fields {
  const segments = path.resolve(workDir).split(path.sep).filter((s) => s !== '');
  const fields: Fields = {};
  for (const segment of segments) {
    const lower = segment.toLowerCase();
    const dataset = DATASETS.find((d) => d.aliases.includes(lower));
    if (dataset) fields.dataset = dataset.id;
    const mode = methodOfDirName(segment);
    if (mode) fields.method = mode;
    else if (isLearned(lower) && fields.method === undefined) fields.method = lower;
    if (/^rx?\d+$/.test(segment)) fields.backbone = segment;
  }
  const leaf = parseConfigName(segments[segments.length - 1] ?? '');
  return {...leaf, ...definedOnly(fields)};
}

function fromPythonText(text: string): Fields {
  const fields: Fields = {};
  // a mixed policy is a list: mix_mode=['mixup', 'cutmix'], alpha=[0.2, 1.0]
  const modes = pythonList(/\bmix_mode\s*=\s*(\[[^\]]*\]|['"]\w+['"])/.exec(text)?.[1], /^['"](\w+)['"]$/);
  if (/type\s*=\s*['"]AutoMixup['"]/.test(text)) fields.method = /\bvalue_neck_cfg\s*=\s*dict\(|\bx_qk_concat\s*=\s*True\b/.test(text) ? 'samix' : 'automix';
  else if (modes) fields.method = modes.join('+');
  const alphas = pythonList(/\balpha\s*=\s*(\[[^\]]*\]|\d+(?:\.\d+)?)/.exec(text)?.[1], /^(\d+(?:\.\d+)?)$/);
  if (alphas) fields.alpha = alphas.map((a) => String(Number(a))).join('/');
  const backbone = /\bbackbone\s*=\s*dict\(\s*type\s*=\s*['"](\w+)['"]\s*,\s*depth\s*=\s*(\d+)/.exec(text);
  if (backbone) fields.backbone = `${backbone[1].startsWith('ResNeXt') ? 'rx' : 'r'}${backbone[2]}`;
  const epochs = /\bmax_epochs\s*=\s*(\d+)/.exec(text);
  if (epochs) fields.epochs = Number(epochs[1]);
  const classes = /\bnum_classes\s*=\s*(\d+)/.exec(text);
  fields.dataset = datasetInStrings(text) ?? DATASETS.find((d) => d.numClasses !== undefined && d.numClasses === Number(classes?.[1]))?.id;
  return fields;
}

/** The items of a Python list literal (or the single value) that all match `item` (its group 1), else undefined. */
function pythonList(literal: string | undefined, item: RegExp): string[] | undefined {
  if (literal === undefined) return undefined;
  const inner = literal.startsWith('[') ? literal.slice(1, -1) : literal;
  const values = inner.split(',').map((v) => v.trim()).filter((v) => v !== '');
  const matched = values.map((v) => item.exec(v)?.[1]);
  return matched.length > 0 && matched.every((v) => v !== undefined) ? (matched as string[]) : undefined;
}

/** The first known dataset named in any string of `value` (e.g. `data/meta/CUB200/train_labeled.txt`). */
function datasetInStrings(value: unknown): string | undefined {
  const strings: string[] = [];
  collectStrings(value, strings, 0);
  for (const s of strings) {
    const words = s.toLowerCase().split(/[^a-z0-9_]+/);
    const dataset = DATASETS.find((d) => d.aliases.some((a) => words.includes(a)) || words.includes(d.label.toLowerCase().replace('-', '')));
    if (dataset) return dataset.id;
  }
  return undefined;
}

function collectStrings(value: unknown, out: string[], depth: number): void {
  if (depth > 6) return;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out, depth + 1);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) collectStrings(v, out, depth + 1);
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function definedOnly(fields: Fields): Fields {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Fields;
}

/** The row label of a method: the reference tables' label (`FMix*`), else the name itself. */
export function methodLabel(method: string | undefined): string {
  if (method === undefined) return '?';
  return method
    .split('+')
    .map((m) => findMethod(m)?.label ?? m)
    .join('+');
}

/**
 * Config validation: the JSON schema of `schema.ts` (ajv, all errors at once) plus the checks that span several
 * fields, with messages a user can act on:
 *
 *     configs/x.json: model.alpha must be a number > 0 or a non-empty array of numbers > 0, got "abc"
 *     configs/x.json: model.mix_mode[1] must be a known method (vanilla, mixup, ...), got "mixpu"
 *
 * `loadConfig(file)` = `_base_` merging (`load.ts`) + validation; it is what every command uses to read a config.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, {type ErrorObject, type ValidateFunction} from 'ajv';
import {isMixupError, showValue, usageError} from '../errors';
import {displayPath} from './files';
import {isObject, loadConfigFile, type JsonObject} from './load';
import {readLossArgs} from './loss-args';
import {findMethod, METHOD_NAMES, readMethodArgs} from './methods';
import {fillDefaults} from './normalise';
import {dataIssues} from './data-rules';
import {CONFIG_SCHEMA, type MixupConfig} from './schema';

/** One problem found in a config. */
export interface ConfigIssue {
  /** dotted path of the field (`model.alpha`, `data.train.pipeline[2].size`), `""` for the whole config */
  path: string;
  /** full sentence naming the path, what was expected and what came in */
  message: string;
  /** true when the field itself is unknown there (not a wrong value): `import-config` leaves such fields out */
  unknownField?: boolean;
}

const compiled = new WeakMap<object, ValidateFunction>();

function schemaValidator(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = new Ajv({allErrors: true, verbose: true, strict: false, strictNumbers: true}).compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** `/model/alpha/0` -> `model.alpha[0]` */
function dotted(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc === '' ? part : `${acc}.${part}`), '');
}

function join(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/** A value as it appears in a message (the program's one formatter, `src/errors.ts`). */
export {showValue};

function describe(schema: unknown): string | undefined {
  return isObject(schema) && typeof schema.description === 'string' ? schema.description : undefined;
}

function formatAjvError(error: ErrorObject, pointer: string): ConfigIssue | undefined {
  const at = dotted(pointer + error.instancePath);
  const parent = error.parentSchema as JsonObject | undefined;
  switch (error.keyword) {
    case 'if':
      return undefined; // the failing "then" branch reports the real problem
    case 'required': {
      const key = (error.params as {missingProperty: string}).missingProperty;
      const expected = describe(isObject(parent?.properties) ? parent.properties[key] : undefined);
      return {path: join(at, key), message: `${join(at, key)} is missing${expected ? ` (expected ${expected})` : ''}`};
    }
    case 'additionalProperties': {
      const key = (error.params as {additionalProperty: string}).additionalProperty;
      const allowed = isObject(parent?.properties) ? Object.keys(parent.properties).join(', ') : '';
      return {path: join(at, key), message: `${join(at, key)} is not a known field${allowed ? `; allowed here: ${allowed}` : ''}`, unknownField: true};
    }
    default: {
      const expected = describe(parent);
      const what = expected ? `must be ${expected}` : error.message ?? 'is invalid';
      return {path: at, message: `${at === '' ? 'the config' : at} ${what}, got ${showValue(error.data)}`};
    }
  }
}

/**
 * The schema's problems with `value`, whose place in a config is the JSON pointer `pointer` (`/data` for a data
 * section checked alone).
 */
export function schemaIssues(value: unknown, schema: object = CONFIG_SCHEMA, pointer = ''): ConfigIssue[] {
  const validate = schemaValidator(schema);
  if (validate(value)) return [];
  const errors = validate.errors ?? [];
  // an anyOf/oneOf failure is reported once, with its own description, not once per branch
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => `${e.schemaPath}/`);
  const kept = errors.filter((e) => !unions.some((prefix) => e.schemaPath.startsWith(prefix)));
  return kept.map((error) => formatAjvError(error, pointer)).filter((issue): issue is ConfigIssue => issue !== undefined);
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The problem `read` throws (a MixupError: the same reader and wording `train` uses), as an issue at `at`. */
function issuesOf(at: string, read: () => unknown): ConfigIssue[] {
  try {
    read();
    return [];
  } catch (error) {
    if (!isMixupError(error)) throw error;
    return [{path: at, message: error.message}];
  }
}

function mixIssues(model: JsonObject): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const known = `a known method (${METHOD_NAMES.join(', ')})`;
  const {mix_mode: mode, alpha, mix_prob: prob, mix_args: args} = model;
  const modes = typeof mode === 'string' ? [mode] : Array.isArray(mode) ? mode : [];
  modes.forEach((name, i) => {
    if (typeof name !== 'string') return;
    const at = Array.isArray(mode) ? `model.mix_mode[${i}]` : 'model.mix_mode';
    if (!METHOD_NAMES.includes(name)) {
      issues.push({path: at, message: `${at} must be ${known}, got ${showValue(name)}`});
    } else if (findMethod(name)?.kind !== 'learned') {
      const given = isObject(args) ? args[name] : undefined;
      issues.push(...issuesOf(`model.mix_args.${name}`, () => readMethodArgs(name, (given ?? {}) as JsonObject)));
    } else {
      issues.push({
        path: at,
        message: `${at} must not be the learned mixer ${showValue(name)}: it is its own classifier, model.type "AutoMixup" (e.g. configs/cub200/r18_${name}.json, configs/demo/${name}.json, or \`mixup gen-configs --methods ${name}\`), not a mix_mode of "MixUpClassification"`,
      });
    }
  });
  const n = modes.length;
  // one α for every mode, or one per mode (the rule of src/mixups/schedule.ts)
  if (Array.isArray(alpha) && n > 0 && alpha.length !== 1 && alpha.length !== n) {
    issues.push({path: 'model.alpha', message: `model.alpha must be one number or one per mix_mode (${n}), got ${alpha.length}: ${showValue(alpha)}`});
  }
  if (Array.isArray(prob) && prob.every((p) => typeof p === 'number')) {
    if (n > 0 && prob.length !== n) issues.push({path: 'model.mix_prob', message: `model.mix_prob must have one probability per mix_mode (${n}), got ${prob.length}: ${showValue(prob)}`});
    const sum = (prob as number[]).reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-6) issues.push({path: 'model.mix_prob', message: `model.mix_prob must sum to 1, got ${showValue(prob)} (sum ${sum})`});
  }
  if (isObject(args)) {
    for (const name of Object.keys(args)) {
      if (!METHOD_NAMES.includes(name)) issues.push({path: `model.mix_args.${name}`, message: `model.mix_args.${name} must be named after ${known}, got ${showValue(name)}`});
    }
  }
  return issues;
}

/** Output channels of stage `stage` (0-based) of a ResNet/ResNeXt: base·2^stage, ×4 for bottleneck depths (>= 50). */
export function stageChannels(backbone: {depth: number; base_channels?: number}, stage: number): number {
  return (backbone.base_channels ?? 64) * 2 ** stage * (backbone.depth >= 50 ? 4 : 1);
}

/** Loss flags that go together, for the head at `at` (`model.head`, `model.head_one`, ...). */
function headLossIssues(head: JsonObject, at: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const loss = isObject(head.loss) ? head.loss : {};
  issues.push(...issuesOf(`${at}.loss`, () => readLossArgs(loss, `${at}.loss`)));
  if (loss.eta_weight !== undefined && loss.use_mix_decouple !== true) {
    issues.push({path: `${at}.loss.eta_weight`, message: `${at}.loss.eta_weight is only used with ${at}.loss.use_mix_decouple: true (the η-balanced loss), got ${showValue(loss.eta_weight)} without it`});
  }
  if ((loss.use_soft === true || loss.use_sigmoid === true) && head.multi_label === false) {
    issues.push({path: `${at}.multi_label`, message: `${at}.multi_label must be true when ${at}.loss.use_soft or use_sigmoid is true (soft targets are mixed one-hot labels), got false`});
  }
  return issues;
}

type Backbone = {type?: unknown; depth: number; base_channels?: number; out_indices: number[]};

/** The backbone when its depth and out_indices are usable for channel checks (the schema reports the rest). */
function usableBackbone(backbone: unknown): Backbone | undefined {
  if (!isObject(backbone) || typeof backbone.depth !== 'number' || !Array.isArray(backbone.out_indices)) return undefined;
  const indices = backbone.out_indices.filter((i): i is number => Number.isInteger(i));
  return indices.length > 0 ? {...(backbone as unknown as Backbone), out_indices: indices} : undefined;
}

/** `<at>.in_channels` must be the output channels of the backbone's last `out_indices` stage. */
function headChannelIssues(head: JsonObject, at: string, backbone: Backbone | undefined): ConfigIssue[] {
  if (!backbone || typeof head.in_channels !== 'number') return [];
  const last = Math.max(...backbone.out_indices);
  const expected = stageChannels(backbone, last);
  if (head.in_channels === expected) return [];
  return [{path: `${at}.in_channels`, message: `${at}.in_channels must be ${expected} (output channels of ${String(backbone.type)}-${backbone.depth} stage ${last}), got ${head.in_channels}`}];
}

function modelIssues(model: JsonObject): ConfigIssue[] {
  const {head} = model;
  if (!isObject(head)) return [];
  return [...headLossIssues(head, 'model.head'), ...headChannelIssues(head, 'model.head', usableBackbone(model.backbone))];
}

/** The heads of an AutoMixup model present in the config, by field name. */
const AUTOMIX_HEADS = ['head_one', 'head_mix', 'head_mix_k'] as const;

/**
 * Cross-field checks of an `AutoMixup` model (OpenMixup `AutoMixup.__init__` asserts and what its forward needs):
 * out_indices holds mask_layer and 3, the Mix Block reads the mask_layer stage's channels, the heads read the last
 * stage's, every head has the same class count, the Mix Block's SGD group exists, the hooks' values fit the model.
 */
function autoMixIssues(config: JsonObject, model: JsonObject): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const backbone = usableBackbone(model.backbone);
  const maskLayer = Number.isInteger(model.mask_layer) ? (model.mask_layer as number) : undefined;
  if (backbone) {
    const needed = [...new Set([maskLayer, 3].filter((i): i is number => i !== undefined))];
    const missing = needed.filter((i) => !backbone.out_indices.includes(i));
    if (missing.length > 0) {
      issues.push({
        path: 'model.backbone.out_indices',
        message: `model.backbone.out_indices must contain model.mask_layer (${maskLayer}) and 3 (the Mix Block's stage and the heads' stage), e.g. [${needed.join(', ')}], got ${showValue(backbone.out_indices)}`,
      });
    }
  }
  const mixBlock = isObject(model.mix_block) ? model.mix_block : undefined;
  if (backbone && mixBlock && maskLayer !== undefined && typeof mixBlock.in_channels === 'number') {
    const expected = stageChannels(backbone, maskLayer);
    if (mixBlock.in_channels !== expected) {
      issues.push({
        path: 'model.mix_block.in_channels',
        message: `model.mix_block.in_channels must be ${expected} (output channels of ${String(backbone.type)}-${backbone.depth} stage ${maskLayer} = model.mask_layer), got ${mixBlock.in_channels}`,
      });
    }
  }
  const classes = isObject(model.head_one) ? model.head_one.num_classes : undefined;
  for (const name of AUTOMIX_HEADS) {
    const head = model[name];
    if (!isObject(head)) continue;
    const at = `model.${name}`;
    issues.push(...headLossIssues(head, at), ...headChannelIssues(head, at, backbone));
    if (name !== 'head_one' && typeof classes === 'number' && typeof head.num_classes === 'number' && head.num_classes !== classes) {
      issues.push({path: `${at}.num_classes`, message: `${at}.num_classes must equal model.head_one.num_classes (${classes}), got ${head.num_classes}`});
    }
  }
  const optimizer = isObject(config.optimizer) ? config.optimizer : undefined;
  if (optimizer && optimizer.paramwise_options === undefined) {
    issues.push({
      path: 'optimizer.paramwise_options',
      message: 'optimizer.paramwise_options is missing (expected {"mix_block": {"lr": number > 0}}: an AutoMixup model trains its Mix Block in its own SGD group)',
    });
  }
  const hooks = Array.isArray(config.custom_hooks) ? config.custom_hooks : [];
  const seen = new Map<string, number>();
  hooks.forEach((hook, i) => {
    if (!isObject(hook) || typeof hook.type !== 'string') return;
    const at = `custom_hooks[${i}]`;
    const first = seen.get(hook.type);
    if (first !== undefined) issues.push({path: at, message: `${at} is a second ${hook.type} (custom_hooks[${first}] is one); keep one`});
    else seen.set(hook.type, i);
    if (hook.type === 'CustomCosineAnnealingHook' && (hook.min_attr === undefined) === (hook.min_attr_ratio === undefined)) {
      issues.push({path: `${at}.min_attr`, message: `${at} must set exactly one of min_attr and min_attr_ratio (the value the attribute anneals to), got ${hook.min_attr === undefined ? 'neither' : 'both'}`});
    }
    if (hook.type === 'CosineScheduleHook') {
      const end = hook.end_momentum ?? 1;
      if (typeof end === 'number' && typeof model.momentum === 'number' && end < model.momentum) {
        issues.push({path: `${at}.end_momentum`, message: `${at}.end_momentum must be >= model.momentum (${model.momentum}), got ${end}`});
      }
      // OpenMixup options the engine does not implement: refused here, not when training reaches them
      if (hook.restart_step !== undefined) issues.push({path: `${at}.restart_step`, message: `${at}.restart_step is not implemented (no reference config sets it); remove it`});
      const scope = hook.adjust_scope;
      if (Array.isArray(scope) && scope.length === 2 && typeof scope[0] === 'number' && typeof scope[1] === 'number' && scope[0] > scope[1]) {
        issues.push({path: `${at}.adjust_scope`, message: `${at}.adjust_scope must be [start, end] with start <= end, got ${showValue(scope)}`});
      }
    }
  });
  return issues;
}

/** Fields only an AutoMixup model reads: an error elsewhere, so that they are not silently ignored. */
function autoMixOnlyIssues(config: JsonObject): ConfigIssue[] {
  const fields: Array<[string, unknown]> = [
    ['optimizer.paramwise_options', isObject(config.optimizer) ? config.optimizer.paramwise_options : undefined],
    ['addtional_scheduler', config.addtional_scheduler],
    ['custom_hooks', config.custom_hooks],
  ];
  return fields
    .filter(([, value]) => value !== undefined)
    .map(([at]) => ({path: at, message: `${at} is only read with model.type "AutoMixup" (the learned mixers); remove it for a "MixUpClassification" model`}));
}

function otherIssues(config: JsonObject): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const model = isObject(config.model) ? config.model : {};
  const headName = model.type === 'AutoMixup' ? 'head_one' : 'head';
  const head = model[headName];
  const numClasses = isObject(head) ? head.num_classes : undefined;
  const topk = isObject(config.evaluation) && isObject(config.evaluation.eval_param) ? config.evaluation.eval_param.topk : undefined;
  if (typeof numClasses === 'number' && Array.isArray(topk)) {
    topk.forEach((k, i) => {
      if (typeof k === 'number' && k > numClasses) {
        issues.push({path: `evaluation.eval_param.topk[${i}]`, message: `evaluation.eval_param.topk[${i}] must be <= model.${headName}.num_classes (${numClasses}), got ${k}`});
      }
    });
  }
  const step = isObject(config.lr_config) ? config.lr_config.step : undefined;
  if (Array.isArray(step) && step.some((s, i) => i > 0 && s <= step[i - 1])) {
    issues.push({path: 'lr_config.step', message: `lr_config.step must be increasing epochs, got ${showValue(step)}`});
  }
  issues.push(...dataIssues(config.data, {numClasses, headName}));
  return issues;
}

/**
 * All problems of a merged config (empty = valid). Schema errors first, then cross-field checks: known method
 * names, one alpha for all or one per mix_mode, one mix_prob per mix_mode, probabilities summing to 1, loss flags that go together,
 * `head.in_channels` equal to the backbone's output channels, topk <= num_classes; for an `AutoMixup` model the checks
 * of `autoMixIssues` (Mix Block and head channels, class counts, out_indices, the Mix Block's SGD group, hooks), and
 * for a `MixUpClassification` model no AutoMixup-only field.
 */
export function validateConfig(config: unknown): ConfigIssue[] {
  const issues = schemaIssues(config);
  if (isObject(config)) {
    const model = config.model;
    if (isObject(model) && model.type === 'AutoMixup') issues.push(...autoMixIssues(config, model));
    else if (isObject(model)) issues.push(...mixIssues(model), ...modelIssues(model), ...autoMixOnlyIssues(config));
    issues.push(...otherIssues(config));
  }
  const seen = new Set<string>();
  return issues.filter((issue) => !seen.has(issue.message) && seen.add(issue.message) !== undefined);
}

/**
 * Returns the config typed and normalised when it is valid: a copy with the schema's defaults filled in.
 * @param file the file it came from, named in the error
 * @throws MixupError (usage) listing every problem, one `file: message` line each
 */
export function assertValidConfig(config: unknown, file: string): MixupConfig {
  const issues = validateConfig(config);
  if (issues.length > 0) {
    throw usageError(issues.map((issue) => `${displayPath(file)}: ${issue.message}`).join('\n'), {
      suggestions: ['Run `mixup methods` to list method names; see docs/config.md for every field.'],
    });
  }
  return fillDefaults(CONFIG_SCHEMA, config);
}

/**
 * Loads a config file (merging its `_base_` chain), validates it and fills in its defaults: the one config every
 * room reads its typed slice of.
 * @throws MixupError (usage) naming the file for unreadable JSON, a bad `_base_`, or any validation problem
 */
export function loadConfig(file: string): MixupConfig {
  const raw = loadConfigFile(file);
  const config = assertValidConfig(raw, file);
  written.set(config, raw);
  return config;
}

/** The merged files behind each config `loadConfig` returned (before its defaults were filled in). */
const written = new WeakMap<MixupConfig, JsonObject>();

/**
 * The config as its files spell it (`_base_` merged, no defaults filled in) when `loadConfig` returned it, else the
 * config itself: what the checkpoints' config hash is taken of, so that a default the schema gains does not make a
 * run in progress look like another config's.
 */
export function writtenForm(config: MixupConfig): unknown {
  return written.get(config) ?? config;
}

/** A valid config as its file spells it (no defaults filled in): the fields `gen-configs` edits, typed. */
export type ConfigAsWritten = JsonObject & {
  model: JsonObject & {type: MixupConfig['model']['type']; mix_mode?: unknown; alpha?: unknown};
  runner: JsonObject & {max_epochs: number};
};

/**
 * Loads a config file (merging its `_base_` chain) and validates it, returning it as written: `gen-configs` copies
 * the benchmark bases without writing every default into the generated files.
 * @throws MixupError (usage) as `loadConfig`
 */
export function loadConfigAsWritten(file: string): ConfigAsWritten {
  const config = loadConfigFile(file);
  assertValidConfig(config, file);
  return config as ConfigAsWritten;
}

/** Per-file outcome of `validateFiles`. */
export interface FileValidation {
  /** the file as shown (relative to the working directory when below it) */
  file: string;
  /** the file as found (to open it again) */
  source: string;
  valid: boolean;
  /** `file: message` lines (validation problems, or the one load error) */
  errors: string[];
}

/** The `.json` files under `dir`, recursively, sorted. */
function jsonFilesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, {recursive: true, encoding: 'utf8'})
    .filter((name) => name.endsWith('.json'))
    .map((name) => path.join(dir, name))
    .sort();
}

/**
 * Loads and validates each file (a directory stands for every `.json` file below it), collecting problems instead
 * of stopping at the first bad file.
 */
export function validateFiles(paths: string[]): FileValidation[] {
  const files = paths.flatMap((p) => (fs.existsSync(p) && fs.statSync(p).isDirectory() ? jsonFilesUnder(p) : [p]));
  return files.map((file) => {
    const shown = displayPath(file);
    let config: JsonObject;
    try {
      config = loadConfigFile(file);
    } catch (error) {
      return {file: shown, source: file, valid: false, errors: (error as Error).message.split('\n')};
    }
    const errors = validateConfig(config).map((issue) => `${shown}: ${issue.message}`);
    return {file: shown, source: file, valid: errors.length === 0, errors};
  });
}

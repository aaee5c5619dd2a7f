/**
 * `mixup gen-configs`: the reference workflow's "modify max_epochs and mix_mode to generate configs and bash
 * scripts" (OpenMixup `auto_train_mixups.py` + `ConfigGenerator`), deterministic and without timestamps.
 *
 * For each backbone it loads `configs/<dataset>/<backbone>_mixups_CE_none.json` (merged, validated; a method may name
 * another base through the benchmark's `variants`: `<backbone>_puzzlemix_CE_soft.json`, and for the learned mixers
 * `<backbone>_automix.json` / `<backbone>_samix.json`, whose `model.type` is "AutoMixup": there only `model.alpha` and
 * the epochs change), and for each (method, α, epochs) writes one fully merged config, named as OpenMixup names them:
 *
 *     <out>/<dataset>/<backbone>/mix_mode<method>/<base>_alpha<α>_ep<epochs>.json   (α "0.2" -> "0_2"; vanilla has no α)
 *
 * plus one script per backbone (`<out>/<dataset>/<backbone>_mixups_CE_none_ep<epochs>.sh`, `..._slurm.sh` for
 * Slurm) running `mixup train CONFIG --work-dir WORK_DIR --seed S` for every config and seed. The work dir is the
 * config path with its leading `configs/` replaced by `work_dirs/` and `.json` dropped (paths outside `configs/`:
 * `work_dirs/` + the path under `--out`); with several seeds each gets its own `seed<S>` sub-directory, so that a
 * finished seed is skipped and an unfinished one resumes on its own.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {usageError, showValue} from '../errors';
import {BACKBONES, getBenchmark, type BackboneKey, type Benchmark} from './benchmarks';
import {alreadyExists, writeFileAtomic} from '../io/write';
import {assertNoControlCharacters} from '../io/paths';
import {displayPath, packageRoot} from './files';
import {formatConfig} from './format';
import {findMethod, METHOD_NAMES} from './methods';
import {applyOverrides, overrideWords, type ConfigOverrides} from './overrides';
import {configName, methodDirName, workDirOf} from './run-names';
import {MAX_SCRIPT_RUNS, renderScript, type ScriptRun} from './scripts';
import {assertValidConfig, loadConfigAsWritten, type ConfigAsWritten} from './validate';

/** What the user asked for; unset fields take the benchmark's defaults. */
export interface GenerateOptions {
  dataset: string;
  /** max_epochs values (default: the benchmark's, 200 or 100) */
  epochs?: number[];
  /** backbone keys (default: the reference table's) */
  backbones?: string[];
  /** method names (default: the reference table's, without the learned ones) */
  methods?: string[];
  /** Beta α values used for every mixing method (default: the table's α per method) */
  alphas?: number[];
  /** number of seeds: 0 .. seeds-1 (default 1) */
  seeds?: number;
  /** local: GPUs, one run on each at a time (lanes); slurm: > 0 = one GPU per task; 0 = no GPU (default 0) */
  gpus?: number;
  /** slurm: `--gres` of one task ("none": no request; default gpu:1 when gpus > 0) */
  gres?: string;
  /** output root (default `configs/generated`, relative to cwd) */
  out?: string;
  launcher?: 'local' | 'slurm';
  /** base directory of relative paths (default process.cwd()) */
  cwd?: string;
  /** --data-root, --image-size, --base-channels, --set (`overrides.ts`) */
  overrides?: ConfigOverrides;
}

/** One generated config. */
export interface PlannedConfig {
  /** path as written in scripts and printed (relative to cwd when inside it) */
  path: string;
  workDirs: string[];
  backbone: BackboneKey;
  method: string;
  /** α written in the config (vanilla keeps the base's value, unused) */
  alpha: number;
  epochs: number;
}

/** One file `writePlan` writes, with its full content. */
export interface PlannedFile {
  /** absolute path */
  file: string;
  /** as shown to the user */
  path: string;
  kind: 'config' | 'script';
  content: string;
  mode: number;
}

/** Everything one `gen-configs` invocation writes, worked out before anything is written. */
export interface GenerationPlan {
  dataset: string;
  /** the options after defaults were applied */
  options: Required<Omit<GenerateOptions, 'cwd' | 'alphas' | 'backbones' | 'overrides' | 'gres'>> & {alphas: number[] | null; backbones: BackboneKey[]; overrides: ConfigOverrides; gres: string | null};
  configs: PlannedConfig[];
  scripts: Array<{path: string; backbone: BackboneKey; launcher: 'local' | 'slurm'; runs: number}>;
  files: PlannedFile[];
}

/** Splits a comma-separated flag value (`"r18, rx50"`) into its non-empty items. */
export function splitList(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * Parses a comma-separated list of numbers from a flag.
 * @throws MixupError (usage) naming the flag and the bad item
 */
export function parseNumberList(flag: string, value: string, kind: 'positive integer' | 'number > 0'): number[] {
  const items = splitList(value);
  if (items.length === 0) throw usageError(`${flag} must be a ${kind} or a comma-separated list of them, got ${showValue(value)}`);
  return items.map((item) => {
    const n = Number(item);
    const ok = kind === 'positive integer' ? Number.isInteger(n) && n >= 1 : Number.isFinite(n) && n > 0;
    if (!ok) throw usageError(`${flag} must be a ${kind} (or a comma-separated list of them), got ${showValue(item)}`);
    return n;
  });
}

/** Most seeds per config (`--seeds`), most GPUs (`--gpus`: lanes of a local script). */
export const MAX_SEEDS = 1000;
export const MAX_GPUS = 64;

function checkInteger(flag: string, value: number, minimum: number, maximum = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < minimum || value > maximum) {
    throw usageError(`${flag} must be an integer >= ${minimum}${maximum < Number.MAX_SAFE_INTEGER ? ` and <= ${maximum}` : ''}, got ${value}`);
  }
  return value;
}

function checkBackbones(bench: Benchmark, requested: string[] | undefined): BackboneKey[] {
  const list = requested ?? bench.backbones;
  const known: string[] = [...bench.backbones, ...(bench.extraBackbones ?? [])];
  if (list.length === 0) throw usageError(`--backbone: no backbone keys given; ${bench.name}'s backbones: ${known.join(', ')}`);
  for (const key of list) {
    if (!known.includes(key)) {
      const what = key in BACKBONES ? `has no reference config for ${key}` : `has no backbone ${JSON.stringify(key)}`;
      throw usageError(`--backbone: ${bench.name} ${what}; its backbones: ${known.join(', ')}`);
    }
  }
  return [...new Set(list)] as BackboneKey[];
}

/** `configs/<dataset>/<backbone>_<variant>.json`: the base config of a method on a backbone. */
function baseConfigFile(bench: Benchmark, backbone: BackboneKey, method: string): string {
  return path.join(packageRoot(), 'configs', bench.name, `${backbone}_${bench.variants[method] ?? 'mixups_CE_none'}.json`);
}

/**
 * The methods generated for one backbone: every method has a base config on the table's backbones; on an extra
 * backbone (CUB-200/Aircraft r50) the default list keeps those that have one, and a method asked for by name
 * without one is an error.
 * @throws MixupError (usage) naming the method, the missing base file and the methods the backbone has
 */
function methodsFor(bench: Benchmark, backbone: BackboneKey, methods: string[], explicit: boolean): string[] {
  const has = (method: string): boolean => fs.existsSync(baseConfigFile(bench, backbone, method));
  const missing = methods.filter((m) => !has(m));
  if (missing.length > 0 && (explicit || missing.length === methods.length)) {
    const available = bench.methods.filter(has);
    throw usageError(
      `--methods: ${bench.name} has no ${backbone} base config for ${missing.join(', ')} (${missing.map((m) => displayPath(baseConfigFile(bench, backbone, m))).join(', ')}; OpenMixup ships none); ` +
        `the ${backbone} methods: ${available.join(', ')}`,
    );
  }
  return methods.filter(has);
}

function checkMethods(bench: Benchmark, requested: string[] | undefined): string[] {
  const list = requested ?? bench.methods;
  if (list.length === 0) throw usageError(`--methods: no method names given; known methods: ${METHOD_NAMES.join(', ')}`);
  for (const name of list) {
    const info = findMethod(name);
    if (!info) throw usageError(`--methods: unknown method ${JSON.stringify(name)}; known methods: ${METHOD_NAMES.join(', ')}`, {suggestions: ['Run `mixup methods` to list them.']});
    if (info.kind === 'learned' && bench.variants[name] === undefined) {
      throw usageError(`--methods: ${name} is a learned mixer (model.type "AutoMixup") and ${bench.name} has no ${name} base config`);
    }
  }
  return [...new Set(list)];
}

/** Path as written into scripts: relative to cwd when inside it (POSIX separators), else absolute. */
function scriptPath(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}

/** The words of the gen-configs command line that reproduces a plan (quoted by the script writer). */
function commandLine(o: GenerationPlan['options']): string[] {
  const parts = ['mixup', 'gen-configs', '--dataset', o.dataset, '--backbone', o.backbones.join(','), '--methods', o.methods.join(',')];
  if (o.alphas) parts.push('--alpha', o.alphas.join(','));
  parts.push('--epochs', o.epochs.join(','), '--seeds', String(o.seeds), '--gpus', String(o.gpus), '--launcher', o.launcher, '--out', o.out);
  if (o.gres !== null) parts.push('--gres', o.gres);
  return [...parts, ...overrideWords(o.overrides)];
}

/**
 * α values a method is generated with: the user's, else the table's; vanilla does not mix, so one config.
 * @throws MixupError (usage) for a method outside the reference table when no --alpha is given
 */
function alphasFor(bench: Benchmark, method: string, user: number[] | null): Array<number | null> {
  if (findMethod(method)?.kind === 'none') return [null];
  if (user) return user;
  const reference = bench.alphas[method];
  if (typeof reference !== 'number') {
    throw usageError(`--methods: ${method} is not in the ${bench.name} reference table, so it has no reference alpha; pass --alpha`);
  }
  return [reference];
}

/**
 * Works out every file to write (content included) without touching the disk.
 * @throws MixupError (usage) for an unknown dataset/backbone/method, bad numbers
 */
export function planGeneration(input: GenerateOptions): GenerationPlan {
  const bench = getBenchmark(input.dataset);
  const cwd = input.cwd ?? process.cwd();
  const options: GenerationPlan['options'] = {
    dataset: bench.name,
    backbones: checkBackbones(bench, input.backbones),
    methods: checkMethods(bench, input.methods),
    epochs: [...new Set((input.epochs ?? [bench.defaultEpochs]).map((e) => checkInteger('--epochs', e, 1)))],
    alphas: input.alphas ? input.alphas.map((a) => {
      if (!(Number.isFinite(a) && a > 0)) throw usageError(`--alpha must be a number > 0, got ${a}`);
      return a;
    }) : null,
    seeds: checkInteger('--seeds', input.seeds ?? 1, 1, MAX_SEEDS),
    gpus: checkInteger('--gpus', input.gpus ?? 0, 0, MAX_GPUS),
    out: assertNoControlCharacters(input.out ?? 'configs/generated', '--out'),
    launcher: input.launcher ?? 'local',
    overrides: input.overrides ?? {},
    gres: input.gres === undefined ? null : assertNoControlCharacters(input.gres, '--gres'),
  };
  if (options.launcher !== 'local' && options.launcher !== 'slurm') throw usageError(`--launcher must be local or slurm, got ${showValue(options.launcher)}`);
  if (options.gres !== null && options.launcher !== 'slurm') throw usageError(`--gres is a Slurm request: it needs --launcher slurm (local scripts use --gpus N: N runs at a time, one per GPU)`);
  const outRoot = path.resolve(cwd, options.out);
  const datasetDir = path.join(outRoot, bench.name);
  const seeds = Array.from({length: options.seeds}, (_, i) => i);
  const plan: GenerationPlan = {dataset: bench.name, options, configs: [], scripts: [], files: []};

  const bases = new Map<string, ConfigAsWritten>();
  for (const backbone of options.backbones) {
    const runs: ScriptRun[] = [];
    for (const method of methodsFor(bench, backbone, options.methods, input.methods !== undefined)) {
      const variant = bench.variants[method] ?? 'mixups_CE_none';
      const baseFile = baseConfigFile(bench, backbone, method);
      const base = bases.get(baseFile) ?? loadConfigAsWritten(baseFile);
      bases.set(baseFile, base);
      const learned = findMethod(method)?.kind === 'learned';
      if (learned !== (base.model.type === 'AutoMixup')) {
        throw new Error(`${displayPath(baseFile)}: the base of ${method} must have model.type ${learned ? '"AutoMixup"' : '"MixUpClassification"'}, got ${showValue(base.model.type)}`);
      }
      for (const alpha of alphasFor(bench, method, options.alphas)) {
        for (const epochs of options.epochs) {
          const config: ConfigAsWritten = structuredClone(base);
          // a learned mixer is its own classifier (the base says which); the others are a mix_mode of MixUpClassification
          if (config.model.type === 'MixUpClassification') config.model.mix_mode = method;
          if (alpha !== null) config.model.alpha = alpha;
          config.runner.max_epochs = epochs;
          applyOverrides(config, options.overrides);
          const name = `${configName({backbone, variant, alpha, epochs})}.json`;
          const file = path.join(datasetDir, backbone, methodDirName(method), name);
          assertValidConfig(config, file);
          const shown = scriptPath(cwd, file);
          const workDir = workDirOf(file, {cwd, root: outRoot});
          if (runs.length + seeds.length > MAX_SCRIPT_RUNS) {
            throw usageError(`more than ${MAX_SCRIPT_RUNS} runs (configs x seeds) for ${backbone}; generate fewer methods, alphas, epochs or seeds at once`);
          }
          const workDirs = seeds.length === 1 ? [workDir] : seeds.map((s) => `${workDir}/seed${s}`);
          plan.configs.push({path: shown, workDirs, backbone, method, alpha: config.model.alpha as number, epochs});
          plan.files.push({file, path: displayPath(file), kind: 'config', content: formatConfig(config), mode: 0o644});
          seeds.forEach((seed, i) => runs.push({config: shown, workDir: workDirs[i], seed, group: methodDirName(method)}));
        }
      }
    }
    const suffix = options.launcher === 'slurm' ? '_slurm' : '';
    const file = path.join(datasetDir, `${backbone}_mixups_CE_none_ep${options.epochs.join('_')}${suffix}.sh`);
    const content = renderScript({
      launcher: options.launcher,
      command: commandLine(options),
      title: `${bench.label} / ${BACKBONES[backbone]}`,
      scriptPath: scriptPath(cwd, file),
      gpus: options.gpus,
      gres: options.gres === null ? undefined : options.gres === 'none' ? null : options.gres,
      cli: ['node', scriptPath(cwd, path.join(packageRoot(), 'bin', 'run.js'))],
      jobName: `mixup-${bench.name}-${backbone}`,
      runs,
    });
    plan.scripts.push({path: scriptPath(cwd, file), backbone, launcher: options.launcher, runs: runs.length});
    plan.files.push({file, path: displayPath(file), kind: 'script', content, mode: 0o755});
  }
  return plan;
}

/** What `writePlan` did (or, with dryRun, would do) to each file, by displayed path. */
export interface WriteReport {
  /** new files */
  created: string[];
  /** existing files with different content, replaced (--force) or refused */
  overwritten: string[];
  /** existing files whose content is already identical: left as they are */
  unchanged: string[];
  dryRun: boolean;
}

/**
 * Writes the planned files atomically. An existing file with identical content is left alone; one with other
 * content is replaced only with `force`.
 * @throws MixupError (io) listing the existing files that differ, when `force` is not set (nothing is written then)
 */
export function writePlan(plan: GenerationPlan, opts: {force?: boolean; dryRun?: boolean} = {}): WriteReport {
  const report: WriteReport = {created: [], overwritten: [], unchanged: [], dryRun: opts.dryRun === true};
  const toWrite: PlannedFile[] = [];
  for (const planned of plan.files) {
    if (!fs.existsSync(planned.file)) {
      report.created.push(planned.path);
      toWrite.push(planned);
    } else if (fs.readFileSync(planned.file, 'utf8') === planned.content) {
      report.unchanged.push(planned.path);
    } else {
      report.overwritten.push(planned.path);
      toWrite.push(planned);
    }
  }
  if (report.overwritten.length > 0 && !opts.force && !opts.dryRun) {
    throw alreadyExists(toWrite.filter((p) => report.overwritten.includes(p.path)).map((p) => p.file), ['Their content differs from what would be generated; pass --out DIR to write elsewhere.']);
  }
  if (!opts.dryRun) for (const planned of toWrite) writeFileAtomic(planned.file, planned.content, {overwrite: true, mode: planned.mode});
  return report;
}

/**
 * `mixup demo`: the whole workflow on data that is on the machine. It generates the `demo` benchmark's configs
 * (config room's generator: ResNet_CIFAR-18, 10 classes, 32×32×3), changes them to a preset's size and data
 * (`demo-presets.ts`: `full` by default on native, Fashion-MNIST with 2 seeds per method; `long`; `small`/`tiny` on
 * wasm/cpu), trains every method for every seed (`<out>/runs/mix_mode<method>/seed<S>`), and writes the summary table
 * (seeds pooled, mean ± std (n), a best only beyond the seed spread) and the val top-1 curves of all runs
 * (`demo-report.ts`: `<out>/summary.txt`, `<out>/curves.png`).
 * `--preset`, `--epochs` and `--seeds` override the preset. The learned mixers (`--methods automix,samix`) train
 * their own classifier (`model.type: "AutoMixup"`); the table shows the best of its q/k, one/mix val accuracies, as
 * `mixup summarize` does.
 */
import * as path from 'node:path';
import {displayPath} from '../config/files';
import {formatConfig} from '../config/format';
import {planGeneration, writePlan} from '../config/generate';
import {mergeConfig, type JsonObject} from '../config/load';
import {DEMO_METHODS} from '../config/methods';
import type {MixupConfig} from '../config/schema';
import {assertValidConfig} from '../config/validate';
import {usageError, showValue} from '../errors';
import type {SummaryResult} from '../summary/summarize';
import {requestedBackend, selectBackend, type BackendChoice} from './backend';
import {writeDemoReport} from './demo-report';
import {defaultPresetName, demoData, demoPreset, PRESET_NAMES, type DemoData, type DemoPreset, type PresetName} from './demo-presets';
import type {ProgressMode} from './progress';
import {trainRun, type TrainSummary} from './run';

export {DEMO_METHODS} from '../config/methods';
export {demoPreset, tinyModel} from './demo-presets';

/** Most seeds per method (`--seeds`). */
export const MAX_DEMO_SEEDS = 10;

/** The val top-1 a run shows in the demo: `head0_top1`, or for AutoMixup the best of its q/k, one/mix accuracies. */
export function demoTop1(metrics: Record<string, number>): number {
  if (metrics.head0_top1 !== undefined) return metrics.head0_top1;
  const learned = ['one_q', 'mix_q', 'one_k', 'mix_k'].map((v) => metrics[`acc_${v}_top1`]).filter((v) => v !== undefined);
  return learned.length > 0 ? Math.max(...learned) : Number.NaN;
}

/** Options of `mixup demo`. */
export interface DemoOptions {
  /** default: chosen by the backend (`defaultPresetName`) */
  preset?: string;
  epochs?: number;
  /** seeds per method (default: the preset's) */
  seeds?: number;
  methods?: string[];
  backend?: string;
  /** output directory: configs under `<out>/configs`, runs under `<out>/runs` */
  out: string;
  force?: boolean;
  print: (line: string) => void;
  progress: ProgressMode;
  /** the data of `full`/`long` (tests; default `demoData()`) */
  data?: DemoData;
}

/** What `mixup demo` returns. */
export interface DemoResult {
  backend: BackendChoice;
  preset: DemoPreset['name'];
  epochs: number;
  seeds: number;
  /** the `data_source.type` of the real-data presets, or `Synthetic` */
  data: string;
  runs: Array<{method: string; seed: number; config: string; workDir: string; status: TrainSummary['status']; head0_top1: number; seconds: number}>;
  table: string;
  /** `<out>/summary.txt` and `<out>/curves.png` */
  tableFile: string;
  plotFile: string;
  withinNoise: boolean;
  seconds: number;
  summary: SummaryResult;
}

/** The preset of `--preset` (checked), else the backend's default; `data` is what `full` and `long` train on. */
export function choosePreset(name: string | undefined, backend: string, data: DemoData): DemoPreset {
  if (name !== undefined && !(PRESET_NAMES as readonly string[]).includes(name)) {
    throw usageError(`--preset must be one of ${PRESET_NAMES.join(', ')}, got ${showValue(name)}`);
  }
  return demoPreset((name as PresetName | undefined) ?? defaultPresetName(backend), data);
}

/** The `data_source.type` a preset trains on. */
export function presetDataType(preset: DemoPreset): string {
  const train = (preset.override.data as JsonObject | undefined)?.train as JsonObject | undefined;
  return String((train?.data_source as JsonObject | undefined)?.type ?? '?');
}

/** The demo's configs: the generator's `demo` configs with the preset merged over them, validated. */
export function planDemo(preset: DemoPreset, methods: string[], epochs: number, configDir: string): ReturnType<typeof planGeneration> {
  const plan = planGeneration({dataset: 'demo', methods, epochs: [epochs], out: configDir});
  for (const file of plan.files) {
    if (file.kind !== 'config') continue;
    const generated = JSON.parse(file.content) as JsonObject;
    const model = preset.modelOverride ? {model: preset.modelOverride(generated.model as JsonObject)} : {};
    const config = mergeConfig(generated, mergeConfig(preset.override, model));
    assertValidConfig(config, file.file);
    file.content = formatConfig(config);
  }
  return plan;
}

/** What the demo will do, printed before it starts: backend, size, run count, and the fallback notice. */
export function demoHeader(h: {backend: BackendChoice; preset: DemoPreset; data: DemoData; methods: readonly string[]; seeds: number; epochs: number; epochsFlag: boolean; seedsFlag: boolean}): string[] {
  const changed = [h.epochsFlag ? `--epochs ${h.epochs}` : '', h.seedsFlag ? `--seeds ${h.seeds}` : ''].filter((c) => c !== '');
  const lines = [
    `backend: ${h.backend.name} (${h.backend.reason})`,
    `demo size: ${h.preset.name} - ${h.preset.description}${changed.length > 0 ? ` (${changed.join(', ')})` : ''}`,
    `runs: ${h.methods.length * h.seeds} (${h.methods.length} method(s) x ${h.seeds} seed(s) of ${h.epochs} epoch(s): ${h.methods.join(', ')})`,
  ];
  if (presetDataType(h.preset) === h.data.type && h.data.notice !== undefined) lines.push(h.data.notice);
  return lines;
}

/** Generates, trains and summarises the demo benchmark. */
export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const t0 = Date.now();
  const backend = await selectBackend(requestedBackend(opts.backend, undefined));
  const data = opts.data ?? demoData();
  const preset = choosePreset(opts.preset, backend.name, data);
  const epochs = opts.epochs ?? preset.epochs;
  const seeds = opts.seeds ?? preset.seeds;
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > MAX_DEMO_SEEDS) throw usageError(`--seeds must be an integer in [1, ${MAX_DEMO_SEEDS}], got ${seeds}`);
  const methods = opts.methods ?? [...DEMO_METHODS];
  const dataType = presetDataType(preset);
  for (const line of demoHeader({backend, preset, data, methods, seeds, epochs, epochsFlag: opts.epochs !== undefined, seedsFlag: opts.seeds !== undefined})) opts.print(line);
  const runCount = methods.length * seeds;
  const configDir = path.join(opts.out, 'configs');
  const plan = planDemo(preset, methods, epochs, configDir);
  const written = writePlan(plan, {force: opts.force});
  opts.print(`configs: ${plan.configs.length} in ${displayPath(path.join(configDir, 'demo'))} (files: ${written.created.length} new, ${written.unchanged.length} unchanged, ${written.overwritten.length} replaced)`);
  const runsDir = path.join(opts.out, 'runs');
  const runs: DemoResult['runs'] = [];
  for (const planned of plan.configs) {
    for (let seed = 0; seed < seeds; seed++) {
      const workDir = path.join(runsDir, path.basename(path.dirname(planned.path)), `seed${seed}`);
      opts.print(`\n== ${planned.method} (alpha ${planned.alpha}), seed ${seed} [run ${runs.length + 1}/${runCount}] -> ${displayPath(workDir)}`);
      const result = await trainRun({configPath: planned.path, workDir, seed, backend: backend.name, force: opts.force, itersPerEpoch: preset.itersPerEpoch, print: opts.print, progress: opts.progress});
      runs.push({method: planned.method, seed, config: planned.path, workDir, status: result.status, head0_top1: demoTop1(result.metrics), seconds: result.seconds});
    }
  }
  const report = await writeDemoReport(runsDir, opts.out);
  for (const warning of report.warnings) opts.print(`warning: ${warning}`);
  const seconds = (Date.now() - t0) / 1000;
  opts.print(`\n${report.table}`);
  opts.print(`\ntable: ${displayPath(report.tableFile)}; val top-1 curves of the ${report.curves} run(s): ${displayPath(report.plotFile)}`);
  opts.print(`demo finished in ${seconds.toFixed(0)} s on ${backend.name} (${preset.name} size, ${runCount} runs: ${methods.length} method(s) x ${seeds} seed(s), ${epochs} epoch(s) each); logs in ${displayPath(runsDir)}`);
  return {
    backend,
    preset: preset.name,
    epochs,
    seeds,
    data: dataType,
    runs,
    table: report.table,
    tableFile: report.tableFile,
    plotFile: report.plotFile,
    withinNoise: report.withinNoise,
    seconds,
    summary: report.summary,
  };
}

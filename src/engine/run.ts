/**
 * `mixup train` and `mixup test` as functions (commands stay thin; tests call these directly).
 *
 * A train run: load + validate the config, pick the work dir and take its lock (`workdir.ts`), remove temp files a
 * killed run left, select the backend, resume from `latest` when it exists (same config and seed; the newest intact
 * `epoch_<N>` when latest is unreadable; `--resume-from` names another checkpoint, `--force` starts over), build
 * model, loaders and mixing schedule, train, and leave the finished marker. A rerun of a finished run returns at once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {displayPath, packageRoot} from '../config/files';
import type {MixupConfig} from '../config/schema';
import {loadConfig, writtenForm} from '../config/validate';
import {workDirOf} from '../config/run-names';
import {dataError, isMixupError, MixupError, usageError} from '../errors';
import {alreadyExists} from '../io/write';
import {Rng} from '../rng';
import {perClassReport, type PerClassReport} from '../summary/per-class';
import {requestedBackend, selectBackend, type BackendChoice} from './backend';
import {assignByName, configHash, disposeCheckpoint, readCheckpoint, type CheckpointMeta, type CheckpointTensors} from './checkpoint';
import {envInfo, RunLogger} from './logger';
import {tensorboardHook} from './tensorboard';
import {buildLoader, buildTrainable, checkPretrained} from './parts';
import {createProgress, type ProgressMode} from './progress';
import type {LoaderLike} from './learner';
import {train} from './trainer';
import {
  checkWorkDir,
  epochCheckpoints,
  foreignCheckpoints,
  lockWorkDir,
  loggedValEpochs,
  readFinished,
  removeFinished,
  removeStaleTemps,
  workDirIdentity,
  writeFinished,
} from './workdir';

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
  /** any unloadable image is an error (`--strict`; default `data.strict`) */
  strict?: boolean;
  /** where `torchvision://<name>` weights are (`--weights-dir`; default env MIXUP_WEIGHTS_DIR, else ~/.cache/mixup/weights) */
  weightsDir?: string;
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

/**
 * The data loaders' warnings: printed at once as `warning: ...`, and written to the run's text log (those from
 * before the log exists when it is attached).
 */
function dataWarnings(print: (line: string) => void): {warn: (message: string) => void; attach: (logger: RunLogger) => void} {
  const early: string[] = [];
  let log: RunLogger | undefined;
  return {
    warn: (message) => {
      print(`warning: ${message}`);
      if (log) log.text(`warning: ${message}`);
      else early.push(message);
    },
    attach: (logger) => {
      log = logger;
      for (const message of early.splice(0)) logger.text(`warning: ${message}`);
    },
  };
}

type ResumePoint = {file: string; meta: CheckpointMeta; tensors: CheckpointTensors};

/** `ckpt` unless it has already completed every epoch (then its tensors are disposed and a usage error thrown). */
function notPastEnd(ckpt: ResumePoint, maxEpochs: number): ResumePoint {
  if (ckpt.meta.epoch < maxEpochs) return ckpt;
  disposeCheckpoint(ckpt.tensors);
  throw usageError(`${displayPath(ckpt.file)} has already completed ${ckpt.meta.epoch} epochs and runner.max_epochs is ${maxEpochs}: nothing to resume`, {
    suggestions: ['Raise runner.max_epochs to continue training, or use --force to start over.'],
  });
}

/**
 * Finds the checkpoint to resume from; undefined = start fresh. `--resume-from` is used as given (a warning when it
 * was written for another config). Otherwise `latest.safetensors`, which must belong to this config and seed; when
 * it is missing or unreadable, the newest intact `epoch_<N>` of this config is used instead, with a warning.
 * @throws MixupError (usage) for a latest of another config; (data) when checkpoints exist but none is intact
 */
function resumePoint(opts: TrainOptions, workDir: string, hash: string, maxEpochs: number): ResumePoint | undefined {
  if (opts.resumeFrom !== undefined) {
    const ckpt = {file: opts.resumeFrom, ...readCheckpoint(opts.resumeFrom)};
    if (ckpt.meta.configHash !== hash) opts.print(`warning: ${displayPath(ckpt.file)} was written for ${ckpt.meta.configPath} (seed ${ckpt.meta.seed}), not this exact config; resuming as asked`);
    return notPastEnd(ckpt, maxEpochs);
  }
  if (opts.force) return undefined;
  const latest = path.join(workDir, 'latest.safetensors');
  const candidates = [latest, ...epochCheckpoints(workDir).reverse()].filter((f) => fs.existsSync(f));
  const problems: string[] = [];
  for (const file of candidates) {
    let ckpt: ResumePoint;
    try {
      ckpt = {file, ...readCheckpoint(file)};
    } catch (error) {
      if (!isMixupError(error)) throw error;
      problems.push(error.message);
      continue;
    }
    if (ckpt.meta.configHash !== hash) {
      disposeCheckpoint(ckpt.tensors);
      if (file !== latest) continue; // another config's epoch checkpoint is no fallback
      throw new MixupError('usage', `${displayPath(file)} was written for another config or seed (${ckpt.meta.configPath}, seed ${ckpt.meta.seed}); refusing to resume ${displayPath(opts.configPath)} from it`, {
        suggestions: ['Use --force to start this run from scratch in the same work dir, or --work-dir to train elsewhere.'],
      });
    }
    if (file !== latest) {
      const why = problems.length > 0 ? problems.join('; ') : `${displayPath(latest)} does not exist`;
      opts.print(`warning: ${why}; resuming from the newest intact checkpoint ${displayPath(file)} (epoch ${ckpt.meta.epoch}) instead, so the epochs after it are trained (and logged) again; use --resume-from FILE to choose another checkpoint`);
    }
    return notPastEnd(ckpt, maxEpochs);
  }
  // unreadable epoch_<N> files alone (someone's, or torn) do not stop a fresh start; an unusable latest does
  if (!candidates.includes(latest)) return undefined;
  throw dataError(`cannot resume ${displayPath(workDir)}: ${problems.join('; ')}; no intact checkpoint of this config to fall back to`, {
    suggestions: ['Use --resume-from FILE to resume from a checkpoint of your choice, or --force to start over.'],
  });
}

/** Whether this run resumes from a checkpoint (then it needs no pretrained weights): `--resume-from`, or one in the work dir. */
export function willResume(opts: TrainOptions, workDir: string): boolean {
  if (opts.resumeFrom !== undefined) return true;
  return !opts.force && (fs.existsSync(path.join(workDir, 'latest.safetensors')) || epochCheckpoints(workDir).length > 0);
}

/** Trains a config; see the module comment. */
export async function trainRun(opts: TrainOptions): Promise<TrainSummary> {
  const config = loadConfig(opts.configPath);
  const configPath = displayPath(opts.configPath);
  const workDir = opts.workDir ?? workDirOf(opts.configPath);
  checkWorkDir(workDir);
  const finished = readFinished(workDir);
  if (finished && !opts.force && opts.resumeFrom === undefined) {
    opts.print(`${displayPath(workDir)} is already finished (${finished.epochs} epochs, ${formatMetrics(finished.metrics)}); use --force to train again`);
    return {status: 'already-finished', workDir, backend: null, epochsRun: 0, resumedFromEpoch: finished.epochs, metrics: finished.metrics, log: finished.log, checkpoint: finished.checkpoint, seconds: 0, imagesPerSecond: 0};
  }
  if (opts.seed !== undefined && (!Number.isInteger(opts.seed) || opts.seed < 0)) throw usageError(`--seed must be an integer >= 0, got ${opts.seed}`);
  // missing weights stop a fresh run before any work (no lock, no work dir, no backend); a resumed one needs none
  if (!willResume(opts, workDir)) checkPretrained(config, {weightsDir: opts.weightsDir});
  const lock = lockWorkDir(workDir, configPath, opts.print);
  try {
    const stale = removeStaleTemps(workDir);
    if (stale.length > 0) opts.print(`removed ${stale.length} temp file(s) a killed run left in ${displayPath(workDir)}: ${stale.join(', ')}`);
    return await trainLocked(opts, config, configPath, workDir);
  } finally {
    lock.release();
  }
}

/** The part of `trainRun` that runs with the work dir's lock held. */
async function trainLocked(opts: TrainOptions, config: MixupConfig, configPath: string, workDir: string): Promise<TrainSummary> {
  const seed = opts.seed ?? config.seed ?? 0;
  const backend = await selectBackend(requestedBackend(opts.backend, config.backend, configPath));
  opts.print(`backend: ${backend.name} (${backend.reason})`);
  const asWritten = writtenForm(config);
  const hash = configHash(opts.itersPerEpoch ? {...(asWritten as object), iters_per_epoch: opts.itersPerEpoch} : asWritten, seed);
  const maxEpochs = config.runner.max_epochs;
  const identity = workDirIdentity(workDir);
  const resume = resumePoint(opts, workDir, hash, maxEpochs);
  const foreign = foreignCheckpoints(workDir, resume?.meta.epoch ?? 0, maxEpochs, config.checkpoint_config.interval, identity);
  if (foreign.length > 0 && !opts.force) {
    if (resume) disposeCheckpoint(resume.tensors);
    throw alreadyExists(foreign, ['This run would write these epoch checkpoints, which another work dir (or an older mixup) wrote; move them away or use --work-dir to train elsewhere.']);
  }
  let model: ReturnType<typeof buildTrainable>;
  try {
    model = buildTrainable(config, seed, configPath, resume === undefined, {weightsDir: opts.weightsDir});
  } catch (error) {
    if (resume) disposeCheckpoint(resume.tensors);
    throw error;
  }
  model.notes.forEach((n) => opts.print(n));
  const progress = createProgress(opts.progress, opts.print, path.basename(workDir));
  try {
    const warnings = dataWarnings(opts.print);
    const trainData = buildLoader(config, 'train', seed, configPath, {strict: opts.strict, warn: warnings.warn});
    const trainLoader = capLoader(trainData, opts.itersPerEpoch);
    const valLoader = buildLoader(config, 'val', seed, configPath, {strict: opts.strict, warn: warnings.warn});
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
      data: {train: trainData.report(), val: valLoader.report()},
    });
    warnings.attach(logger);
    const tensorboard = tensorboardHook(config.log_config, workDir, resume?.meta.iter ?? 0);
    if (tensorboard) {
      logger.attach(tensorboard);
      opts.print(`TensorBoard events: ${displayPath(tensorboard.writer.file)} (tensorboard --logdir ${displayPath(path.dirname(tensorboard.writer.file))})`);
    }
    // a run killed between writing its checkpoint and its val line: the line is written now, from the checkpoint
    if (resume?.meta.val && !loggedValEpochs(workDir).has(resume.meta.epoch)) {
      logger.val({epoch: resume.meta.epoch, iter: resume.meta.val.iter, step: resume.meta.iter, lr: resume.meta.lr, metrics: resume.meta.val.metrics});
    }
    opts.print(`work dir: ${displayPath(workDir)}; log: ${displayPath(logger.jsonPath)}; ${trainLoader.numSamples} train / ${valLoader.numSamples} val images, ${trainLoader.numBatches} iters/epoch, ${maxEpochs} epochs`);
    const interval = config.optimizer_config.update_interval ?? 1;
    if (interval > 1) {
      opts.print(`optimizer_config.update_interval ${interval}: an SGD step every ${interval} iterations on their summed gradients (batch ${config.data.imgs_per_gpu} x ${interval} = ${config.data.imgs_per_gpu * interval}); iterations, lr and logs count batches`);
    }
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
      ckptMeta: {seed, configHash: hash, configPath, mixupVersion: MIXUP_VERSION, workDir: identity},
      start: {
        epoch: resume?.meta.epoch ?? 0,
        iter: resume?.meta.iter ?? 0,
        rng,
        momentum: resume?.tensors.momentum,
        accumulation: resume?.meta.accumulation ? {...resume.meta.accumulation, grads: resume.tensors.accumulated ?? new Map()} : undefined,
        source: resume ? displayPath(resume.file) : undefined,
      },
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
  /** where `torchvision://` weights are, for a frozen extractor (`model.pretrained_k`) */
  weightsDir?: string;
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
  /** per head: accuracy per class and the top-1 confusion matrix, class names from the val dataset when it has them */
  perClass: PerClassReport[];
}

/** Evaluates a checkpoint on the config's val split (the same code path as train's validation). */
export async function testRun(opts: TestOptions): Promise<TestSummary> {
  const config = loadConfig(opts.configPath);
  const configPath = displayPath(opts.configPath);
  const backend = await selectBackend(requestedBackend(opts.backend, config.backend, configPath));
  opts.print(`backend: ${backend.name} (${backend.reason})`);
  const ckpt = readCheckpoint(opts.checkpoint); // after the backend: its tensors live there
  const seed = ckpt.meta.seed;
  const model = buildTrainable(config, seed, configPath, false, {weightsDir: opts.weightsDir});
  try {
    assignByName(model.params, ckpt.tensors.params, 'parameter', opts.checkpoint);
    assignByName(model.buffers, ckpt.tensors.buffers, 'buffer', opts.checkpoint);
    const val = buildLoader(config, 'val', seed, configPath, {warn: (message) => opts.print(`warning: ${message}`)});
    const {metrics, samples, perClass} = await model.evaluate(val, config.evaluation.eval_param.topk, {perClass: true});
    const reports = [...(perClass ?? [])].map(([head, counts]) => perClassReport(head, counts.toData(), val.classNames));
    return {checkpoint: displayPath(opts.checkpoint), epoch: ckpt.meta.epoch, backend, samples, metrics, perClass: reports};
  } finally {
    disposeCheckpoint(ckpt.tensors);
    model.dispose();
  }
}

/**
 * `mixup train --dry-run` (and `mixup validate --deep`): everything a run builds before its first step, and nothing
 * after. It loads and validates the config, derives the work dir and what a run would do there (train, resume,
 * nothing: already finished), checks that the pretrained weights exist, selects the backend, builds the model, the
 * mixing schedule, the learner (optimizer groups and lr schedules) and both loaders (list files read, files checked),
 * and decodes the first batch of each split through its pipeline. It takes no lock and writes nothing.
 */
import * as fs from 'node:fs';
import {displayPath} from '../config/files';
import {loadConfig} from '../config/validate';
import {workDirOf} from '../config/run-names';
import {usageError} from '../errors';
import {requestedBackend, selectBackend, type BackendChoice} from './backend';
import type {LoaderLike} from './learner';
import {buildLoader, buildTrainable, checkPretrained} from './parts';
import {willResume, type TrainOptions} from './run';
import {readFinished} from './workdir';

/** One split as a run would see it. */
export interface DryRunSplit {
  images: number;
  batches: number;
  /** shape of its first batch, `[N, H, W, C]`, decoded through the pipeline */
  firstBatch: [number, number, number, number];
}

/** What `mixup train --dry-run` prints (and returns under --json). */
export interface DryRunSummary {
  status: 'dry-run';
  config: string;
  workDir: string;
  /** what `mixup train` would do in the work dir */
  action: 'train' | 'resume' | 'nothing (already finished)';
  backend: BackendChoice;
  seed: number;
  epochs: number;
  itersPerEpoch: number;
  totalIters: number;
  train: DryRunSplit;
  val: DryRunSplit;
}

/** The first batch's shape of `loader` (decoded, then dropped). */
async function firstBatchShape(loader: LoaderLike, at: string): Promise<[number, number, number, number]> {
  for await (const batch of loader.epoch(0)) return batch.shape;
  throw usageError(`${at}: the loader yielded no batch (every image skipped?)`);
}

/** The options of `trainRun` a dry run reads. */
export type DryRunOptions = Pick<TrainOptions, 'configPath' | 'workDir' | 'seed' | 'resumeFrom' | 'backend' | 'force' | 'strict' | 'weightsDir' | 'print'>;

/** Builds everything a run of `opts` would build, without training or writing; see the module comment. */
export async function dryRun(opts: DryRunOptions): Promise<DryRunSummary> {
  const config = loadConfig(opts.configPath);
  const configPath = displayPath(opts.configPath);
  const workDir = opts.workDir ?? workDirOf(opts.configPath);
  if (opts.seed !== undefined && (!Number.isInteger(opts.seed) || opts.seed < 0)) throw usageError(`--seed must be an integer >= 0, got ${opts.seed}`);
  if (opts.resumeFrom !== undefined && !fs.existsSync(opts.resumeFrom)) throw usageError(`--resume-from ${displayPath(opts.resumeFrom)}: no such checkpoint`);
  const finished = fs.existsSync(workDir) ? readFinished(workDir) : undefined;
  const resumes = fs.existsSync(workDir) && willResume(opts as TrainOptions, workDir);
  const action: DryRunSummary['action'] = finished && !opts.force && opts.resumeFrom === undefined ? 'nothing (already finished)' : resumes ? 'resume' : 'train';
  if (!resumes) checkPretrained(config, {weightsDir: opts.weightsDir});
  const seed = opts.seed ?? config.seed ?? 0;
  const backend = await selectBackend(requestedBackend(opts.backend, config.backend, configPath));
  const model = buildTrainable(config, seed, configPath, false, {weightsDir: opts.weightsDir});
  try {
    const warn = (message: string) => opts.print(`warning: ${message}`);
    const train = buildLoader(config, 'train', seed, configPath, {strict: opts.strict, warn});
    const val = buildLoader(config, 'val', seed, configPath, {strict: opts.strict, warn});
    const maxEpochs = config.runner.max_epochs;
    model.learner(maxEpochs, train.numBatches);
    const summary: DryRunSummary = {
      status: 'dry-run',
      config: configPath,
      workDir: displayPath(workDir),
      action,
      backend,
      seed,
      epochs: maxEpochs,
      itersPerEpoch: train.numBatches,
      totalIters: maxEpochs * train.numBatches,
      train: {images: train.numSamples, batches: train.numBatches, firstBatch: await firstBatchShape(train, `${configPath}: data.train`)},
      val: {images: val.numSamples, batches: val.numBatches, firstBatch: await firstBatchShape(val, `${configPath}: data.val`)},
    };
    const shape = (s: DryRunSplit) => `${s.images} images, ${s.batches} batches, first batch ${s.firstBatch.join('×')}`;
    opts.print(`${configPath}: ok (dry run: nothing trained or written)`);
    opts.print(`  backend:  ${backend.name} (${backend.reason})`);
    opts.print(`  train:    ${shape(summary.train)}`);
    opts.print(`  val:      ${shape(summary.val)}`);
    opts.print(`  schedule: ${maxEpochs} epochs × ${summary.itersPerEpoch} iters = ${summary.totalIters} iterations, seed ${seed}`);
    opts.print(`  work dir: ${summary.workDir}; would ${action === 'resume' ? 'resume from its checkpoint' : action === 'train' ? 'train from scratch' : 'do nothing: already finished (use --force to train again)'}`);
    return summary;
  } finally {
    model.dispose();
  }
}

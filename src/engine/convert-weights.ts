/**
 * `mixup convert-weights IN OUT`: PyTorch files (`.pth`/`.pt`: a state dict or an mmcv/OpenMixup checkpoint) to
 * safetensors weight files, and our safetensors files (weight files, or `mixup train` checkpoints) to PyTorch state
 * dicts, both with torchvision's names and layouts (conv OIHW, linear `[out, in]`).
 *
 * - PyTorch -> safetensors: the state dict as it is (every dtype kept, `num_batches_tracked` included), named as
 *   torchvision does (`src/models/torch/state-dict.ts`); usable as `model.pretrained`. The mmcv `meta` goes into
 *   `__metadata__.mmcv_meta` (JSON).
 * - safetensors -> PyTorch: a weight file as it is; a checkpoint's `param/` and `buffer/` tensors under their own
 *   names, conv kernels HWIO -> OIHW and dense kernels transposed, plus `<bn>.num_batches_tracked` (int64, the
 *   checkpoint's iteration count) for every BN layer, so `model.load_state_dict(torch.load(f))` is strict-clean. The
 *   SGD momentum and accumulated gradients (`grad_accum/`) are not written.
 */
import * as path from 'node:path';
import {dataError, usageError} from '../errors';
import {displayPath} from '../io/paths';
import {checkOutput} from '../io/write';
import {readSafetensorsRaw, writeSafetensorsRaw} from '../models/safetensors';
import type {PickleInput} from '../models/torch/pickle-writer';
import {readPth} from '../models/torch/read-pth';
import {stateDictOf} from '../models/torch/state-dict';
import {DENSE_TRANSPOSE, type Dtype, HWIO_TO_OIHW, int64Scalar, numel, permuteTensor, type RawTensor} from '../models/torch/tensor';
import {writePth} from '../models/torch/write-pth';
import {CHECKPOINT_PREFIX, type CheckpointMeta, readCheckpointMeta} from './checkpoint';

/** What `convertWeights` read and wrote (`mixup convert-weights --json`). */
export interface ConvertWeightsResult {
  input: string;
  output: string;
  /** what the input was: a PyTorch "state_dict" / "mmcv checkpoint", or a safetensors "weights" file / "mixup checkpoint" */
  inputKind: 'state_dict' | 'mmcv checkpoint' | 'weights' | 'mixup checkpoint';
  /** the written format */
  outputFormat: 'safetensors' | 'pytorch';
  /** tensors written */
  tensors: number;
  /** elements of the floating-point tensors written (the parameter count plus BN statistics) */
  values: number;
  /** tensors written by dtype */
  dtypes: Partial<Record<Dtype, number>>;
  /** key prefixes removed ("module.", "backbone.", "head.", "param/", "buffer/") */
  renamed: string[];
  /** what was not converted ("optimizer", "momentum/ (62 tensors)") */
  dropped: string[];
  /** tensors whose layout changed (checkpoint -> PyTorch: conv kernels and dense kernels) */
  transposed: number;
  /** tensors added (`num_batches_tracked`) */
  added: number;
  /** the mmcv checkpoint's meta, when there was one */
  meta?: unknown;
}

const PTH = /\.(pth|pt)$/i;
const SAFETENSORS = /\.safetensors$/i;

/** How `convertWeights` writes. */
export interface ConvertWeightsOptions {
  /** replace an existing OUT (otherwise "use --force") */
  force: boolean;
  /**
   * safetensors -> PyTorch only: write an mmcv checkpoint `{meta, state_dict}` with OpenMixup's names
   * (`backbone.<name>`, `head.fc.*`; AutoMix names kept), as OpenMixup's `tools/test.py` loads it
   */
  mmcv?: boolean;
}

/**
 * Converts IN to OUT; the direction follows the extensions (`.pth`/`.pt` <-> `.safetensors`).
 * @throws MixupError (usage) for extensions that do not make a conversion; (data) naming the file and tensor/key
 *   for bad input; (io) when OUT exists or cannot be written (the write is atomic)
 */
export function convertWeights(input: string, output: string, opts: ConvertWeightsOptions): ConvertWeightsResult {
  const {force} = opts;
  const from = PTH.test(input) ? 'pytorch' : SAFETENSORS.test(input) ? 'safetensors' : undefined;
  const to = PTH.test(output) ? 'pytorch' : SAFETENSORS.test(output) ? 'safetensors' : undefined;
  if (from === undefined || to === undefined || from === to) {
    throw usageError(`convert-weights: cannot convert ${displayPath(input)} to ${displayPath(output)}: one must be a PyTorch file (.pth, .pt) and the other a .safetensors file`);
  }
  if (opts.mmcv && to !== 'pytorch') throw usageError(`convert-weights: --mmcv shapes a PyTorch output; ${displayPath(output)} is a safetensors file`);
  checkOutput(output, force);
  const shown = displayPath(input);
  if (from === 'pytorch') {
    const sd = stateDictOf(readPth(input, shown), shown);
    const metadata: Record<string, string> = {format: 'pt', converted_from: path.basename(input)};
    if (sd.meta !== undefined) metadata.mmcv_meta = JSON.stringify(sd.meta);
    writeSafetensorsRaw(output, sd.tensors, metadata, force);
    return summary(input, output, sd.container, 'safetensors', sd.tensors, {renamed: sd.renamed, dropped: sd.ignored, meta: sd.meta});
  }
  const file = readSafetensorsRaw(input, shown);
  const isCheckpoint = file.metadata.format === 'mixup-checkpoint' || file.metadata.mixup !== undefined;
  const meta = isCheckpoint ? readCheckpointMeta(input) : undefined;
  const torch = meta ? checkpointToTorch(file.tensors, meta, shown) : {tensors: file.tensors, transposed: 0, added: 0, dropped: []};
  if (!isCheckpoint) {
    const prefixed = [...file.tensors.keys()].find((k) => Object.values(CHECKPOINT_PREFIX).some((p) => k.startsWith(p)));
    if (prefixed !== undefined) throw dataError(`${shown}: tensor "${prefixed}" is named like a checkpoint entry, but the file has no __metadata__.mixup (a checkpoint's metadata): it was not written by \`mixup train\``);
  }
  const named = opts.mmcv ? openMixupNames(torch.tensors) : torch.tensors;
  writePth(output, named, force, opts.mmcv ? (stateDict) => ({meta: mmcvMeta(meta), state_dict: stateDict}) : undefined);
  return summary(input, output, isCheckpoint ? 'mixup checkpoint' : 'weights', 'pytorch', named, {
    renamed: isCheckpoint ? [CHECKPOINT_PREFIX.params, CHECKPOINT_PREFIX.buffers] : [],
    dropped: torch.dropped,
    transposed: torch.transposed,
    added: torch.added,
    ...(opts.mmcv ? {meta: mmcvMeta(meta)} : {}),
  });
}

/**
 * A checkpoint's `param/` and `buffer/` tensors as a torch state dict: names without the prefix, rank-4 (conv)
 * kernels HWIO -> OIHW and rank-2 (dense) kernels transposed (every rank-4 and rank-2 tensor of our models is one of
 * those), and `<bn>.num_batches_tracked` (int64: the checkpoint's iteration count) after each `<bn>.running_var`.
 */
function checkpointToTorch(tensors: ReadonlyMap<string, RawTensor>, meta: CheckpointMeta, shown: string) {
  const out = new Map<string, RawTensor>();
  let transposed = 0;
  let added = 0;
  let momentum = 0;
  let accumulated = 0;
  for (const [key, t] of tensors) {
    if (key.startsWith(CHECKPOINT_PREFIX.momentum)) {
      momentum++;
      continue;
    }
    if (key.startsWith(CHECKPOINT_PREFIX.accumulated)) {
      accumulated++;
      continue;
    }
    const prefix = [CHECKPOINT_PREFIX.params, CHECKPOINT_PREFIX.buffers].find((p) => key.startsWith(p));
    if (prefix === undefined) throw dataError(`${shown}: tensor "${key}" is not a param/, buffer/, momentum/ or grad_accum/ entry of a checkpoint`);
    const perm = t.shape.length === 4 ? HWIO_TO_OIHW : t.shape.length === 2 ? DENSE_TRANSPOSE : undefined;
    const name = key.slice(prefix.length);
    out.set(name, perm ? permuteTensor(t, perm) : t);
    if (perm) transposed++;
    if (name.endsWith('.running_var')) {
      const tracked = name.replace(/running_var$/, 'num_batches_tracked');
      if (!tensors.has(`${CHECKPOINT_PREFIX.buffers}${tracked}`)) {
        out.set(tracked, int64Scalar(BigInt(meta.iter)));
        added++;
      }
    }
  }
  const dropped = [];
  if (momentum > 0) dropped.push(`${CHECKPOINT_PREFIX.momentum} (${momentum} SGD momentum tensors)`);
  if (accumulated > 0) dropped.push(`${CHECKPOINT_PREFIX.accumulated} (${accumulated} accumulated gradients)`);
  return {tensors: torchOrder(out), transposed, added, dropped};
}

/** Order of a module's tensors in a torch `state_dict()`: parameters, then buffers. */
const SUFFIX_ORDER = ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked'];

/**
 * The tensors in `state_dict()` order: modules in the order their first tensor appears (a checkpoint lists all
 * parameters before all buffers), and within a module weight, bias, running_mean, running_var, num_batches_tracked.
 */
function torchOrder(tensors: Map<string, RawTensor>): Map<string, RawTensor> {
  const modules = new Map<string, string[]>();
  for (const name of tensors.keys()) {
    const module = name.slice(0, name.lastIndexOf('.') + 1);
    if (!modules.has(module)) modules.set(module, []);
    modules.get(module)!.push(name);
  }
  const rank = (name: string) => {
    const i = SUFFIX_ORDER.indexOf(name.slice(name.lastIndexOf('.') + 1));
    return i < 0 ? SUFFIX_ORDER.length : i;
  };
  const out = new Map<string, RawTensor>();
  for (const names of modules.values()) for (const name of [...names].sort((a, b) => rank(a) - rank(b))) out.set(name, tensors.get(name)!);
  return out;
}

/** OpenMixup's names for a classifier (`backbone.<name>`, `head.fc.*`); AutoMix's names are OpenMixup's already. */
function openMixupNames(tensors: ReadonlyMap<string, RawTensor>): Map<string, RawTensor> {
  const autoMix = [...tensors.keys()].some((k) => /^(backbone_[qk]|head_|mix_block)\./.test(k));
  if (autoMix) return new Map(tensors);
  return new Map([...tensors].map(([k, t]) => [k.startsWith('fc.') ? `head.${k}` : `backbone.${k}`, t]));
}

/** The `meta` of an mmcv checkpoint written from one of ours: epoch, iter and our checkpoint metadata. */
function mmcvMeta(meta: CheckpointMeta | undefined): {[key: string]: PickleInput} {
  if (!meta) return {};
  return {epoch: meta.epoch, iter: meta.iter, mixup: JSON.parse(JSON.stringify(meta)) as PickleInput};
}

function summary(input: string, output: string, inputKind: ConvertWeightsResult['inputKind'], outputFormat: ConvertWeightsResult['outputFormat'], tensors: ReadonlyMap<string, RawTensor>, rest: Partial<ConvertWeightsResult>): ConvertWeightsResult {
  const dtypes: Partial<Record<Dtype, number>> = {};
  let values = 0;
  for (const t of tensors.values()) {
    dtypes[t.dtype] = (dtypes[t.dtype] ?? 0) + 1;
    if (t.dtype.startsWith('F') || t.dtype === 'BF16') values += numel(t.shape);
  }
  return {input, output, inputKind, outputFormat, tensors: tensors.size, values, dtypes, renamed: [], dropped: [], transposed: 0, added: 0, ...rest};
}

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
 *   SGD momentum is not written.
 */
import * as path from 'node:path';
import {notImplemented, usageError} from '../errors';
import {displayPath} from '../io/paths';
import {checkOutput} from '../io/write';
import {readSafetensorsRaw, writeSafetensorsRaw} from '../models/safetensors';
import {readPth} from '../models/torch/read-pth';
import {stateDictOf} from '../models/torch/state-dict';
import {type Dtype, numel, type RawTensor} from '../models/torch/tensor';

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

/**
 * Converts IN to OUT; the direction follows the extensions (`.pth`/`.pt` <-> `.safetensors`).
 * @param force replace an existing OUT (otherwise "use --force")
 * @throws MixupError (usage) for extensions that do not make a conversion; (data) naming the file and tensor/key
 *   for bad input; (io) when OUT exists or cannot be written (the write is atomic)
 */
export function convertWeights(input: string, output: string, force: boolean): ConvertWeightsResult {
  const from = PTH.test(input) ? 'pytorch' : SAFETENSORS.test(input) ? 'safetensors' : undefined;
  const to = PTH.test(output) ? 'pytorch' : SAFETENSORS.test(output) ? 'safetensors' : undefined;
  if (from === undefined || to === undefined || from === to) {
    throw usageError(`convert-weights: cannot convert ${displayPath(input)} to ${displayPath(output)}: one must be a PyTorch file (.pth, .pt) and the other a .safetensors file`);
  }
  checkOutput(output, force);
  const shown = displayPath(input);
  if (from === 'pytorch') {
    const sd = stateDictOf(readPth(input, shown), shown);
    const metadata: Record<string, string> = {format: 'pt', converted_from: path.basename(input)};
    if (sd.meta !== undefined) metadata.mmcv_meta = JSON.stringify(sd.meta);
    writeSafetensorsRaw(output, sd.tensors, metadata, force);
    return summary(input, output, sd.container, 'safetensors', sd.tensors, {renamed: sd.renamed, dropped: sd.ignored, meta: sd.meta});
  }
  throw notImplemented('convert-weights: writing PyTorch files (.safetensors -> .pth) is not implemented yet');
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

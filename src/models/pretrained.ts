/**
 * Importing torchvision weights: `pretrained: "torchvision://resnet18"` (OpenMixup's notation) resolves to
 * `<weightsDir>/resnet18.safetensors`, else `<weightsDir>/resnet18.pth`, else the file torchvision itself downloads
 * (`$TORCH_HOME/hub/checkpoints/resnet18-f37072fd.pth`, the IMAGENET1K_V1 weights). Any other value is a path to a
 * safetensors file or a PyTorch `.pth`/`.pt` file (read without Python by `torch/read-pth.ts`; docs/models.md).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {dataError, usageError} from '../errors';
import {displayPath} from '../io/paths';
import {readSafetensors} from './safetensors';
import {readPth} from './torch/read-pth';
import {stateDictOf} from './torch/state-dict';
import {toFloat32} from './torch/tensor';
import type {Classifier, PretrainedOptions, PretrainedReport, StateEntry} from './types';

const SCHEME = 'torchvision://';
const PTH = /\.(pth|pt)$/i;

/**
 * The file names torchvision downloads the IMAGENET1K_V1 weights to (`torchvision/models/resnet.py`), the weights
 * OpenMixup's (mmcv's) `torchvision://` means.
 */
export const TORCHVISION_V1_FILES: Readonly<Record<string, string>> = {
  resnet18: 'resnet18-f37072fd.pth',
  resnet34: 'resnet34-b627a593.pth',
  resnet50: 'resnet50-0676ba61.pth',
  resnet101: 'resnet101-63fe2227.pth',
  resnext50_32x4d: 'resnext50_32x4d-7cdf4587.pth',
  resnext101_32x8d: 'resnext101_32x8d-8ba56ff5.pth',
};

/** torchvision's download directory: `$TORCH_HOME/hub/checkpoints`, `TORCH_HOME` defaulting to ~/.cache/torch. */
export function torchHubDir(): string {
  return path.join(process.env.TORCH_HOME || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'torch'), 'hub', 'checkpoints');
}

/** `MIXUP_WEIGHTS_DIR`, else `~/.cache/mixup/weights`. */
export function defaultWeightsDir(): string {
  return process.env.MIXUP_WEIGHTS_DIR || path.join(os.homedir(), '.cache', 'mixup', 'weights');
}

/**
 * Resolves a `pretrained` value to an existing safetensors or PyTorch file.
 * @param spec "torchvision://<name>" or a file path
 * @throws MixupError (data) saying where it looked and how to get the weights
 */
export function resolvePretrained(spec: string, opts: PretrainedOptions = {}): string {
  if (spec.startsWith(SCHEME)) {
    const name = spec.slice(SCHEME.length);
    if (!/^[A-Za-z0-9_]+$/.test(name)) throw usageError(`model.pretrained: "${spec}" is not a torchvision model name (expected e.g. torchvision://resnet18)`);
    const dir = opts.weightsDir ?? defaultWeightsDir();
    const candidates = [path.join(dir, `${name}.safetensors`), path.join(dir, `${name}.pth`)];
    if (TORCHVISION_V1_FILES[name]) candidates.push(path.join(torchHubDir(), TORCHVISION_V1_FILES[name]));
    const file = candidates.find((f) => fs.existsSync(f));
    if (file === undefined) {
      throw dataError(`model.pretrained: weights "${spec}" not found: looked for ${candidates.join(', ')} (weights dir: --weights-dir, else MIXUP_WEIGHTS_DIR, else ~/.cache/mixup/weights)`, {
        suggestions: [
          `Download them once with torchvision: python3 -c "import torchvision; torchvision.models.${name}(weights='IMAGENET1K_V1')" (saves ${TORCHVISION_V1_FILES[name] ?? `${name}-<hash>.pth`} in ${torchHubDir()})`,
          `or copy a ${name}.safetensors / ${name}.pth state dict to ${dir}/ (see docs/models.md)`,
        ],
      });
    }
    return file;
  }
  const file = path.resolve(spec);
  if (!fs.existsSync(file)) {
    throw dataError(`model.pretrained: weights "${spec}" not found: no such file ${file}`, {
      suggestions: ['Give a .safetensors or .pth/.pt state dict, or torchvision://<name> (see docs/models.md)'],
    });
  }
  return file;
}

/**
 * A torchvision-named, torch-layout state dict from a safetensors file or a PyTorch `.pth`/`.pt` file (a state dict or
 * an mmcv checkpoint: `state-dict.ts` removes the `module.` / `backbone.` / `head.` prefixes), as float32.
 * @throws MixupError (data) naming the file and the tensor or pickle entry that is wrong
 */
export function readStateDictFile(file: string): Map<string, StateEntry> {
  if (!PTH.test(file)) return readSafetensors(file);
  const shown = displayPath(file);
  const entries = new Map<string, StateEntry>();
  for (const [name, t] of stateDictOf(readPth(file, shown), shown).tensors) entries.set(name, {shape: t.shape, data: toFloat32(t)});
  return entries;
}

/**
 * Loads torchvision weights into a classifier by name (conv OIHW -> HWIO, fc [out, in] -> [in, out], BN weight,
 * bias and running statistics; `num_batches_tracked` ignored), from safetensors or `.pth`. When the file's fc has
 * another class count than the model (transfer learning), the fc layer keeps its fresh initialisation and a note says so.
 * @throws MixupError (data) for a missing file or a mismatched one (naming the first bad key and both shapes)
 */
export function loadPretrained(classifier: Classifier, spec: string, opts: PretrainedOptions = {}): PretrainedReport {
  const file = resolvePretrained(spec, opts);
  const entries = readStateDictFile(file);
  const notes: string[] = [];
  const exclude: string[] = [];
  const fcShape = entries.get('fc.weight')?.shape;
  if (fcShape && fcShape.length === 2 && fcShape[0] !== classifier.numClasses) {
    exclude.push('fc.weight', 'fc.bias');
    notes.push(`fc skipped: ${spec} has ${fcShape[0]} classes, the model ${classifier.numClasses}; the head keeps its random initialisation`);
  }
  const {loaded, skipped} = classifier.loadStateDict(entries, {source: file === spec ? spec : `${spec} (${file})`, strict: true, exclude});
  return {path: file, loaded, skipped, notes};
}

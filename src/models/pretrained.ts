/**
 * Importing torchvision weights: `pretrained: "torchvision://resnet18"` (OpenMixup's notation) resolves to
 * `<weightsDir>/resnet18.safetensors`, a torchvision `state_dict` exported once where PyTorch is installed
 * (docs/models.md). Any other value is a path to a safetensors file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {dataError, notImplemented, usageError} from '../errors';
import {readSafetensors} from './safetensors';
import type {Classifier, PretrainedOptions, PretrainedReport} from './types';

const SCHEME = 'torchvision://';

/**
 * The Python lines that export a torchvision model's weights (`name` e.g. "resnet18", "resnext50_32x4d").
 * IMAGENET1K_V1 are the weights `torchvision://` meant in OpenMixup's (mmcv's) model zoo.
 */
export function exportSnippet(name: string): string {
  return [
    'python3 -c "import torchvision, safetensors.torch as st;',
    `m = torchvision.models.${name}(weights='IMAGENET1K_V1');`,
    `st.save_file(m.state_dict(), '${name}.safetensors')"`,
  ].join(' ');
}

/** `MIXUP_WEIGHTS_DIR`, else `~/.cache/mixup/weights`. */
export function defaultWeightsDir(): string {
  return process.env.MIXUP_WEIGHTS_DIR || path.join(os.homedir(), '.cache', 'mixup', 'weights');
}

/**
 * Resolves a `pretrained` value to an existing safetensors file.
 * @param spec "torchvision://<name>" or a file path
 * @throws MixupError (data) saying where it looked and how to export the weights; (notImplemented) for .pth files
 */
export function resolvePretrained(spec: string, opts: PretrainedOptions = {}): string {
  let file: string;
  let name: string | undefined;
  if (spec.startsWith(SCHEME)) {
    name = spec.slice(SCHEME.length);
    if (!/^[A-Za-z0-9_]+$/.test(name)) throw usageError(`model.pretrained: "${spec}" is not a torchvision model name (expected e.g. torchvision://resnet18)`);
    const dir = opts.weightsDir ?? defaultWeightsDir();
    file = path.join(dir, `${name}.safetensors`);
  } else if (/\.(pth|pt|bin|ckpt)$/.test(spec)) {
    throw notImplemented(`model.pretrained: "${spec}" is a PyTorch pickle; only safetensors files can be read`, {
      suggestions: ['Convert it where PyTorch is installed: python3 -c "import torch, safetensors.torch as st; st.save_file(torch.load(\'IN.pth\', map_location=\'cpu\'), \'OUT.safetensors\')"'],
    });
  } else {
    file = path.resolve(spec);
  }
  if (!fs.existsSync(file)) {
    const where = name
      ? `looked for ${file} (weights dir: --weights-dir, else MIXUP_WEIGHTS_DIR, else ~/.cache/mixup/weights)`
      : `no such file ${file}`;
    throw dataError(`model.pretrained: weights "${spec}" not found: ${where}`, {
      suggestions: [
        `Export them once where PyTorch is installed: ${exportSnippet(name ?? 'resnet18')}`,
        `then copy the file to ${path.dirname(file)}/ (see docs/models.md)`,
      ],
    });
  }
  return file;
}

/**
 * Loads torchvision weights into a classifier by name (conv OIHW -> HWIO, fc [out, in] -> [in, out], BN weight,
 * bias and running statistics; `num_batches_tracked` ignored). When the file's fc has another class count than the
 * model (transfer learning), the fc layer keeps its fresh initialisation and a note says so.
 * @throws MixupError (data) for a missing file or a mismatched one (naming the first bad key and both shapes)
 */
export function loadPretrained(classifier: Classifier, spec: string, opts: PretrainedOptions = {}): PretrainedReport {
  const file = resolvePretrained(spec, opts);
  const entries = readSafetensors(file);
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

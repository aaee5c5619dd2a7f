/**
 * `import-config --gpus N`: OpenMixup's batch is `imgs_per_gpu` on each of N GPUs (the iNat and Places configs are
 * "4xb64": 64 images × 4 GPUs = 256 a step). One `mixup train` process reaches the same step size by summing N
 * iterations' gradients: `optimizer_config.update_interval` is multiplied by N (docs/training.md "Gradient
 * accumulation"), with the learning rate and schedule unchanged, as in the reference.
 */
import {usageError} from '../../errors';
import {isObject, type JsonObject} from '../load';
import {note, type ImportNote} from './types';

/** Most GPUs `--gpus` takes (OpenMixup's largest configs use 16). */
export const MAX_IMPORT_GPUS = 64;

/**
 * Multiplies `optimizer_config.update_interval` (default 1) by `gpus` (in place) and returns the note.
 * @throws MixupError (usage) for a `gpus` that is not an integer in [1, MAX_IMPORT_GPUS]
 */
export function accumulateForGpus(config: JsonObject, gpus: number): ImportNote[] {
  if (!Number.isInteger(gpus) || gpus < 1 || gpus > MAX_IMPORT_GPUS) throw usageError(`--gpus must be an integer in [1, ${MAX_IMPORT_GPUS}], got ${gpus}`);
  if (gpus === 1) return [];
  const optimizerConfig = isObject(config.optimizer_config) ? config.optimizer_config : (config.optimizer_config = {});
  const before = typeof optimizerConfig.update_interval === 'number' ? optimizerConfig.update_interval : 1;
  optimizerConfig.update_interval = before * gpus;
  const batch = isObject(config.data) && typeof config.data.imgs_per_gpu === 'number' ? config.data.imgs_per_gpu : undefined;
  const step = batch === undefined ? '' : ` (${gpus} × ${batch} images = ${gpus * batch * before} a step)`;
  return [note('mapped', 'optimizer_config.update_interval', `--gpus ${gpus}: OpenMixup's step spans ${gpus} GPUs${step}; written as update_interval ${before * gpus}, summing ${before * gpus} iterations' gradients on one device`)];
}

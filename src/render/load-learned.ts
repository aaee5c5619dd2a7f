/**
 * Loading a trained AutoMix / SAMix run for `mixup visualize`: the config it was trained with (`--config`) gives the
 * model (`buildAutoMix`) and the input pipeline, a checkpoint of it (`--checkpoint`, `mixup train` writes
 * `<work_dir>/latest.safetensors`) its parameters and BN buffers, assigned by name.
 */
import {displayPath} from '../config/files';
import {loadConfig} from '../config/validate';
import {assignByName, disposeCheckpoint, readCheckpoint} from '../engine/checkpoint';
import {usageError} from '../errors';
import {buildAutoMix} from '../models/automix/model';
import {learnedVariant} from '../summary/runinfo';
import {inputPrep, learnedMixer, trainHint, type LearnedMixer} from './learned';

/**
 * Builds the AutoMix/SAMix model of `configFile` and loads `checkpointFile` into it.
 * @throws MixupError (usage) when the config is not an `AutoMixup` one or is the other learned method's
 * @throws MixupError (data) for a missing or unreadable checkpoint, or one whose tensors do not match the config
 *   (naming the first missing, extra or mis-shaped tensor)
 */
export function loadLearnedMixer(method: string, configFile: string, checkpointFile: string, seed: number): LearnedMixer {
  const config = loadConfig(configFile);
  const model = (config as {model?: unknown}).model;
  const variant = learnedVariant(model);
  const type = (model as {type?: unknown} | undefined)?.type;
  if (variant === undefined) {
    throw usageError(`--config ${displayPath(configFile)}: model.type is ${JSON.stringify(type)}, expected "AutoMixup" (the config of a learned ${method} run)`, {suggestions: [trainHint(method)]});
  }
  if (variant !== method) {
    throw usageError(`--config ${displayPath(configFile)} is a ${variant} config (model.mix_block ${variant === 'samix' ? 'has value_neck_cfg or x_qk_concat' : 'has neither value_neck_cfg nor x_qk_concat'}), but it was given for --methods ${method}; give the configs in the order of the learned methods in --methods`);
  }
  const prep = inputPrep(config);
  const automix = buildAutoMix(model, {seed, source: configFile});
  try {
    const {meta, tensors} = readCheckpoint(checkpointFile);
    try {
      assignByName(automix.params, tensors.params, 'parameter', checkpointFile);
      assignByName(automix.buffers, tensors.buffers, 'buffer', checkpointFile);
    } finally {
      disposeCheckpoint(tensors);
    }
    return learnedMixer(automix, prep, {method, config: configFile, checkpoint: checkpointFile, epoch: meta.epoch});
  } catch (error) {
    automix.dispose();
    throw error;
  }
}

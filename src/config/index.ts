/**
 * The config room's public surface: reading and validating configs (`loadConfig`), the config types and the type
 * guards telling a `MixUpClassification` config from an `AutoMixup` (learned mixer) one.
 *
 *     const config = loadConfig(file);
 *     if (isAutoMix(config)) buildAutoMix(config.model, ...); else new MixSchedule(config.model, registry);
 */
export * from './types';
export {loadConfig, assertValidConfig, validateConfig, validateFiles, stageChannels, type ConfigIssue, type FileValidation} from './validate';

/**
 * The config room's public surface: reading and validating configs (`loadConfig`), the config types (derived from
 * the schema, `schema.ts`) and the type
 * guards telling a `MixUpClassification` config from an `AutoMixup` (learned mixer) one.
 *
 *     const config = loadConfig(file);
 *     if (isAutoMix(config)) buildAutoMix(config.model, ...); else new MixSchedule(config.model, registry);
 */
export type {
  AdditionalSchedulerConfig,
  AutoMixConfig,
  AutoMixModelConfig,
  BackboneConfig,
  CustomHookConfig,
  DataConfig,
  DataSourceConfig,
  DatasetSplitConfig,
  LoaderSplit,
  HeadConfig,
  HeadWeights,
  LossConfig,
  LrConfig,
  MaskUpsamplingMode,
  MixBlockConfig,
  MixBlockOptimizerOptions,
  MixUpConfig,
  MixupConfig,
  ModelConfig,
  OptimizerConfig,
  PipelineStep,
  ValueNeckConfig,
} from './schema';
export {isAutoMix, isMixUp} from './schema';
export {parseDataConfig} from './data-config';
export {loadConfig, assertValidConfig, validateConfig, validateFiles, stageChannels, type ConfigIssue, type FileValidation} from './validate';

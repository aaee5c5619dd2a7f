/**
 * The config types, derived from the schema (`schema.ts`: `Static<typeof ...>` of what `validate` accepts). Kept as
 * the import path the rooms use while they move to `./schema`.
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

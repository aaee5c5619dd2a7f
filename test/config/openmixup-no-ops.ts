/** OpenMixup's top-level no-op keys with values a reference config gives them (docs/config.md "OpenMixup spellings"). */
export const OPENMIXUP_NO_OP_VALUES = {
  prefetch: false,
  cudnn_benchmark: true,
  dist_params: {backend: 'nccl'},
  workflow: [['train', 1]],
  persistent_workers: true,
  opencv_num_threads: 0,
  mp_start_method: 'fork',
  find_unused_parameters: false,
  train_cfg: {},
  test_cfg: {},
  load_from: null,
  resume_from: null,
  use_fp16: false,
  fp16: null,
  log_config: {interval: 2, hooks: [{type: 'TextLoggerHook', by_epoch: true}]},
};

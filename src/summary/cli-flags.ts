/** oclif arguments and flags shared by `mixup summarize`, `compare` and `plot` (one definition, one wording). */
import {Args, Flags} from '@oclif/core';
import {TABLE_FORMATS} from './grid';
import {STAT_NAMES} from './stats';

/** The PATH argument: one log or a tree of work dirs. */
export const logsArg = {path: Args.string({description: 'a .log.json file or a directory of work dirs', required: true})};

/** `--stat`, `--epochs`, `--last`, `--runs` and `--format`. */
export const statFlags = {
  stat: Flags.string({description: 'statistic', options: [...STAT_NAMES], default: 'median'}),
  epochs: Flags.integer({description: "E, total epochs of the median/mean-last window (default: each run's max_epochs)", min: 1}),
  last: Flags.integer({description: 'N, the window is epoch >= E - N (default: round(E/20))', min: 0}),
  runs: Flags.integer({
    description: "runs of each work dir that count, the latest ones (OpenMixup's 3-times rule; 1 = the median tool's latest log only)",
    min: 1,
    default: 3,
  }),
  format: Flags.string({description: 'output format', options: [...TABLE_FORMATS], default: 'table'}),
};

/**
 * What `mixup import-config` reports about one OpenMixup config: every change it made on the way from OpenMixup's
 * spelling to ours, by dotted path, so that nothing is dropped without being named.
 */
import type {JsonObject} from '../load';

/**
 * Kinds of change:
 * - `mapped`: an OpenMixup spelling rewritten to ours (e.g. `prefetch` + `img_norm_cfg` -> a `Normalize` step)
 * - `default`: a field OpenMixup leaves to a constructor default, written out with that default
 * - `helper`: a top-level variable of the Python file whose value is used inside another field (e.g. `train_pipeline`)
 * - `private`: a `_`-prefixed name (`_delete_` left by mmcv's merge, `_deprecation_`, ...)
 * - `unmapped`: a field mixup has nothing for; left out of the JSON (`--strict` refuses the file instead)
 */
export type ImportNoteKind = 'mapped' | 'default' | 'helper' | 'private' | 'unmapped';

/** One change, at a dotted path (`data.train.pipeline[3]`, `log_level`). */
export interface ImportNote {
  kind: ImportNoteKind;
  path: string;
  /** what was there / what was done, in words */
  message: string;
}

/** The outcome of importing one Python config. */
export interface ImportedConfig {
  /** the config as mixup reads it (validates when `problems` is empty) */
  config: JsonObject;
  notes: ImportNote[];
  /** validation problems left after mapping (`file: message` style, without the file); the JSON is not written */
  problems: string[];
  /** every file Python read (the config and its `_base_` chain), absolute */
  sources: string[];
}

/** Builds a note. */
export const note = (kind: ImportNoteKind, path: string, message: string): ImportNote => ({kind, path, message});

/**
 * The names of generated configs and their directories, written by `gen-configs` and read back by the summaries
 * (after OpenMixup's `ConfigGenerator`): `<configs>/<dataset>/<backbone>/mix_mode<method>/<backbone>_<variant>_alpha<α>_ep<E>.json`,
 * α with `_` for the dot (`alpha0_2`), no α for a method that does not mix; and the work dir of a config. One codec,
 * so a name `gen-configs` writes is one `summarize` understands, and a generated script trains where `mixup train` would.
 */
import * as path from 'node:path';
import {findMethod} from './methods';

/** What a config name says. */
export interface ConfigNameFields {
  /** `r18`, `rx50`, ... */
  backbone: string;
  /** the base's variant (`mixups_CE_none`, `puzzlemix_CE_soft`, `automix`) */
  variant: string;
  /** null: no α in the name (vanilla) */
  alpha: number | null;
  epochs: number;
}

/** `{r18, mixups_CE_none, 0.2, 100}` -> `r18_mixups_CE_none_alpha0_2_ep100` (no extension). */
export function configName(f: ConfigNameFields): string {
  return `${f.backbone}_${f.variant}${f.alpha === null ? '' : `_alpha${String(f.alpha).replace(/\./g, '_')}`}_ep${f.epochs}`;
}

/** The directory of a method's configs and work dirs: `mix_mode<method>`. */
export function methodDirName(method: string): string {
  return `mix_mode${method}`;
}

/** The method(s) a `mix_mode<method>` directory names (`mixup+cutmix` for a mixed policy), else undefined. */
export function methodOfDirName(segment: string): string | undefined {
  return /^mix_mode(\w+(?:\+\w+)*)$/.exec(segment)?.[1];
}

/**
 * The fields a generated config or work-dir name gives (OpenMixup's names too, e.g. `r18_mixups_CE_none_4xb64_alpha0_2_ep100`
 * or `..._100ep`): backbone (first token), method (second token, when it is a catalog name: `r18_puzzlemix_CE_soft`),
 * α as text (`0.2`) and epochs; what the name does not say is left out.
 */
export function parseConfigName(name: string): {backbone?: string; method?: string; alpha?: string; epochs?: number} {
  const fields: {backbone?: string; method?: string; alpha?: string; epochs?: number} = {};
  const tokens = name.split('_');
  if (/^rx?\d+$/.test(tokens[0] ?? '')) fields.backbone = tokens[0];
  if (tokens[1] !== undefined && findMethod(tokens[1]) !== undefined) fields.method = tokens[1];
  const alpha = /(?:^|_)alpha(\d+(?:_\d+)?)(?=_|$)/.exec(name);
  if (alpha) fields.alpha = String(Number(alpha[1].replace('_', '.')));
  const epochs = /(?:^|_)(?:ep(\d+)|(\d+)ep)(?=_|$)/.exec(name);
  if (epochs) fields.epochs = Number(epochs[1] ?? epochs[2]);
  return fields;
}

/**
 * The work dir of a config (`mixup train` without `--work-dir`, and the runs of `gen-configs`' scripts), as OpenMixup's
 * `dist_train.sh` derives it: `work_dirs/<config path relative to cwd, without a leading configs/ and without .json>`.
 * A config outside cwd: its path under `root` (gen-configs' `--out`) when it is inside it, else its file name.
 * @param configPath absolute, or relative to `cwd`
 * @param opts.cwd default `process.cwd()`
 */
export function workDirOf(configPath: string, opts: {cwd?: string; root?: string} = {}): string {
  const cwd = opts.cwd ?? process.cwd();
  const file = path.resolve(cwd, configPath);
  const under = (dir: string): string[] | undefined => {
    const rel = path.relative(dir, file);
    return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel.split(path.sep);
  };
  let parts = under(cwd);
  if (parts && parts[0] === 'configs' && parts.length > 1) parts = parts.slice(1);
  parts ??= (opts.root !== undefined ? under(path.resolve(cwd, opts.root)) : undefined) ?? [path.basename(file)];
  return ['work_dirs', ...parts].join('/').replace(/\.json$/i, '');
}

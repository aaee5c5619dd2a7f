/**
 * The bash scripts `gen-configs` writes next to the configs: one per backbone, training every generated config ×
 * seed with `mixup train CONFIG --work-dir WORK_DIR --seed S`.
 *
 * - `local`: runs one after another; skips a run whose work dir has the finished marker; keeps going past a failed
 *   run and lists the failures at the end (exit 1 if any).
 * - `slurm`: an `sbatch` job array, one task per (config, seed); each task skips a finished work dir.
 *
 * Both call the CLI through `$MIXUP` (split into words, never evaluated), whose default is the `bin/run.js` of the
 * mixup that generated them; `MIXUP="npx --no-install mixup" bash x.sh` overrides it. Both are run from the
 * directory `gen-configs` ran in (paths are relative to it).
 *
 * Nothing that comes from a path or a name is ever interpreted by bash: every inserted value is quoted as
 * `printf %q` would (`shellQuote`), also in comments; the Slurm table is three bash arrays (no separator to
 * collide with); messages print values with `printf '%s'`. Paths and names with control characters (a newline
 * would end a comment) are refused with a usage error before anything is written.
 */
import {usageError} from '../errors';
import {assertNoControlCharacters} from '../io/paths';
import {FINISHED_MARKER} from './files';

/** One training run of a script. */
export interface ScriptRun {
  config: string;
  workDir: string;
  seed: number;
  /** comment line above the run (`mix_modemixup`) */
  group: string;
}

/** What a script trains and how it is launched. */
export interface ScriptSpec {
  launcher: 'local' | 'slurm';
  /** the words of the command line that reproduces the files (quoted into a comment) */
  command: string[];
  /** what the script trains, for its header ("CUB-200 / ResNet-18") */
  title: string;
  /** path the script is run as (`bash <path>`), for its header */
  scriptPath: string;
  /** GPUs per run: exported as CUDA_VISIBLE_DEVICES (local) or requested with --gres (slurm); 0 = none */
  gpus: number;
  /** the words of the default of $MIXUP, e.g. `['node', 'bin/run.js']` */
  cli: string[];
  /** job name (slurm): letters, digits, `_`, `.`, `-` */
  jobName: string;
  runs: ScriptRun[];
}

/** Most runs one script may hold (a Slurm array this size is already far beyond the reference tables). */
export const MAX_SCRIPT_RUNS = 10_000;

/** Characters a word may consist of to be written unquoted. */
const SAFE_WORD = /^[A-Za-z0-9_./,:=+@%-]+$/;

/**
 * Quotes a word for bash with `printf %q` semantics: bash reads the result back as exactly `word`, never expanding
 * anything in it. Safe path characters stay as they are, other text is single-quoted (`'it'\''s'`), and text with
 * control characters uses ANSI-C quoting (`$'a\nb'`).
 */
export function shellQuote(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  if (!/[\u0000-\u001f\u007f]/.test(word)) return `'${word.replace(/'/g, `'\\''`)}'`;
  const escaped = [...word].map((ch) => {
    const code = ch.charCodeAt(0);
    if (ch === '\\' || ch === "'") return `\\${ch}`;
    if (ch === '\n') return '\\n';
    if (ch === '\t') return '\\t';
    if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
    return ch;
  });
  return `$'${escaped.join('')}'`;
}

/** The words, each quoted, separated by spaces. */
const quoteWords = (words: readonly string[]): string => words.map(shellQuote).join(' ');

/**
 * Checks every value that goes into a script: no control characters in any text, a plain job name, seeds and GPU
 * counts that are integers, at least one and at most `MAX_SCRIPT_RUNS` runs.
 * @throws MixupError (usage) naming the field and the value
 */
export function checkScriptSpec(spec: ScriptSpec): void {
  if (spec.runs.length === 0) throw usageError('a training script needs at least one run: no configs were generated (is a --methods, --backbone or --alpha list empty?)');
  if (spec.runs.length > MAX_SCRIPT_RUNS) throw usageError(`a training script would hold ${spec.runs.length} runs (configs x seeds), more than ${MAX_SCRIPT_RUNS}; generate fewer methods, alphas, epochs or seeds at once`);
  spec.command.forEach((word) => assertNoControlCharacters(word, 'gen-configs argument'));
  assertNoControlCharacters(spec.title, 'script title');
  assertNoControlCharacters(spec.scriptPath, 'script path');
  spec.cli.forEach((word) => assertNoControlCharacters(word, 'mixup CLI path'));
  if (!/^[A-Za-z0-9_.-]+$/.test(spec.jobName)) throw usageError(`Slurm job name ${JSON.stringify(spec.jobName)} may only hold letters, digits, "_", "." and "-"`);
  if (!Number.isInteger(spec.gpus) || spec.gpus < 0) throw usageError(`GPUs per run must be an integer >= 0, got ${spec.gpus}`);
  for (const run of spec.runs) {
    assertNoControlCharacters(run.config, 'config path');
    assertNoControlCharacters(run.workDir, 'work dir');
    assertNoControlCharacters(run.group, 'run group');
    if (!Number.isInteger(run.seed) || run.seed < 0) throw usageError(`seed must be an integer >= 0, got ${run.seed}`);
  }
}

function header(spec: ScriptSpec): string[] {
  const seeds = new Set(spec.runs.map((r) => r.seed)).size;
  const configs = new Set(spec.runs.map((r) => r.config)).size;
  return [
    `# Generated by: ${quoteWords(spec.command)}`,
    `# Trains ${configs} config(s) x ${seeds} seed(s) of ${shellQuote(spec.title)} with \`mixup train\`.`,
    `# Run it from the directory gen-configs ran in (the repository root): ${spec.launcher === 'slurm' ? 'sbatch' : 'bash'} ${shellQuote(spec.scriptPath)}`,
    `# A run whose work dir holds ${FINISHED_MARKER} is skipped. MIXUP chooses the CLI, e.g. MIXUP="npx --no-install mixup".`,
  ];
}

/** `$MIXUP` split into words (no globbing, no evaluation), else the generating CLI; and the finished marker. */
function preamble(spec: ScriptSpec): string[] {
  return [
    `if [[ -n "\${MIXUP:-}" ]]; then read -r -a mixup <<< "$MIXUP"; else mixup=(${quoteWords(spec.cli)}); fi`,
    `marker=${shellQuote(FINISHED_MARKER)}`,
  ];
}

const gpuList = (gpus: number): string => Array.from({length: gpus}, (_, i) => i).join(',');

function localScript(spec: ScriptSpec): string {
  const lines = ['#!/usr/bin/env bash', ...header(spec), '# A failed run does not stop the others; failures are listed at the end (exit status 1).', 'set -euo pipefail', ''];
  lines.push(...preamble(spec));
  if (spec.gpus > 0) lines.push(`export CUDA_VISIBLE_DEVICES=\${CUDA_VISIBLE_DEVICES:-${gpuList(spec.gpus)}}`);
  lines.push(
    `first=${shellQuote(spec.runs[0].config)}`,
    'if [[ ! -f "$first" ]]; then',
    `  printf '%s: %s not found: run this script from the directory gen-configs ran in\\n' "$0" "$first" >&2`,
    '  exit 2',
    'fi',
    '',
    'failed=()',
    'total=0',
    'skipped=0',
    'run() {',
    '  local config=$1 work_dir=$2 seed=$3',
    '  total=$((total + 1))',
    '  if [[ -f "$work_dir/$marker" ]]; then',
    `    printf '[skip] %s (%s exists)\\n' "$work_dir" "$marker"`,
    '    skipped=$((skipped + 1))',
    '    return 0',
    '  fi',
    `  printf '[train] %s --seed %s -> %s\\n' "$config" "$seed" "$work_dir"`,
    '  if ! "${mixup[@]}" train "$config" --work-dir "$work_dir" --seed "$seed"; then',
    `    printf '[failed] %s --seed %s\\n' "$config" "$seed" >&2`,
    '    failed+=("$config --seed $seed")',
    '  fi',
    '}',
  );
  let group = '';
  for (const run of spec.runs) {
    if (run.group !== group) lines.push('', `# ${shellQuote(run.group)}`);
    group = run.group;
    lines.push(`run ${shellQuote(run.config)} ${shellQuote(run.workDir)} ${run.seed}`);
  }
  lines.push(
    '',
    'if (( ${#failed[@]} > 0 )); then',
    `  printf '%s of %s run(s) failed:\\n' "\${#failed[@]}" "$total" >&2`,
    `  printf '  %s\\n' "\${failed[@]}" >&2`,
    '  exit 1',
    'fi',
    `printf 'all %s run(s) done (%s skipped as finished)\\n' "$total" "$skipped"`,
  );
  return `${lines.join('\n')}\n`;
}

function slurmScript(spec: ScriptSpec): string {
  const lines = [
    '#!/usr/bin/env bash',
    `#SBATCH --job-name=${spec.jobName}`,
    `#SBATCH --array=0-${spec.runs.length - 1}`,
    ...(spec.gpus > 0 ? [`#SBATCH --gres=gpu:${spec.gpus}`] : []),
    ...header(spec),
    '# One array task per (config, seed); other sbatch options (partition, time, cpus) go on the sbatch command line.',
    'set -euo pipefail',
    '',
    ...preamble(spec),
    '',
    '# task i trains CONFIGS[i] into WORK_DIRS[i] with seed SEEDS[i]',
    'CONFIGS=(',
    ...spec.runs.map((run) => `  ${shellQuote(run.config)}  # ${shellQuote(run.group)}`),
    ')',
    'WORK_DIRS=(',
    ...spec.runs.map((run) => `  ${shellQuote(run.workDir)}`),
    ')',
    `SEEDS=(${spec.runs.map((run) => run.seed).join(' ')})`,
    'task=${SLURM_ARRAY_TASK_ID:?"submit with sbatch (it sets SLURM_ARRAY_TASK_ID), or set SLURM_ARRAY_TASK_ID=i to run task i"}',
    'if [[ ! "$task" =~ ^[0-9]+$ ]] || (( 10#$task >= ${#CONFIGS[@]} )); then',
    `  printf '%s: task %s out of range 0..%s\\n' "$0" "$task" "$((\${#CONFIGS[@]} - 1))" >&2`,
    '  exit 2',
    'fi',
    'task=$((10#$task))',
    'config=${CONFIGS[$task]} work_dir=${WORK_DIRS[$task]} seed=${SEEDS[$task]}',
    'if [[ -f "$work_dir/$marker" ]]; then',
    `  printf '[skip] %s (%s exists)\\n' "$work_dir" "$marker"`,
    '  exit 0',
    'fi',
    `printf '[train] task %s: %s --seed %s -> %s\\n' "$task" "$config" "$seed" "$work_dir"`,
    'exec "${mixup[@]}" train "$config" --work-dir "$work_dir" --seed "$seed"',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The text of a launcher script (deterministic: same spec, same bytes).
 * @throws MixupError (usage) for a spec `checkScriptSpec` refuses
 */
export function renderScript(spec: ScriptSpec): string {
  checkScriptSpec(spec);
  return spec.launcher === 'slurm' ? slurmScript(spec) : localScript(spec);
}

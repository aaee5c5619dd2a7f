/**
 * The bash scripts `gen-configs` writes next to the configs: one per backbone, training every generated config ×
 * seed with `mixup train CONFIG --work-dir WORK_DIR --seed S`.
 *
 * - `local`: runs one after another; skips a run whose work dir has the finished marker; keeps going past a failed
 *   run and lists the failures at the end (exit 1 if any). With `gpus` N >= 2 it runs N at a time, one per GPU
 *   ("lanes": lane i trains with `CUDA_VISIBLE_DEVICES` = the i-th id of 0..N-1, or of `$MIXUP_GPU_IDS`), each
 *   run's output in `<work dir>/console.out`; a lane takes the next unfinished run as soon as its run ends.
 * - `slurm`: an `sbatch` job array, one task per (config, seed); each task skips a finished work dir. With `gpus`
 *   > 0 each task requests one GPU (`--gres=gpu:1`, or `gres`): a run uses one device.
 *
 * tfjs trains one process on one device: there is no data-parallel training of one run across GPUs. Lanes use
 * several GPUs by training several runs at once; `optimizer_config.update_interval` gives one run the reference's
 * multi-GPU batch.
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
  /**
   * local: GPUs, one run on each at a time (1: `CUDA_VISIBLE_DEVICES=0` for every run; 0 = none set); slurm: > 0
   * makes each array task request one GPU
   */
  gpus: number;
  /** slurm: what one task requests, `#SBATCH --gres=<gres>` (default `gpu:1` when gpus > 0; null = nothing) */
  gres?: string | null;
  /** the words of the default of $MIXUP, e.g. `['node', 'bin/run.js']` */
  cli: string[];
  /** job name (slurm): letters, digits, `_`, `.`, `-` */
  jobName: string;
  runs: ScriptRun[];
}

/** Most runs one script may hold (a Slurm array this size is already far beyond the reference tables). */
export const MAX_SCRIPT_RUNS = 10_000;

/** A Slurm `--gres` value: `gpu:1`, `gpu:a100:2`, `gpu:1,shard:2`. */
const GRES = /^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)*(,[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)*)*$/;

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
  if (!Number.isInteger(spec.gpus) || spec.gpus < 0) throw usageError(`--gpus must be an integer >= 0, got ${spec.gpus}`);
  if (typeof spec.gres === 'string' && !GRES.test(spec.gres)) throw usageError(`--gres ${JSON.stringify(spec.gres)} is not a Slurm generic resource such as gpu:1 or gpu:a100:1 (letters, digits, ":", ",", ".", "_", "-")`);
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

/**
 * The end of a local script: the failed runs and exit 1, or the "all done" line (`format`/`args`: more of it).
 */
function summary(format: string, args: string): string[] {
  return [
    'if (( ${#failed[@]} > 0 )); then',
    `  printf '%s of %s run(s) failed:\\n' "\${#failed[@]}" "$total" >&2`,
    `  printf '  %s\\n' "\${failed[@]}" >&2`,
    '  exit 1',
    'fi',
    `printf 'all %s run(s) done (%s skipped as finished)${format}\\n' "$total" "$skipped"${args}`,
  ];
}

/** The check that the script runs where gen-configs ran (relative paths). */
function firstConfigCheck(spec: ScriptSpec): string[] {
  return [
    `first=${shellQuote(spec.runs[0].config)}`,
    'if [[ ! -f "$first" ]]; then',
    `  printf '%s: %s not found: run this script from the directory gen-configs ran in\\n' "$0" "$first" >&2`,
    '  exit 2',
    'fi',
  ];
}

/** The runs as three bash arrays (index i = run i), with the group as a comment. */
function runArrays(spec: ScriptSpec): string[] {
  return [
    '# run i trains CONFIGS[i] into WORK_DIRS[i] with seed SEEDS[i]',
    'CONFIGS=(',
    ...spec.runs.map((run) => `  ${shellQuote(run.config)}  # ${shellQuote(run.group)}`),
    ')',
    'WORK_DIRS=(',
    ...spec.runs.map((run) => `  ${shellQuote(run.workDir)}`),
    ')',
    `SEEDS=(${spec.runs.map((run) => run.seed).join(' ')})`,
  ];
}

/**
 * N runs at a time, one per GPU: a lane starts the next unfinished run as soon as its run ends (each lane's
 * subshell reports "<lane> <exit status>" on a FIFO the script reads; no polling).
 */
function lanesScript(spec: ScriptSpec): string {
  const lines = [
    '#!/usr/bin/env bash',
    ...header(spec),
    `# Runs ${spec.gpus} at a time, one per GPU: lane i trains with CUDA_VISIBLE_DEVICES set to the i-th of the GPU ids`,
    `# ${gpuList(spec.gpus)}, or of MIXUP_GPU_IDS (e.g. MIXUP_GPU_IDS=4,5,6,7; as many lanes as ids). Each run's output`,
    '# goes to <work dir>/console.out (appended). Rerun it to resume: finished runs are skipped, interrupted ones resume.',
    '# A failed run does not stop the others; failures are listed at the end (exit status 1).',
    'set -euo pipefail',
    '',
    ...preamble(spec),
    ...firstConfigCheck(spec),
    '',
    ...runArrays(spec),
    '',
    `IFS=, read -r -a gpu_ids <<< "\${MIXUP_GPU_IDS:-${gpuList(spec.gpus)}}"`,
    'for id in "${gpu_ids[@]}"; do',
    '  if [[ ! "$id" =~ ^[0-9]+$ ]]; then',
    `    printf '%s: MIXUP_GPU_IDS must be comma-separated GPU numbers, got %s\\n' "$0" "\${MIXUP_GPU_IDS:-}" >&2`,
    '    exit 2',
    '  fi',
    'done',
    'lanes=${#gpu_ids[@]}',
    `(( lanes > 0 )) || { printf '%s: MIXUP_GPU_IDS lists no GPU\\n' "$0" >&2; exit 2; }`,
    '',
    '# each lane reports "<lane> <exit status>" here when its run ends',
    'channel_dir=$(mktemp -d "${TMPDIR:-/tmp}/mixup-lanes.XXXXXX")',
    'mkfifo "$channel_dir/done"',
    'exec 3<>"$channel_dir/done"',
    'lane_pid=() lane_run=()',
    'stop() {',
    '  trap - INT TERM',
    '  for pid in ${lane_pid[@]+"${lane_pid[@]}"}; do [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null || true; done',
    '  wait || true',
    '  rm -rf "$channel_dir"',
    `  printf 'interrupted: rerun this script to resume\\n' >&2`,
    '  exit 130',
    '}',
    'trap stop INT TERM',
    `trap 'rm -rf "$channel_dir"' EXIT`,
    '',
    'failed=()',
    'total=${#CONFIGS[@]}',
    'skipped=0',
    'next=0',
    'busy=0',
    '',
    '# start_next LANE: the next run without the finished marker on LANE; false when none is left',
    'start_next() {',
    '  local lane=$1 i',
    '  while (( next < total )); do',
    '    i=$next',
    '    next=$((next + 1))',
    '    if [[ -f "${WORK_DIRS[$i]}/$marker" ]]; then',
    `      printf '[skip] %s (%s exists)\\n' "\${WORK_DIRS[$i]}" "$marker"`,
    '      skipped=$((skipped + 1))',
    '      continue',
    '    fi',
    '    mkdir -p "${WORK_DIRS[$i]}"',
    `    printf '[lane %s, GPU %s] train %s --seed %s -> %s (output: %s/console.out)\\n' "$lane" "\${gpu_ids[$lane]}" "\${CONFIGS[$i]}" "\${SEEDS[$i]}" "\${WORK_DIRS[$i]}" "\${WORK_DIRS[$i]}"`,
    '    (',
    '      trap - INT EXIT',
    '      set +e',
    '      CUDA_VISIBLE_DEVICES=${gpu_ids[$lane]} "${mixup[@]}" train "${CONFIGS[$i]}" --work-dir "${WORK_DIRS[$i]}" --seed "${SEEDS[$i]}" >> "${WORK_DIRS[$i]}/console.out" 2>&1 < /dev/null &',
    '      child=$!',
    `      trap 'kill -TERM "$child" 2>/dev/null' TERM`,
    '      wait "$child"',
    '      status=$?',
    '      while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done',
    `      printf '%s %s\\n' "$lane" "$status" >&3`,
    '    ) &',
    '    lane_pid[lane]=$!',
    '    lane_run[lane]=$i',
    '    busy=$((busy + 1))',
    '    return 0',
    '  done',
    '  return 1',
    '}',
    '',
    'for ((lane = 0; lane < lanes; lane++)); do start_next "$lane" || break; done',
    'while (( busy > 0 )); do',
    '  read -r lane status <&3',
    '  wait "${lane_pid[lane]}" || true',
    '  lane_pid[lane]=""',
    '  busy=$((busy - 1))',
    '  i=${lane_run[lane]}',
    '  if [[ "$status" == 0 ]]; then',
    `    printf '[done] %s --seed %s (lane %s)\\n' "\${CONFIGS[$i]}" "\${SEEDS[$i]}" "$lane"`,
    '  else',
    `    printf '[failed] %s --seed %s (lane %s, exit %s; see %s/console.out)\\n' "\${CONFIGS[$i]}" "\${SEEDS[$i]}" "$lane" "$status" "\${WORK_DIRS[$i]}" >&2`,
    '    failed+=("${CONFIGS[$i]} --seed ${SEEDS[$i]}")',
    '  fi',
    '  start_next "$lane" || true',
    'done',
    '',
    ...summary(` on %s lane(s)`, ' "$lanes"'),
  ];
  return `${lines.join('\n')}\n`;
}

function localScript(spec: ScriptSpec): string {
  const lines = ['#!/usr/bin/env bash', ...header(spec), '# A failed run does not stop the others; failures are listed at the end (exit status 1).', 'set -euo pipefail', ''];
  lines.push(...preamble(spec));
  if (spec.gpus > 0) lines.push(`export CUDA_VISIBLE_DEVICES=\${CUDA_VISIBLE_DEVICES:-${gpuList(spec.gpus)}}`);
  lines.push(
    ...firstConfigCheck(spec),
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
    ...summary('', ''),
  );
  return `${lines.join('\n')}\n`;
}

function slurmScript(spec: ScriptSpec): string {
  const gres = spec.gres === undefined ? (spec.gpus > 0 ? 'gpu:1' : null) : spec.gres;
  const lines = [
    '#!/usr/bin/env bash',
    `#SBATCH --job-name=${spec.jobName}`,
    `#SBATCH --array=0-${spec.runs.length - 1}`,
    ...(gres !== null ? [`#SBATCH --gres=${gres}`] : []),
    ...header(spec),
    '# One array task per (config, seed); other sbatch options (partition, time, cpus) go on the sbatch command line,',
    `# which also overrides the lines above (sbatch --gres=gpu:v100:1 ..., --array=0-${spec.runs.length - 1}%4 for at most 4 tasks at a time).`,
    ...(gres !== null ? [`# Each task requests --gres=${gres}: a run is one process on one device (tfjs has no multi-GPU training).`] : []),
    'set -euo pipefail',
    '',
    ...preamble(spec),
    '',
    ...runArrays(spec),
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
  if (spec.launcher === 'slurm') return slurmScript(spec);
  return spec.gpus >= 2 ? lanesScript(spec) : localScript(spec);
}

/** Runs the compiled CLI (`node bin/run.js ...`) the way a user does; `pretest` builds `dist/` first. */
import {spawnSync, SpawnSyncOptions} from 'node:child_process';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(REPO_ROOT, 'bin', 'run.js');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: SpawnSyncOptions = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 300_000,
    ...options,
    // oclif wraps error messages at the terminal width: a wide one keeps each message on one line
    env: {...process.env, FORCE_COLOR: '0', NO_COLOR: '1', OCLIF_COLUMNS: '1000', ...(options.env ?? {})},
  });
  return {status: result.status ?? -1, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '')};
}

/** oclif's error output (` ›   ` prefixed, possibly wrapped lines) as one line of text. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*›?\s*/g, ' ');
}

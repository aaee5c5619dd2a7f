/**
 * Shared by the benchmarks that measure each case in its own child process (`train`, `automix`): reading
 * `--name value` arguments, and running this script again with `--child` to get the one JSON line it prints.
 */
import {spawnSync} from 'node:child_process';

/** The value after `--<name>` on the command line, or `fallback`. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/**
 * Runs `script --child ...args` and parses the last line of its stdout as JSON; when there is none, returns
 * `failed(why)` with why = the time-out, the first stderr line naming an Error, or the exit status.
 */
export function childRow<T>(script: string, args: string[], timeoutSeconds: number, failed: (why: string) => T): T {
  const r = spawnSync(process.execPath, [script, '--child', ...args], {encoding: 'utf8', timeout: timeoutSeconds * 1000});
  const line = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    const why = r.error ? `timed out after ${timeoutSeconds} s` : (r.stderr ?? '').trim().split('\n').find((l) => /Error/.test(l)) ?? `exit ${r.status}`;
    return failed(why);
  }
}

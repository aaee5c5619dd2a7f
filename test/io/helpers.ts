/** Shared pieces of the io tests: temp dirs, FIFOs and injected file-system errors. */
import {execFileSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A fresh temporary directory. */
export function tmpDir(prefix = 'mixup-io-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Creates a FIFO (named pipe) at `file`: reading it would block forever. */
export function mkfifo(file: string): string {
  execFileSync('mkfifo', [file]);
  return file;
}

/** A Node-style errno error, as `fs` throws it (`ENOSPC: no space left on device, write`). */
export function errnoError(code: string, syscall = 'write', message = 'no space left on device'): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}, ${syscall}`), {code, errno: -28, syscall});
}

/** The real `fs` module object (what `src/` calls through), for `jest.spyOn`. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const realFs: typeof fs = require('node:fs');

/** Raw Node error text that must never reach a user: `ENOSPC:` prefixes and stack frames. */
export const RAW_ERROR = /\bE[A-Z]{2,}:|\n {4}at /;

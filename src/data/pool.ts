/**
 * The data worker pool: `node:worker_threads` running `worker.ts`, one batch task at a time each, shared by every
 * loader of the process (train and val use the same threads). Decoding thus runs beside the training step, which
 * holds the main thread (tfjs kernels are synchronous): a batch is ready when the step ends.
 *
 * Workers start on the first task and stay; an idle worker does not keep the process alive (`unref`), a busy one does.
 * Under ts-jest (sources are `.ts`, no compiled `worker.js` beside this file) the worker transpiles the sources with
 * the `typescript` compiler as it loads them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {Worker} from 'node:worker_threads';
import {dataError} from '../errors';
import {fromTaskError, type BatchResult, type BatchTask} from './batch';
import type {WorkerReply, WorkerRequest} from './worker';

interface Pending {
  request: WorkerRequest;
  resolve: (result: BatchResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  busy?: Pending;
}

/** The worker, from compiled JS, or from the TypeScript sources through a transpiling require hook. */
function startWorker(): Worker {
  const js = path.join(__dirname, 'worker.js');
  if (fs.existsSync(js)) return new Worker(js);
  const ts = path.join(__dirname, 'worker.ts');
  const boot = `
const ts = require(${JSON.stringify(require.resolve('typescript'))});
const fs = require('node:fs');
require.extensions['.ts'] = (module, filename) => {
  const out = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {fileName: filename, compilerOptions: {module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true}});
  module._compile(out.outputText, filename);
};
require(${JSON.stringify(ts)});`;
  return new Worker(boot, {eval: true});
}

/** A fixed set of worker threads taking batch tasks in submission order. */
export class DecodePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 0;

  constructor(private size: number) {}

  /** Number of worker threads the pool runs (started lazily). */
  get threads(): number {
    return this.size;
  }

  /** Grows the pool to at least `size` threads. */
  grow(size: number): void {
    this.size = Math.max(this.size, size);
    this.dispatch();
  }

  /** Runs `task` on the next free worker. */
  run(task: BatchTask): Promise<BatchResult> {
    return new Promise<BatchResult>((resolve, reject) => {
      this.queue.push({request: {id: this.nextId++, task}, resolve, reject});
      this.dispatch();
    });
  }

  /** Stops every worker; pending tasks fail. */
  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    for (const p of [...this.queue.splice(0), ...slots.flatMap((s) => (s.busy ? [s.busy] : []))]) p.reject(dataError('data worker pool closed'));
    // a pending terminate() does not keep the process alive (node 20): hold it with a timer until the workers exit
    const keepAlive = setInterval(() => undefined, 1000);
    try {
      await Promise.all(slots.map((s) => s.worker.terminate()));
    } finally {
      clearInterval(keepAlive);
    }
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const pending = this.queue.shift()!;
      slot.busy = pending;
      slot.worker.ref();
      slot.worker.postMessage(pending.request);
    }
  }

  private spawn(): Slot {
    const slot: Slot = {worker: startWorker()};
    slot.worker.on('message', (reply: WorkerReply) => {
      const pending = slot.busy;
      slot.busy = undefined;
      slot.worker.unref();
      if (pending && pending.request.id === reply.id) {
        if ('error' in reply) pending.reject(fromTaskError(reply.error));
        else pending.resolve(reply.result);
      }
      this.dispatch();
    });
    const fail = (error: Error) => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      slot.busy?.reject(dataError(`data worker thread failed: ${error.message}`, {cause: error}));
      slot.busy = undefined;
      this.dispatch();
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => {
      if (this.slots.includes(slot)) fail(new Error(`exited with code ${code}`));
    });
    this.slots.push(slot);
    return slot;
  }
}

let shared: DecodePool | undefined;

/** The process's pool, grown to at least `threads` workers. */
export function sharedPool(threads: number): DecodePool {
  if (!shared) shared = new DecodePool(threads);
  else shared.grow(threads);
  return shared;
}

/** Stops the shared pool's workers (tests; the process also exits with idle workers). */
export async function closeDataWorkers(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}

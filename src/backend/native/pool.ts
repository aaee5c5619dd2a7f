/**
 * Reuse of the native kernels' output buffers. Every kernel output used to be a fresh `new Float32Array`: zero-filled,
 * page-faulted in, and freed only when V8 collects it. With ~1 GB of such buffers per ResNet-18 step, V8's
 * external-memory accounting ran a major GC every few dozen MB, which cost about a fifth of the CPU time of a step
 * (docs/native-backend.md). The pool takes back a buffer when tfjs deletes its tensor data and hands it to the next
 * output of the same length, so a steady-state training step allocates no large buffer.
 *
 * A buffer is only reused when nothing else can still see it:
 * - it was allocated by `takeOutput` (a native kernel's output), never an array a caller gave tfjs;
 * - its tensor data was deleted (refCount 0, see NativeBackend.disposeData);
 * - it never left the backend: `readSync`/`read` (`dataSync()`, `data()`, `bufferSync`) hand out the backend's own
 *   array, so those mark it `escaped`; so does a cpu kernel that returns a view of it (a contiguous Slice returns a
 *   `subarray`) or the array itself as an output (see NativeBackend's kernel guard).
 * Every native kernel writes all of its output, so a reused buffer's old contents are never visible.
 */

/** Buffers below this many elements are left to the GC (cheap, and tfjs makes many tiny ones). */
export const POOL_MIN_ELEMENTS = 1024;

export class BufferPool {
  /** Most bytes held for reuse; beyond it the least recently returned lengths are dropped first. */
  maxBytes = 1024 * 2 ** 20;
  /** Buffers handed out again, and outputs that needed a new allocation (for tests and the bench). */
  readonly stats = {reused: 0, allocated: 0};
  private readonly free = new Map<number, Float32Array[]>();
  private readonly owned = new WeakSet<Float32Array>();
  private heldBytes = 0;

  /** A buffer of `n` elements for a kernel output, reused when one of that length was returned. */
  takeOutput(n: number): Float32Array {
    const list = n >= POOL_MIN_ELEMENTS ? this.free.get(n) : undefined;
    const reused = list?.pop();
    if (reused) {
      if (list!.length === 0) this.free.delete(n);
      this.heldBytes -= reused.byteLength;
      this.stats.reused++;
      this.owned.add(reused);
      return reused;
    }
    const fresh = new Float32Array(n);
    if (n >= POOL_MIN_ELEMENTS) {
      this.stats.allocated++;
      this.owned.add(fresh);
    }
    return fresh;
  }

  /** `values` may have been seen outside the backend: it is never reused. */
  escape(values: unknown): void {
    if (values instanceof Float32Array) this.owned.delete(values);
  }

  /** The tensor data holding `values` was deleted: keep it for reuse if the pool allocated it and it never escaped. */
  giveBack(values: unknown): void {
    if (!(values instanceof Float32Array) || !this.owned.has(values)) return;
    this.owned.delete(values);
    const n = values.length;
    const list = this.free.get(n) ?? [];
    this.free.delete(n);  // re-inserted last: Map order is least recently returned first
    list.push(values);
    this.free.set(n, list);
    this.heldBytes += values.byteLength;
    for (const [len, arrays] of this.free) {
      if (this.heldBytes <= this.maxBytes) break;
      while (arrays.length > 0 && this.heldBytes > this.maxBytes) this.heldBytes -= arrays.shift()!.byteLength;
      if (arrays.length === 0) this.free.delete(len);
    }
  }

  /** Bytes currently held for reuse. */
  get bytesHeld(): number {
    return this.heldBytes;
  }

  /** Drops every held buffer (the GC frees them). */
  clear(): void {
    this.free.clear();
    this.heldBytes = 0;
  }
}

/**
 * The decoded-image cache of a file-backed split: the RGB pixels of each image after the pipeline's fixed steps
 * (`splitSteps`: as decoded, or resized once when every random step only crops and mirrors), in shared memory, so
 * later epochs skip reading, decoding and that resize. The random steps still run every epoch from the cached
 * pixels, so batches are the same with or without the cache.
 *
 * `data.cache`: `"auto"` (default) caches while the split's projected decoded size (mean size of the images decoded
 * so far × samples) fits `data.cache_budget_mb`, and gives the cache up when it does not; `true` caches until the
 * budget is full (a partial cache when the split does not fit); `false` never caches.
 */
import * as os from 'node:os';
import type {SharedImage} from './batch';

/** `data.cache` values. */
export type CacheMode = 'auto' | boolean;

/** Decoded images the auto mode sees before it projects the split's size. */
const PROJECT_AFTER = 16;

/** Default budget per split: an eighth of the machine's memory, at most 2 GiB. */
export function defaultCacheBudgetMB(): number {
  return Math.min(2048, Math.floor(os.totalmem() / 8 / 2 ** 20));
}

/** Decoded images by sample index, within a byte budget. */
export class DecodedCache {
  private readonly images = new Map<number, SharedImage>();
  private bytes = 0;
  private seen = 0;
  private seenBytes = 0;
  private off: boolean;
  /** why the auto mode gave up, for the report */
  private gaveUp?: string;

  constructor(readonly mode: CacheMode, readonly budgetBytes: number, readonly numSamples: number) {
    this.off = mode === false || budgetBytes <= 0;
  }

  /** The cached pixels of sample `index`, if any. */
  get(index: number): SharedImage | undefined {
    return this.images.get(index);
  }

  /** Whether a newly decoded `index` should be sent back for caching. */
  wants(index: number): boolean {
    return !this.off && this.bytes < this.budgetBytes && !this.images.has(index);
  }

  /** Stores decoded pixels while the budget (and, in auto mode, the projection) allows. */
  add(index: number, image: SharedImage): void {
    if (this.off || this.images.has(index)) return;
    const size = image.data.byteLength;
    this.seen++;
    this.seenBytes += size;
    if (this.mode === 'auto' && this.seen >= PROJECT_AFTER) {
      const projected = (this.seenBytes / this.seen) * this.numSamples;
      if (projected > this.budgetBytes) {
        this.gaveUp = `off: the split's decoded images need about ${Math.round(projected / 2 ** 20)} MB, more than the ${Math.round(this.budgetBytes / 2 ** 20)} MB budget`;
        this.off = true;
        this.images.clear();
        this.bytes = 0;
        return;
      }
    }
    if (this.bytes + size > this.budgetBytes) return;
    this.images.set(index, image);
    this.bytes += size;
  }

  /** Number of cached images and their bytes. */
  get stats(): {images: number; bytes: number} {
    return {images: this.images.size, bytes: this.bytes};
  }

  /** `auto, budget 2048 MB` / the reason it is off. */
  describe(): string {
    if (this.gaveUp) return `auto, ${this.gaveUp}`;
    if (this.mode === false) return 'off (data.cache false)';
    return `${this.mode === 'auto' ? 'auto' : 'on'}, budget ${Math.round(this.budgetBytes / 2 ** 20)} MB`;
  }
}

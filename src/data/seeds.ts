/**
 * Derived seeds: one independent `Rng` stream per (seed, epoch, sample) so that a sample's augmentation does not
 * depend on which worker decodes it, or when.
 */
import {Rng} from '../rng';

/** Stream tags, so the shuffle, the transforms and the synthetic images never share a stream. */
export const STREAM = {shuffle: 0x5f3759df, transform: 0x2545f491, synthetic: 0x68e31da4} as const;

/** Hashes 32-bit integers into one 32-bit seed (murmur3's finaliser after each part). */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x01000193) >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** An `Rng` for the given stream tag and coordinates. */
export function streamRng(tag: number, ...parts: number[]): Rng {
  return new Rng(mixSeed(tag, ...parts));
}

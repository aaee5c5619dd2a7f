/**
 * Invariants shared by every registered, implemented method (parametrised over the registry), and the registry itself.
 */
import * as tf from '@tensorflow/tfjs-core';
import {METHOD_NAMES} from '../../src/config/methods';
import {mixedOneHot, registry} from '../../src/mixups';
import type {MixOutput} from '../../src/mixups/types';
import {Rng} from '../../src/rng';
import {host, makeBatch, standInHooks, useCpu} from './helpers';

beforeAll(useCpu);

/** the mix_mode methods (the learned automix/samix are their own classifier: test/mixups/registry.test.ts) */
const implemented = registry.names().filter((n) => registry.get(n).implemented && !registry.get(n).learned);
/** methods whose mask is 0/1, so the share of pixels equal to image A must be λ */
const HARD_MASK = ['cutmix', 'saliencymix', 'fmix', 'gridmix', 'attentivemix'];
/** methods that mix with x[perm] itself (ResizeMix pastes a resized copy) */
const MASK_OF_PERM = ['vanilla', 'mixup', 'cutmix', 'saliencymix', 'fmix', 'gridmix', 'smoothmix', 'attentivemix'];

function run(name: string, n = 4, seed = 1, alpha = 1, h = 16, w = 16, args: Record<string, unknown> = {}): Promise<MixOutput> {
  const method = registry.get(name);
  return method.mix(makeBatch(n, h, w), {rng: new Rng(seed), alpha, args: method.parseArgs ? method.parseArgs(args) : args, hooks: standInHooks});
}

function lams(out: MixOutput): number[] {
  return typeof out.labels.lam === 'number' ? [out.labels.lam] : Array.from(out.labels.lam);
}

describe('registry', () => {
  test('registers every catalog method exactly once', async () => {
    expect(registry.names().sort()).toEqual([...METHOD_NAMES].sort());
  });

  test('unknown names are rejected listing the known ones', async () => {
    expect(() => registry.get('mixupp')).toThrow(/unknown mix_mode "mixupp"; known methods: vanilla, mixup, cutmix/);
  });
});

describe.each(implemented)('%s', (name) => {
  test.each([1, 3, 4])('batch of %i: shapes, λ in [0, 1], label triple follows the permutation', async (n) => {
    const batch = makeBatch(n);
    const out = await run(name, n);
    expect(out.images.shape).toEqual(batch.images.shape);
    const {yA, yB, perm} = out.labels;
    expect(Array.from(yA)).toEqual(Array.from(batch.labels));
    expect(perm).toBeDefined();
    expect(Array.from(perm!).sort((a, b) => a - b)).toEqual(Array.from({length: n}, (_, i) => i));
    expect(Array.from(yB)).toEqual(Array.from(perm!, (p) => batch.labels[p]));
    const l = lams(out);
    expect(l.length === 1 || l.length === n).toBe(true);
    for (const v of l) expect(v >= 0 && v <= 1).toBe(true);
    if (out.kind === 'input' && out.mask) {
      expect([1, n]).toContain(out.mask.shape[0]);
      expect(out.mask.shape.slice(1)).toEqual([16, 16, 1]);
    }
    if (out.kind === 'feature') {
      const features = tf.randomUniform([n, 4, 4, 8]) as tf.Tensor4D;
      expect(out.plan.apply(features).shape).toEqual([n, 4, 4, 8]);
    }
  });

  test('mixed one-hot label rows sum to 1 with at most 2 non-zero entries', async () => {
    const t = host(mixedOneHot((await run(name, 5)).labels, 10));
    for (let i = 0; i < 5; i++) {
      const row = t.subarray(i * 10, i * 10 + 10);
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
      expect(row.filter((v) => v !== 0).length).toBeLessThanOrEqual(2);
    }
  });

  test('same seed gives identical output', async () => {
    const a = await run(name, 4, 11);
    const b = await run(name, 4, 11);
    expect(host(b.images)).toEqual(host(a.images));
    expect(b.labels).toEqual(a.labels);
  });

  if (name !== 'vanilla') {
    test('another seed gives a different draw', async () => {
      const a = await run(name, 6, 11);
      let differs = false;
      for (const seed of [12, 13, 14]) {
        const b = await run(name, 6, seed);
        differs ||= JSON.stringify(lams(a)) !== JSON.stringify(lams(b)) || Array.from(a.labels.perm!).join() !== Array.from(b.labels.perm!).join();
      }
      expect(differs).toBe(true);
    });
  }

  test('leaves no tensors behind besides its outputs', async () => {
    const batch = makeBatch(3);
    const before = tf.memory().numTensors;
    const method = registry.get(name);
    const out = await method.mix(batch, {rng: new Rng(5), alpha: 1, args: method.parseArgs ? method.parseArgs({}) : {}, hooks: standInHooks});
    const extra = out.kind === 'feature' ? [out.images, out.plan.apply(tf.ones([3, 2, 2, 4]) as tf.Tensor4D)] : [out.images, ...(out.mask ? [out.mask] : [])];
    const inputs = out.kind === 'feature' ? 1 : 0; // the tf.ones passed to the plan
    expect(tf.memory().numTensors).toBe(before + extra.length + inputs);
    tf.dispose(extra);
  });

  test('α → 0 still gives valid λ', async () => {
    for (const seed of [1, 2, 3]) {
      const out = await run(name, 4, seed, 1e-6);
      for (const v of lams(out)) expect(v >= 0 && v <= 1).toBe(true);
      expect(Number.isFinite(host(out.images)[0])).toBe(true);
    }
  });

  if (name !== 'vanilla' && name !== 'smoothmix') {
    test('α <= 0 is rejected naming model.alpha', async () => {
      await expect(run(name, 4, 1, 0)).rejects.toThrow(/model\.alpha must be a number > 0, got 0/);
    });
  }

  if (MASK_OF_PERM.includes(name)) {
    test('mixed = mask·x + (1 − mask)·x[perm], and λ = mean(mask)', async () => {
      for (const seed of [1, 2, 3]) {
        const batch = makeBatch(4);
        const out = await run(name, 4, seed);
        if (out.kind !== 'input' || !out.mask) throw new Error('expected an input mix with a mask');
        const x = host(batch.images);
        const mixed = host(out.images);
        const mask = host(out.mask);
        const perPixel = out.mask.shape[0] === 1;
        const hw = 16 * 16;
        const perm = out.labels.perm!;
        let maxErr = 0;
        for (let i = 0; i < 4; i++) {
          for (let p = 0; p < hw; p++) {
            const m = mask[(perPixel ? 0 : i * hw) + p];
            for (let k = 0; k < 3; k++) {
              const expected = m * x[(i * hw + p) * 3 + k] + (1 - m) * x[(perm[i] * hw + p) * 3 + k];
              maxErr = Math.max(maxErr, Math.abs(mixed[(i * hw + p) * 3 + k] - expected));
            }
          }
        }
        expect(maxErr).toBeLessThan(1e-6);
        const l = lams(out);
        const maskMean = (i: number) => mask.subarray(perPixel ? 0 : i * hw, (perPixel ? 0 : i * hw) + hw).reduce((s, v) => s + v, 0) / hw;
        // FMix keeps λ as drawn: the mask has ⌈λ·HW⌉ or ⌊λ·HW⌋ ones
        const tol = name === 'fmix' ? 1 / hw + 1e-6 : 1e-6;
        l.forEach((v, i) => expect(Math.abs(maskMean(i) - v)).toBeLessThanOrEqual(tol));
      }
    });
  }

  if (HARD_MASK.includes(name)) {
    test('λ equals the share of pixels taken from x (compared against both sources)', async () => {
      for (const seed of [1, 2, 3]) {
        const batch = makeBatch(4);
        const out = await run(name, 4, seed);
        const x = host(batch.images);
        const mixed = host(out.images);
        const perm = out.labels.perm!;
        const hw = 16 * 16;
        const l = lams(out);
        for (let i = 0; i < 4; i++) {
          if (perm[i] === i) continue; // paired with itself: both sources agree
          let fromA = 0;
          let neither = 0;
          for (let p = 0; p < hw; p++) {
            let isA = true;
            let isB = true;
            for (let k = 0; k < 3; k++) {
              const v = mixed[(i * hw + p) * 3 + k];
              isA &&= v === x[(i * hw + p) * 3 + k];
              isB &&= v === x[(perm[i] * hw + p) * 3 + k];
            }
            if (isA) fromA++;
            else if (!isB) neither++;
          }
          expect(neither).toBe(0);
          const tol = name === 'fmix' ? 1 / hw + 1e-6 : 1e-9;
          expect(Math.abs(fromA / hw - l[l.length === 1 ? 0 : i])).toBeLessThanOrEqual(tol);
        }
      }
    });
  }
});

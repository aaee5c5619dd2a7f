import * as tf from '@tensorflow/tfjs-core';
import {puzzleBlockMask, puzzlemix, transportPlan, type PuzzlemixArgs} from '../../src/mixups/puzzlemix';
import {Rng} from '../../src/rng';
import {host, makeBatch, useCpu} from './helpers';

beforeAll(useCpu);

const args: PuzzlemixArgs = {...puzzlemix.spec.parseArgs({}), transport: false, eta: 0.01};

describe('puzzlemix', () => {
  test('the labelling keeps the salient half of each image', async () => {
    // 2×2 blocks: x salient on the left column, x[perm] salient on the right column
    const u1 = Float64Array.from([0.45, 0.05, 0.45, 0.05]);
    const u2 = Float64Array.from([0.05, 0.45, 0.05, 0.45]);
    const mask = puzzleBlockMask(u1, u2, () => 0, 0.5, {...args, n_labels: 2}, 2);
    expect(Array.from(mask)).toEqual([1, 0, 1, 0]);
  });

  test('a strong prior pulls the mask towards its share', async () => {
    const flat = Float64Array.from([0.25, 0.25, 0.25, 0.25]);
    expect(Array.from(puzzleBlockMask(flat, flat, () => 0, 0.95, {...args, eta: 1}, 2))).toEqual([1, 1, 1, 1]);
    expect(Array.from(puzzleBlockMask(flat, flat, () => 0, 0.05, {...args, eta: 1}, 2))).toEqual([0, 0, 0, 0]);
  });

  test('per-sample λ = mask mean, mixed = m·x + (1 − m)·x[perm] without transport', async () => {
    const batch = makeBatch(3, 8, 8);
    const out = await puzzlemix.spec.apply(batch, {perm: Int32Array.from([1, 2, 0]), prior: 0.5, blocks: 4}, args, {inputGradient: (x) => tf.clone(x)});
    if (out.kind !== 'input' || !(out.labels.lam instanceof Float32Array)) throw new Error('expected per-sample λ');
    const mask = host(out.mask!);
    const x = host(batch.images);
    const mixed = host(out.images);
    for (let i = 0; i < 3; i++) {
      const m = mask.subarray(i * 64, i * 64 + 64);
      expect(out.labels.lam[i]).toBeCloseTo(m.reduce((s, v) => s + v, 0) / 64, 6);
      for (let p = 0; p < 64; p++) {
        expect([0, 0.5, 1]).toContain(m[p]);
        const j = out.labels.perm![i];
        expect(mixed[(i * 64 + p) * 3]).toBeCloseTo(m[p] * x[(i * 64 + p) * 3] + (1 - m[p]) * x[(j * 64 + p) * 3], 6);
      }
    }
  });

  test('transport moves the most salient block to a place where the image is shown', async () => {
    // 2×2 blocks: block 0 salient, only block 3 visible
    const plan = transportPlan(Float64Array.from([1, 0, 0, 0]), Uint8Array.from([0, 0, 0, 1]), 2, 0.1);
    expect(plan[3]).toBe(0);
  });

  test('block count 2^k with k in [1, block_num), and the gradient hook is required', async () => {
    const rng = new Rng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 40; i++) seen.add(puzzlemix.spec.sampleParams(rng, [2, 8, 8, 3], 1, args).blocks);
    expect([...seen].sort((a, b) => a - b)).toEqual([2, 4, 8]);
    await expect(puzzlemix.mix(makeBatch(2), {rng, alpha: 1, args: {}})).rejects.toThrow(/needs the model hook inputGradient/);
    expect(() => puzzlemix.parseArgs!({n_labels: 1})).toThrow('model.mix_args.puzzlemix.n_labels must be an integer in [2, 8], got 1');
  });
});

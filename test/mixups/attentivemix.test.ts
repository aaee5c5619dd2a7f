import * as tf from '@tensorflow/tfjs-core';
import {attentionMasks, attentivemix, topK} from '../../src/mixups/attentivemix';
import {Rng} from '../../src/rng';
import {host, makeBatch, useCpu} from './helpers';

beforeAll(useCpu);

describe('attentivemix', () => {
  test('top-k cells, upsampled to pixels', async () => {
    expect(topK([0.1, 0.9, 0.5, 0.9], 2)).toEqual([1, 3]);
    const m = attentionMasks(Float32Array.from([0, 1, 0, 0]), 1, 2, 2, 1, 4, 4);
    expect(Array.from(m)).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  test('keeps the k most attended cells of x; λ = k / cells', async () => {
    const batch = makeBatch(2, 8, 8);
    // features: 2×2 map, attention highest at cell 3 for sample 0 and cell 0 for sample 1
    const features = tf.tensor4d([0, 0, 0, 5, 5, 0, 0, 0], [2, 2, 2, 1]);
    const out = await attentivemix.spec.apply(batch, {lam0: 0.3, perm: Int32Array.from([1, 0])}, {grid_size: 32, top_k: 1, beta: 8}, {extractorFeatures: () => features});
    expect(out.labels.lam).toBe(0.25);
    const mask = out.kind === 'input' ? host(out.mask!) : new Float32Array();
    expect(mask[7 * 8 + 7]).toBe(1); // sample 0, bottom-right cell
    expect(mask[64 + 0]).toBe(1); // sample 1, top-left cell
    expect(mask[0]).toBe(0);
  });

  test('λ₀ ~ Beta(α, 8) (mean α/(α + 8)), and the hook is required', async () => {
    const rng = new Rng(2);
    let s = 0;
    for (let i = 0; i < 400; i++) s += attentivemix.spec.sampleParams(rng, [2, 8, 8, 3], 2, {grid_size: 32, top_k: null, beta: 8}).lam0;
    expect(s / 400).toBeCloseTo(0.2, 1);
    await expect(attentivemix.mix(makeBatch(2), {rng, alpha: 2, args: {}})).rejects.toThrow(/needs the model hook extractorFeatures/);
  });
});

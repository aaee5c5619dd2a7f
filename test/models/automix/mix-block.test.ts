import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's CommonJS build registers no gradients; the @tensorflow/tfjs bundle registers them all (and cpu)
import '@tensorflow/tfjs';
import {mixImages} from '../../../src/models/automix/mask-ops';
import {PixelMixBlock} from '../../../src/models/automix/mix-block';
import {Rng} from '../../../src/rng';
import {input, useCpu} from '../helpers';
import {attentionRows} from './reference';

beforeAll(useCpu);

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const INDEX = Int32Array.from([2, 0, 3, 1]);

describe('PixelMixBlock.mask', () => {
  it.each([
    ['concat', 'nearest'],
    ['concat', 'bilinear'],
    ['mul', 'nearest'],
    ['mul', 'bilinear'],
  ] as const)('lam %s, %s upsampling: N×H×W×1 in [0, 1]', (lamEmbedding, upsampling) => {
    // larger init so the mask is not a constant 0.5
    const block = new PixelMixBlock({inChannels: 6, lamEmbedding, upsampling, initStd: 1}, new Rng(3));
    const z = input(4, 2, 2, 6);
    const m = block.mask(z, INDEX, 0.3, [8, 8]);
    expect(m.shape).toEqual([4, 8, 8, 1]);
    const v = values(m);
    expect(v.every((x) => x >= 0 && x <= 1)).toBe(true);
    expect(Math.max(...v) - Math.min(...v)).toBeGreaterThan(1e-3);
    // nearest: each feature pixel covers a 4×4 block
    if (upsampling === 'nearest') expect(v[0]).toBe(v[3 * 8 + 3]);
    block.dispose();
    z.dispose();
  });

  it('matches the formula computed by hand (concat λ, no upsampling)', () => {
    const C = 3;
    const block = new PixelMixBlock({inChannels: C, reduction: 1, initStd: 0.7}, new Rng(5));
    const z = input(2, 2, 2, C, 1.3);
    const index = Int32Array.from([1, 0]);
    const lam = 0.35;
    const got = values(block.mask(z, index, lam, [2, 2]));
    const zv = values(z);
    const wq = values(block.params.get('query.weight')!), bq = values(block.params.get('query.bias')!);
    const wv = values(block.params.get('value.weight')!), bv = values(block.params.get('value.bias')!)[0];
    const d = C;  // reduction 1
    const feat = (n: number, p: number, l: number) => [...zv.slice((n * 4 + p) * C, (n * 4 + p + 1) * C), l];
    const proj = (x: number[], o: number) => x.reduce((s, xi, i) => s + xi * wq[i * d + o], bq[o]);
    const expected: number[] = [];
    for (let n = 0; n < 2; n++) {
      const xi = [0, 1, 2, 3].map((p) => feat(n, p, lam));
      const xj = [0, 1, 2, 3].map((p) => feat(index[n], p, 1 - lam));
      const q = xi.map((x) => [0, 1, 2].map((o) => proj(x, o)));
      const k = xj.map((x) => [0, 1, 2].map((o) => proj(x, o)));
      const v = xi.map((x) => x.reduce((s, xc, i) => s + xc * wv[i], bv));
      const P = attentionRows(q, k, d);
      for (let b = 0; b < 4; b++) {
        const logit = [0, 1, 2, 3].reduce((acc, a) => acc + P[a][b] * v[a], 0);  // (Pᵀ v)_b
        expected.push(1 / (1 + Math.exp(-logit)));
      }
    }
    expect(got.length).toBe(8);
    got.forEach((g, i) => expect(g).toBeCloseTo(expected[i], 5));
    block.dispose();
  });

  it('is initialised from the Rng: same seed, same weights; named params; biases 0', () => {
    const a = new PixelMixBlock({inChannels: 8}, new Rng(11));
    const b = new PixelMixBlock({inChannels: 8}, new Rng(11));
    const c = new PixelMixBlock({inChannels: 8}, new Rng(12));
    expect([...a.params.keys()]).toEqual(['query.weight', 'query.bias', 'value.weight', 'value.bias']);
    expect(a.params.get('query.weight')!.shape).toEqual([1, 1, 9, 4]);
    expect(a.params.get('value.weight')!.shape).toEqual([1, 1, 9, 1]);
    expect(values(a.params.get('query.weight')!)).toEqual(values(b.params.get('query.weight')!));
    expect(values(a.params.get('query.weight')!)).not.toEqual(values(c.params.get('query.weight')!));
    expect(values(a.params.get('query.bias')!).every((x) => x === 0)).toBe(true);
    for (const m of [a, b, c]) m.dispose();
  });

  it('gradients reach every Mix Block variable through the mixed images', () => {
    const block = new PixelMixBlock({inChannels: 6, upsampling: 'bilinear'}, new Rng(7));
    const z = input(4, 2, 2, 6);
    const x = input(4, 8, 8, 3, 0.5);
    const target = input(4, 8, 8, 3, 2.0);
    const {value, grads} = tf.variableGrads(() => {
      const mixed = mixImages(x, INDEX, block.mask(z, INDEX, 0.4, [8, 8]));
      return tf.mean(tf.square(tf.sub(mixed, target))) as tf.Scalar;
    }, [...block.params.values()]);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    for (const v of block.params.values()) {
      const g = grads[v.name];
      expect(g).toBeDefined();
      const gv = values(g);
      expect(gv.every(Number.isFinite)).toBe(true);
      expect(Math.max(...gv.map(Math.abs))).toBeGreaterThan(0);
    }
    block.dispose();
  });

  it('names the shape, index or lam that is wrong', () => {
    const block = new PixelMixBlock({inChannels: 6}, new Rng(0));
    const z = input(4, 2, 2, 5);
    expect(() => block.mask(z, INDEX, 0.5, [8, 8])).toThrow(/N×h×w×6 \(NHWC\), got shape \[4, 2, 2, 5\]/);
    const z6 = input(4, 2, 2, 6);
    expect(() => block.mask(z6, Int32Array.from([0, 1]), 0.5, [8, 8])).toThrow(/index has length 2, expected the batch size 4/);
    expect(() => block.mask(z6, Int32Array.from([0, 1, 2, 4]), 0.5, [8, 8])).toThrow(/index\[3\] = 4/);
    expect(() => block.mask(z6, INDEX, 1.5, [8, 8])).toThrow(/lam must be in \[0, 1\], got 1.5/);
    expect(() => block.mask(z6, INDEX, 0.5, [1, 8])).toThrow(/size must be integers/);
    expect(() => new PixelMixBlock({inChannels: 0}, new Rng(0))).toThrow(/inChannels must be a positive integer, got 0/);
    block.dispose();
  });
});

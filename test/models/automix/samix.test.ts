import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';
import {PixelMixBlock, rescaleLam} from '../../../src/models/automix/mix-block';
import {mixBlockFromConfig} from '../../../src/models/automix/mix-block-config';
import {Rng} from '../../../src/rng';
import {input, useCpu} from '../helpers';
import {attentionRows, samixCfg} from './reference';

beforeAll(useCpu);

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const INDEX = Int32Array.from([2, 0, 3, 1]);

describe('SAMix Mix Block', () => {
  it('builds from the SAMix dict: names, BN buffers, ConvNeck layout', () => {
    const block = mixBlockFromConfig(samixCfg(), 'c.json', new Rng(1));
    expect([...block.params.keys()]).toEqual(['query.weight', 'query.bias', 'key.weight', 'key.bias',
      'value.conv.0.conv.weight', 'value.conv.0.bn.weight', 'value.conv.0.bn.bias', 'value.conv.1.conv.weight']);
    expect([...block.buffers.keys()]).toEqual(['value.conv.0.bn.running_mean', 'value.conv.0.bn.running_var']);
    expect(block.params.get('query.weight')!.shape).toEqual([1, 1, 12, 3]);  // [x_i ‖ x_j]: 2C in
    expect(block.params.get('value.conv.0.conv.weight')!.shape).toEqual([1, 1, 6, 4]);
    expect(block.params.get('value.conv.1.conv.weight')!.shape).toEqual([1, 1, 4, 1]);
    expect(block.lamMul).toBe(1);
    expect(block.lamMulK).toEqual([1]);
    expect(block.upsampling).toBe('bilinear');
    expect(block.maskLossMode).toBe('L1+Variance');
    expect(block.valueNeck).toMatchObject({activation: 'ELU', bias: false, dropout: 0.1});
    block.dispose();
  });

  it('mask: N×H×W×1 in [0, 1]; training updates BN statistics and draws dropout from the Rng', () => {
    const block = mixBlockFromConfig(samixCfg(), 'c.json', new Rng(1));
    // larger weights so the mask is not flat
    tf.tidy(() => { for (const v of block.params.values()) if (v.name.endsWith('weight') && v.shape.length === 4) v.assign(tf.mul(v, 100)); });
    const z = input(4, 2, 2, 6);
    const evalA = values(block.mask(z, INDEX, 0.3, [8, 8]));
    expect(evalA.length).toBe(4 * 8 * 8);
    expect(evalA.every((x) => x >= 0 && x <= 1)).toBe(true);
    expect(Math.max(...evalA) - Math.min(...evalA)).toBeGreaterThan(1e-3);
    expect(values(block.mask(z, INDEX, 0.3, [8, 8]))).toEqual(evalA);  // eval: deterministic, no buffer change
    const rm = () => values(block.buffers.get('value.conv.0.bn.running_mean')!);
    const before = rm();
    expect(() => block.mask(z, INDEX, 0.3, [8, 8], {training: true})).toThrow(/needs opts.rng/);
    const t1 = values(block.mask(z, INDEX, 0.3, [8, 8], {training: true, rng: new Rng(5)}));
    expect(rm()).not.toEqual(before);
    expect(t1.every((x) => x >= 0 && x <= 1)).toBe(true);
    const snapshot = tf.tidy(() => [...block.buffers.values()].map((b) => tf.keep(b.clone())));
    const t2 = values(block.mask(z, INDEX, 0.3, [8, 8], {training: true, rng: new Rng(5)}));
    [...block.buffers.values()].forEach((b, i) => b.assign(snapshot[i]));
    const t3 = values(block.mask(z, INDEX, 0.3, [8, 8], {training: true, rng: new Rng(5)}));
    expect(t3).toEqual(t2);  // same Rng state and buffers: same dropout mask
    tf.dispose(snapshot);
    block.dispose();
  });

  it('lam_mul residual + rescale and x_qk_concat match the formulas computed by hand', () => {
    const C = 2;
    const k = 1;
    const block = new PixelMixBlock({inChannels: C, reduction: 1, initStd: 0.7, lamMul: 0.8, lamResidual: true, lamMulK: k, xQkConcat: true}, new Rng(9));
    expect(block.lamEmbedding).toBe('none');
    const z = input(2, 2, 2, C, 0.4);
    const index = Int32Array.from([1, 0]);
    const lam = 0.3;
    const got = values(block.mask(z, index, lam, [2, 2]));
    // λ̃ = (4/3·λ³ − 2λ² + (k+1)λ)/((k+1) − 2/3)
    const lr = (4 / 3 * lam ** 3 - 2 * lam ** 2 + (k + 1) * lam) / ((k + 1) - 2 / 3);
    expect(rescaleLam(lam, k)).toBeCloseTo(lr, 12);
    expect(rescaleLam(0, 3)).toBe(0);
    expect(rescaleLam(1, 3)).toBeCloseTo(1, 12);
    const zv = values(z);
    const w = (n: string) => values(block.params.get(n)!);
    const [wq, bq, wk, bk, wv] = [w('query.weight'), w('query.bias'), w('key.weight'), w('key.bias'), w('value.weight')];
    const bv = w('value.bias')[0];
    const d = C;
    const feat = (n: number, p: number) => zv.slice((n * 4 + p) * C, (n * 4 + p + 1) * C);
    const conv = (x: number[], W: number[], b: number[], o: number, cout: number) => x.reduce((s, xi, i) => s + xi * W[i * cout + o], b[o]);
    const expected: number[] = [];
    for (let n = 0; n < 2; n++) {
      const xi = [0, 1, 2, 3].map((p) => feat(n, p).map((x) => x * (1 + lr * 0.8)));          // x_i·(1 + λ̃·lam_mul)
      const xj = [0, 1, 2, 3].map((p) => feat(index[n], p).map((x) => x * (1 + (1 - lr) * 0.8)));  // x_j·(1 + (1−λ̃)·lam_mul)
      const v = xi.map((x) => x.reduce((s, xc, i) => s + xc * wv[i], bv));
      const cat = xi.map((x, p) => [...x, ...xj[p]]);
      const q = cat.map((x) => [0, 1].map((o) => conv(x, wq, bq, o, d)));
      const kk = cat.map((x) => [0, 1].map((o) => conv(x, wk, bk, o, d)));
      const P = attentionRows(q, kk, d);
      for (let b = 0; b < 4; b++) expected.push(1 / (1 + Math.exp(-[0, 1, 2, 3].reduce((acc, a) => acc + P[a][b] * v[a], 0))));
    }
    got.forEach((g, i) => expect(g).toBeCloseTo(expected[i], 5));
    block.dispose();
  });

  it('draws the upsampling mode from the list with the Rng (first without one)', () => {
    const block = new PixelMixBlock({inChannels: 6, initStd: 1, upsampling: ['nearest', 'bilinear']}, new Rng(3));
    const z = input(4, 2, 2, 6);
    const near = values(block.mask(z, INDEX, 0.4, [8, 8], {upsampling: 'nearest'}));
    const bil = values(block.mask(z, INDEX, 0.4, [8, 8], {upsampling: 'bilinear'}));
    expect(near).not.toEqual(bil);
    expect(values(block.mask(z, INDEX, 0.4, [8, 8]))).toEqual(near);
    const rng = new Rng(11);
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const m = values(block.mask(z, INDEX, 0.4, [8, 8], {rng}));
      seen.add(m[1] === near[1] && m.every((x, j) => x === near[j]) ? 'nearest' : 'bilinear');
    }
    expect(seen).toEqual(new Set(['nearest', 'bilinear']));
    block.dispose();
  });
});

/**
 * Every mixing method of the catalog on the webgpu backend (SwiftShader in CI; jest.config.js sets VK_ICD_FILENAMES):
 * the same seed gives the same mix as on the cpu backend — images, mask and label triple, and for feature-level
 * methods the plan applied to the same features. The learned mixers (AutoMix, SAMix) train through their own
 * classifier: test/commands/train-webgpu.test.ts. Tiny shapes: 2-4 images of 8×8.
 */
import * as tf from '@tensorflow/tfjs-core';
import {METHOD_NAMES} from '../../src/config/methods';
import {registry} from '../../src/mixups';
import type {MixOutput} from '../../src/mixups/types';
import {Rng} from '../../src/rng';
import {relError, useWebgpu} from '../backend/webgpu/helpers';
import {makeBatch, standInHooks} from './helpers';

/** What a mix gives on one backend, read back with `await data()`. */
interface HostMix {
  kind: string;
  images: Float32Array;
  mask?: Float32Array;
  planned?: Float32Array;
  labels: MixOutput['labels'];
}

async function mixOn(backend: string, name: string, n: number, seed: number): Promise<HostMix> {
  await tf.setBackend(backend);
  const instance = tf.backend() as unknown as {firstUse?: boolean};
  if (instance.firstUse === true) instance.firstUse = false; // tfjs's "install tfjs-node" banner
  const method = registry.get(name);
  const batch = makeBatch(n, 8, 8);
  const out = await method.mix(batch, {rng: new Rng(seed), alpha: 1, args: method.parseArgs ? method.parseArgs({}) : {}, hooks: standInHooks});
  const host: HostMix = {kind: out.kind, images: (await out.images.data()) as Float32Array, labels: out.labels};
  if (out.kind === 'input' && out.mask) host.mask = (await out.mask.data()) as Float32Array;
  if (out.kind === 'feature') {
    const features = tf.tensor4d(Float32Array.from({length: n * 2 * 2 * 4}, (_, i) => Math.sin(i)), [n, 2, 2, 4]);
    const planned = out.plan.apply(features);
    host.planned = (await planned.data()) as Float32Array;
    tf.dispose([features, planned]);
  }
  tf.dispose([batch.images, out.images, ...(out.kind === 'input' && out.mask ? [out.mask] : [])]);
  return host;
}

/** the mix_mode methods; alignmix is refused on webgpu (below) */
const methods = METHOD_NAMES.filter((n) => registry.get(n).implemented && !registry.get(n).learned && n !== 'alignmix');

describe('mixing methods on webgpu match cpu', () => {
  beforeAll(async () => {
    await useWebgpu();
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('covers every implemented method of the catalog', () => {
    expect(methods.length).toBeGreaterThanOrEqual(10);
    expect(methods).toEqual(expect.arrayContaining(['mixup', 'cutmix', 'fmix', 'puzzlemix', 'attentivemix', 'manifoldmix', 'resizemix']));
  });

  it.each(methods)('%s', async (name) => {
    for (const [n, seed] of [[2, 1], [4, 2]]) {
      const ref = await mixOn('cpu', name, n, seed);
      const got = await mixOn('webgpu', name, n, seed);
      expect(got.kind).toBe(ref.kind);
      expect(got.labels).toEqual(ref.labels);
      expect(relError(got.images, ref.images)).toBeLessThanOrEqual(1e-5);
      if (ref.mask) expect(relError(got.mask!, ref.mask)).toBeLessThanOrEqual(1e-5);
      if (ref.planned) expect(relError(got.planned!, ref.planned)).toBeLessThanOrEqual(1e-5);
    }
  });

  it('alignmix is refused on webgpu by name (its Sinkhorn plan is solved synchronously inside the forward pass)', async () => {
    await tf.setBackend('webgpu');
    const method = registry.get('alignmix');
    const batch = makeBatch(2, 8, 8);
    const out = await method.mix(batch, {rng: new Rng(1), alpha: 1, args: method.parseArgs!({})});
    if (out.kind !== 'feature') throw new Error('alignmix is a feature-level method');
    const features = tf.ones([2, 2, 2, 4]) as tf.Tensor4D;
    expect(() => out.plan.apply(features)).toThrow(/alignmix on --backend webgpu .* use native, wasm or cpu/);
    tf.dispose([batch.images, out.images, features]);
  });
});

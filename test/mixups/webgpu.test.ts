/**
 * Every mixing method of the catalog on the webgpu backend (SwiftShader in CI; jest.config.js sets VK_ICD_FILENAMES):
 * the same seed gives the same mix as on the cpu backend — images, mask and label triple, and for feature-level
 * methods the plan applied to the same features. The learned mixers (AutoMix, SAMix) train through their own
 * classifier: test/commands/train-webgpu.test.ts. Tiny shapes: 2-4 images of 8×8.
 */
import * as tf from '@tensorflow/tfjs-core';
import {METHOD_NAMES} from '../../src/config/methods';
import {registry} from '../../src/mixups';
import {alignedPlan} from '../../src/mixups/alignmix';
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

/** the mix_mode methods (alignmix: its Sinkhorn plan solved on the device on webgpu, on the host on cpu) */
const methods = METHOD_NAMES.filter((n) => registry.get(n).implemented && !registry.get(n).learned);

describe('mixing methods on webgpu match cpu', () => {
  beforeAll(async () => {
    await useWebgpu();
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('covers every implemented method of the catalog', () => {
    expect(methods.length).toBeGreaterThanOrEqual(10);
    expect(methods).toEqual(expect.arrayContaining(['mixup', 'alignmix', 'cutmix', 'fmix', 'puzzlemix', 'attentivemix', 'manifoldmix', 'resizemix']));
  });

  it.each(methods)('%s', async (name) => {
    for (const [n, seed] of [[2, 1], [4, 2]]) {
      const ref = await mixOn('cpu', name, n, seed);
      const got = await mixOn('webgpu', name, n, seed);
      expect(got.kind).toBe(ref.kind);
      expect(got.labels).toEqual(ref.labels);
      expect(relError(got.images, ref.images)).toBeLessThanOrEqual(1e-5);
      if (ref.mask) expect(relError(got.mask!, ref.mask)).toBeLessThanOrEqual(1e-5);
      if (ref.planned) {
        if (process.env.WEBGPU_PARITY_PRINT) console.log(`${name} N=${n}: planned features relative error ${relError(got.planned!, ref.planned)}`);
        expect(relError(got.planned!, ref.planned)).toBeLessThanOrEqual(1e-5);
      }
    }
  });

  it('alignmix: feature gradients on webgpu (device plan, detached) equal cpu (host plan, a constant)', async () => {
    const gradOn = async (backend: string): Promise<Float32Array> => {
      await tf.setBackend(backend);
      const x = tf.tensor4d(Float32Array.from({length: 2 * 3 * 3 * 4}, (_, i) => Math.sin(i)), [2, 3, 3, 4]);
      const w = tf.tensor4d(Float32Array.from({length: 2 * 3 * 3 * 4}, (_, i) => Math.cos(3 * i)), [2, 3, 3, 4]);
      const plan = alignedPlan({lam: 0.6, perm: Int32Array.from([1, 0]), mode: 0}, {eps: 0.1, max_iter: 100});
      const features = tf.variable(x, true, `alignmix-x-${backend}`); // as the engine: gradients of variables
      const {value, grads} = tf.variableGrads(() => tf.sum(tf.mul(plan.apply(features), w)) as tf.Scalar, [features]);
      const g = (await grads[features.name]?.data()) as Float32Array | undefined;
      tf.dispose([x, w, features, value, ...Object.values(grads)]);
      if (!g) throw new Error('no gradient for the features');
      return g;
    };
    const error = relError(await gradOn('webgpu'), await gradOn('cpu'));
    if (process.env.WEBGPU_PARITY_PRINT) console.log(`alignmix feature gradient relative error ${error}`);
    expect(error).toBeLessThanOrEqual(1e-5);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import {BACKEND_NAMES, probeBackends, requestedBackend, selectBackend} from '../../src/engine/backend';
import {MixupError} from '../../src/errors';

describe('backend selection', () => {
  const env = process.env.MIXUP_BACKEND;
  afterEach(() => {
    if (env === undefined) delete process.env.MIXUP_BACKEND;
    else process.env.MIXUP_BACKEND = env;
  });

  it('takes the flag, then the config, then MIXUP_BACKEND, then auto', () => {
    process.env.MIXUP_BACKEND = 'wasm';
    expect(requestedBackend('cpu', 'native', 'c.json')).toBe('cpu');
    expect(requestedBackend(undefined, 'native', 'c.json')).toBe('native');
    expect(requestedBackend(undefined, undefined, 'c.json')).toBe('wasm');
    delete process.env.MIXUP_BACKEND;
    expect(requestedBackend(undefined, undefined, 'c.json')).toBe('auto');
  });

  it('names the source of a bad backend name and lists the valid ones', () => {
    expect(() => requestedBackend('gpu', undefined)).toThrow('--backend: unknown backend "gpu"; expected one of auto, tensorflow, native, wasm, cpu');
    expect(() => requestedBackend(undefined, 'cuda', 'c.json')).toThrow('c.json: backend: unknown backend "cuda"');
    process.env.MIXUP_BACKEND = 'tpu';
    expect(() => requestedBackend(undefined, undefined)).toThrow('MIXUP_BACKEND: unknown backend "tpu"');
    // validated like --backend even when the flag or the config decides: a typo in it is never ignored
    expect(() => requestedBackend('cpu', undefined)).toThrow('MIXUP_BACKEND: unknown backend "tpu"');
    expect(() => requestedBackend(undefined, 'wasm', 'c.json')).toThrow('MIXUP_BACKEND: unknown backend "tpu"');
    expect(BACKEND_NAMES).toEqual(['auto', 'tensorflow', 'native', 'wasm', 'cpu']);
  });

  it('auto picks the first usable backend in the order tfjs-node-gpu, tfjs-node, native, wasm, cpu', async () => {
    const probes = probeBackends();
    expect(probes.map((p) => p.candidate)).toEqual(['tfjs-node-gpu', 'tfjs-node', 'native', 'wasm', 'cpu']);
    for (const p of probes) if (!p.ok) expect(p.install).toEqual(expect.any(String));
    const first = probes.find((p) => p.ok)!;
    const choice = await selectBackend('auto');
    expect(choice.name).toBe(first.backend);
    expect(tf.getBackend()).toBe(first.backend);
    expect(choice.reason).toMatch(/^auto: /);
    const skipped = probes.slice(0, probes.indexOf(first)).map((p) => p.candidate);
    for (const name of skipped) expect(choice.reason).toContain(`${name}: `);
  });

  it('a named backend that cannot load is an error saying how to install it', async () => {
    const tensorflow = probeBackends().filter((p) => p.backend === 'tensorflow');
    if (tensorflow.some((p) => p.ok)) return; // tfjs-node is installed here: nothing to refuse
    const error = await selectBackend('tensorflow').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MixupError);
    expect((error as MixupError).exitCode).toBe(4);
    expect((error as MixupError).message).toMatch(/backend "tensorflow" cannot be used: tfjs-node-gpu: @tensorflow\/tfjs-node-gpu is not installed; tfjs-node: /);
    expect((error as MixupError).suggestions.join(' ')).toContain('npm install @tensorflow/tfjs-node-gpu@4.22.0');
  });
});

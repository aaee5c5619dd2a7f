import * as tf from '@tensorflow/tfjs-core';
import {isSoftwareAdapter} from '../../src/backend/webgpu';
import {validateConfig} from '../../src/config/validate';
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

  it('selects webgpu by --backend, config backend and MIXUP_BACKEND', () => {
    expect(requestedBackend('webgpu', undefined)).toBe('webgpu');
    expect(requestedBackend(undefined, 'webgpu', 'c.json')).toBe('webgpu');
    process.env.MIXUP_BACKEND = 'webgpu';
    expect(requestedBackend(undefined, undefined)).toBe('webgpu');
    const issues = validateConfig({backend: 'webgpu'}).filter((i) => i.path === 'backend' || String(i.path).startsWith('backend'));
    expect(issues).toEqual([]);
  });

  it('names the source of a bad backend name and lists the valid ones', () => {
    expect(() => requestedBackend('gpu', undefined)).toThrow('--backend: unknown backend "gpu"; expected one of auto, tensorflow, webgpu, native, wasm, cpu');
    expect(() => requestedBackend(undefined, 'cuda', 'c.json')).toThrow('c.json: backend: unknown backend "cuda"');
    process.env.MIXUP_BACKEND = 'tpu';
    expect(() => requestedBackend(undefined, undefined)).toThrow('MIXUP_BACKEND: unknown backend "tpu"');
    // validated like --backend even when the flag or the config decides: a typo in it is never ignored
    expect(() => requestedBackend('cpu', undefined)).toThrow('MIXUP_BACKEND: unknown backend "tpu"');
    expect(() => requestedBackend(undefined, 'wasm', 'c.json')).toThrow('MIXUP_BACKEND: unknown backend "tpu"');
    expect(BACKEND_NAMES).toEqual(['auto', 'tensorflow', 'webgpu', 'native', 'wasm', 'cpu']);
  });

  it('auto picks the first usable backend in the order tfjs-node-gpu, tfjs-node, webgpu, native, wasm, cpu', async () => {
    const probes = await probeBackends();
    expect(probes.map((p) => p.candidate)).toEqual(['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'native', 'wasm', 'cpu']);
    for (const p of probes) if (!p.ok) expect(p.install).toEqual(expect.any(String));
    const first = probes.find((p) => p.ok && p.autoSkips === undefined)!;
    const choice = await selectBackend('auto');
    expect(choice.name).toBe(first.backend);
    expect(tf.getBackend()).toBe(first.backend);
    expect(choice.reason).toMatch(/^auto: /);
    const skipped = probes.slice(0, probes.indexOf(first)).map((p) => p.candidate);
    for (const name of skipped) expect(choice.reason).toContain(`${name}: `);
  });

  it('a named backend that cannot load is an error saying how to install it', async () => {
    const tensorflow = (await probeBackends()).filter((p) => p.backend === 'tensorflow');
    if (tensorflow.some((p) => p.ok)) return; // tfjs-node is installed here: nothing to refuse
    const error = await selectBackend('tensorflow').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MixupError);
    expect((error as MixupError).exitCode).toBe(4);
    expect((error as MixupError).message).toMatch(/backend "tensorflow" cannot be used: tfjs-node-gpu: @tensorflow\/tfjs-node-gpu is not installed; tfjs-node: /);
    expect((error as MixupError).suggestions.join(' ')).toContain('npm install @tensorflow/tfjs-node-gpu@4.22.0');
  });

  it('tells a software adapter from a hardware one', () => {
    expect(isSoftwareAdapter({vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0'})).toBe(true);
    expect(isSoftwareAdapter({vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)'})).toBe(true);
    expect(isSoftwareAdapter({vendor: 'x', isFallbackAdapter: true})).toBe(true);
    expect(isSoftwareAdapter({vendor: 'nvidia', architecture: 'ampere', device: 'NVIDIA A100', description: 'NVIDIA: 535.104.05'})).toBe(false);
  });

  // jest.config.js points VK_ICD_FILENAMES at SwiftShader: a machine without it fails here, naming the reason
  it('auto never picks the SwiftShader adapter; --backend webgpu runs on it', async () => {
    const webgpu = (await probeBackends()).find((p) => p.candidate === 'webgpu')!;
    if (!webgpu.ok) throw new Error(`no WebGPU adapter: ${webgpu.reason}; fix: ${webgpu.install}`);
    expect(webgpu.adapter).toMatchObject({vendor: 'google', architecture: 'swiftshader', software: true});
    expect(webgpu.autoSkips).toMatch(/auto never picks a software adapter/);
    const auto = await selectBackend('auto');
    expect(auto.name).not.toBe('webgpu');
    expect(auto.reason).toMatch(/webgpu: Dawn adapter google \/ swiftshader \(SwiftShader driver [\d.]+\), software: auto never picks a software adapter/);
    const named = await selectBackend('webgpu');
    expect(named).toMatchObject({name: 'webgpu', reason: expect.stringMatching(/^requested: Dawn adapter google \/ swiftshader/), adapter: {software: true}});
    const y = tf.tidy(() => tf.conv2d(tf.ones([1, 8, 8, 2]) as tf.Tensor4D, tf.ones([3, 3, 2, 2]) as tf.Tensor4D, 1, 'same'));
    expect(Array.from(await y.data()).slice(0, 3)).toEqual([8, 8, 12]); // (pixel 0: 2×2 pixels × 2 channels, both outputs), pixel 1: 2×3 × 2
    y.dispose();
    await selectBackend('cpu');
  });
});

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {demoImages} from '../../src/render/images';
import {visualizeMethods} from '../../src/render/visualize';

beforeAll(() => tf.setBackend('cpu'));

describe('visualizeMethods', () => {
  test('one row per pixel-level method, λ matching a direct mix, feature-level and unimplemented ones skipped', async () => {
    const images = await demoImages(32);
    const result = await visualizeMethods(['mixup', 'cutmix', 'puzzlemix', 'manifoldmix', 'automix'], images, 3, 1);
    expect(result.methods.map((m) => m.method)).toEqual(['mixup', 'cutmix', 'puzzlemix']);
    expect(result.skipped.map((s) => s.method)).toEqual(['manifoldmix', 'automix']);
    expect(result.methods[2].standIn).toMatch(/stand-in/);
    for (const m of result.methods) {
      expect(m.lam >= 0 && m.lam <= 1).toBe(true);
      expect(m.pair[0]).not.toBe(m.pair[1]);
    }
    expect(result.png.subarray(1, 4).toString()).toBe('PNG');
  });

  test('unknown names are rejected listing the known ones', async () => {
    await expect(visualizeMethods(['mixupp'], await demoImages(32), 0, 1)).rejects.toThrow(/unknown mix_mode "mixupp"; known methods:/);
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {demoImages} from '../../src/render/images';
import {loadLearnedMixer} from '../../src/render/load-learned';
import {visualizeMethods} from '../../src/render/visualize';
import {writeAutoMixRun} from './automix-run';

beforeAll(() => tf.setBackend('cpu'));

describe('loadLearnedMixer (a trained AutoMix run at demo scale: ResNet_CIFAR-18 base 8, mask_layer 2, 32×32)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-load-learned-'));
  });
  afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

  test('the checkpoint\'s weights are loaded and its masks drawn; mask mean in [0, 1]', async () => {
    const run = await writeAutoMixRun(dir, 'automix', 3);
    const mixer = loadLearnedMixer('automix', run.config, run.checkpoint, 0);
    expect(mixer).toMatchObject({method: 'automix', epoch: 3, inputSize: [32, 32]});
    const images = await demoImages(48);
    const result = await visualizeMethods(['cutmix', 'automix'], images, 0, 1, {learned: new Map([['automix', mixer]]), lam: 0.5});
    mixer.dispose();
    const row = result.methods[1];
    expect(row).toMatchObject({method: 'automix', lam: 0.5, pair: [0, 1], learned: {epoch: 3}});
    expect(row.maskMean! >= 0 && row.maskMean! <= 1).toBe(true);
    // the mask depends on the loaded weights: the same run loaded twice gives the same mean
    const again = loadLearnedMixer('automix', run.config, run.checkpoint, 7);
    const second = await visualizeMethods(['automix'], images, 0, 1, {learned: new Map([['automix', again]])});
    again.dispose();
    expect(second.methods[0].maskMean).toBeCloseTo(row.maskMean!, 6);
  });

  test('a checkpoint of another model: the data error names the tensor', async () => {
    const run = await writeAutoMixRun(dir, 'automix', 1);
    const other = await writeAutoMixRun(path.join(dir, 'wide'), 'automix', 1, {baseChannels: 16});
    expect(() => loadLearnedMixer('automix', run.config, other.checkpoint, 0)).toThrow(/wide.*latest\.safetensors: parameter "[^"]+" has shape \[[\d,]+\] in the checkpoint but \[[\d,]+\] in the model/);
  });

  test('a SAMix config for automix, and a non-AutoMixup config, are usage errors', async () => {
    const samix = await writeAutoMixRun(path.join(dir, 'samix'), 'samix', 1);
    expect(() => loadLearnedMixer('automix', samix.config, samix.checkpoint, 0)).toThrow(/is a samix config \(model.mix_block has value_neck_cfg or x_qk_concat\), but it was given for --methods automix/);
    const loaded = loadLearnedMixer('samix', samix.config, samix.checkpoint, 0);
    loaded.dispose();
    const plain = path.join(dir, 'plain.json');
    fs.writeFileSync(plain, JSON.stringify({_base_: path.resolve('configs/demo/r18_mixups_CE_none.json')}));
    expect(() => loadLearnedMixer('automix', plain, samix.checkpoint, 0)).toThrow(/model.type is "MixUpClassification", expected "AutoMixup"/);
  });

});

/** The engine's loader wiring (`buildLoader`): which config fields reach the data room. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import {loadConfig} from '../../src/config/validate';
import {DatasetLoader} from '../../src/data';
import {buildLoader} from '../../src/engine/parts';
import {tmpDir, writeTinyConfig} from './helpers';

let dir: string;
beforeAll(async () => {
  dir = tmpDir();
  fs.mkdirSync(path.join(dir, 'images'));
  const lines: string[] = [];
  for (let i = 0; i < 4; i++) {
    await sharp({create: {width: 20, height: 20, channels: 3, background: {r: 60 * i, g: 90, b: 200}}}).png().toFile(path.join(dir, 'images', `${i}.png`));
    lines.push(`${i}.png ${i}`);
  }
  fs.writeFileSync(path.join(dir, 'list.txt'), lines.join('\n') + '\n');
});
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

describe('buildLoader', () => {
  const files = () => ({data_source: {_delete_: true, type: 'ImageList', root: path.join(dir, 'images'), list_file: path.join(dir, 'list.txt')}, pipeline: [{type: 'Resize', size: 18}, {type: 'CenterCrop', size: 16}]});
  it('val decodes on evaluation.workers_per_gpu threads when set, else on data.workers_per_gpu', () => {
    const at = (evaluationWorkers?: number) => {
      const evaluation = {interval: 1, imgs_per_gpu: 2, ...(evaluationWorkers === undefined ? {} : {workers_per_gpu: evaluationWorkers})};
      const file = writeTinyConfig(dir, {data: {workers_per_gpu: 2, imgs_per_gpu: 2, train: files(), val: files()}, evaluation}, `eval_w${evaluationWorkers}`);
      const config = loadConfig(file);
      return [buildLoader(config, 'val', 0, file), buildLoader(config, 'train', 0, file)].map((l) => (l as DatasetLoader).threads);
    };
    expect(at(0)).toEqual([0, 2]);
    expect(at(1)).toEqual([1, 2]);
    expect(at()).toEqual([2, 2]);
  });
});

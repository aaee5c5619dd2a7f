/** The data accounting of a run (issue 13): unloadable images are counted, logged and warned about, and stop a run past the limits. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import {closeDataWorkers} from '../../src/data';
import {MixupError} from '../../src/errors';
import {trainRun} from '../../src/engine/run';
import {jsonLogs, readJsonLog, tmpDir, writeTinyConfig} from './helpers';

let dir: string;
let images: string;
/** An ImageList of 32 real 16x16 PNGs (6 classes) with `missing` entries pointing at absent files. */
function listConfig(name: string, missing: number, data: Record<string, unknown> = {}, root = images): string {
  const lines = Array.from({length: 32}, (_, i) => `${i}.png ${i % 6}`);
  for (let k = 0; k < missing; k++) lines[3 + 7 * k] = `gone_${k}.png ${k % 6}`;
  const list = path.join(dir, `${name}.txt`);
  fs.writeFileSync(list, lines.join('\n') + '\n');
  return writeTinyConfig(dir, {data: {...data, train: {data_source: {_delete_: true, type: 'ImageList', root, list_file: list}, pipeline: [{type: 'CenterCrop', size: 16}]}}}, name, 1, 32);
}

// wasm: a skipped image shrinks a train batch, and the native backend currently aborts when the train batch size
// changes between steps (reported to the native room)
beforeAll(async () => {
  dir = tmpDir();
  images = path.join(dir, 'images');
  fs.mkdirSync(images);
  for (let i = 0; i < 32; i++) {
    const c = i % 6;
    await sharp({create: {width: 16, height: 16, channels: 3, background: {r: 40 * c, g: 255 - 40 * c, b: (i * 8) % 256}}}).png().toFile(path.join(images, `${i}.png`));
  }
});
afterAll(async () => {
  await closeDataWorkers();
  fs.rmSync(dir, {recursive: true, force: true});
});

describe('trainRun data accounting', () => {
  it('a skip within data.max_skip_fraction: warning printed, text log line, counts by reason in the JSON meta', async () => {
    const config = listConfig('one_missing', 1, {max_skip_fraction: {train: 0.05}});
    const workDir = path.join(dir, 'wd_ok');
    const lines: string[] = [];
    const result = await trainRun({configPath: config, workDir, backend: 'wasm', print: (l) => lines.push(l), progress: 'none'});
    expect(result.status).toBe('trained');
    const warning = `warning: data.train: 1 of 32 images cannot be loaded and will be skipped (missing 1); list ${path.join(dir, 'one_missing.txt')}, root ${images}; e.g. ${path.join(images, 'gone_0.png')} (file not found, listed at ${path.join(dir, 'one_missing.txt')}:4)`;
    expect(lines).toContain(warning);
    const [log] = jsonLogs(workDir);
    const meta = readJsonLog(log)[0] as {data: {train: Record<string, unknown>; val: Record<string, unknown>}};
    expect(meta.data.train).toMatchObject({source: `ImageList ${path.join(dir, 'one_missing.txt')}`, samples: 32, decode: '1 worker thread', skipped: {count: 1, by_reason: {missing: 1}}});
    expect(meta.data.val).toMatchObject({samples: 32, skipped: {count: 0, by_reason: {}, examples: []}});
    expect(fs.readFileSync(log.replace(/\.json$/, ''), 'utf8')).toContain(` - mixup - INFO - ${warning}`);
  });

  it('past the default 1% of train, under --strict, or with a wrong root: exit code 3, no log, no finished marker', async () => {
    const cases: Array<[string, string, boolean, string]> = [
      [listConfig('two_missing', 2), 'wd_limit', false, 'data.train: 2 of 32 images could not be loaded (missing 2), more than data.max_skip_fraction.train = 0.01 allows (0)'],
      [listConfig('strict', 1, {max_skip_fraction: {train: 0.5}}), 'wd_strict', true, `${path.join(images, 'gone_0.png')}: cannot load image (file not found), listed at ${path.join(dir, 'strict.txt')}:4`],
      [listConfig('wrong_root', 0, {}, path.join(dir, 'CUB_200', 'images')), 'wd_root', false, `data.train: none of the 32 images could be loaded (missing 32); list ${path.join(dir, 'wrong_root.txt')}, root ${path.join(dir, 'CUB_200', 'images')}; e.g. ${path.join(dir, 'CUB_200', 'images', '0.png')}`],
    ];
    for (const [config, wd, strict, message] of cases) {
      const workDir = path.join(dir, wd);
      const error = await trainRun({configPath: config, workDir, strict, print: () => undefined, progress: 'none'}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MixupError);
      expect((error as MixupError).exitCode).toBe(3);
      expect((error as MixupError).message).toContain(message);
      expect(fs.existsSync(path.join(workDir, 'finished'))).toBe(false);
      expect(fs.existsSync(workDir) ? jsonLogs(workDir) : []).toEqual([]);
    }
  });
});

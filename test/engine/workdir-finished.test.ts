import * as fs from 'node:fs';
import * as path from 'node:path';
import {FINISHED_MARKER} from '../../src/config/files';
import {FINISHED, readFinished, removeFinished, writeFinished} from '../../src/engine/workdir';
import {tmpDir} from './helpers';

const marker = {config_path: 'c.json', epochs: 2, metrics: {head0_top1: 50}, log: 'x.log.json', checkpoint: 'latest.safetensors', backend: 'cpu', seconds: 1, finished_at: 'now'};

describe('the finished marker', () => {
  test('its name has no ".json" (OpenMixup\'s summary scripts read every file with .json in its name as a log)', () => {
    expect(FINISHED).toBe(FINISHED_MARKER);
    expect(FINISHED).not.toContain('.json');
    const dir = tmpDir();
    writeFinished(dir, marker);
    expect(fs.readdirSync(dir)).toEqual([FINISHED]);
    expect(readFinished(dir)).toEqual(marker);
    fs.rmSync(dir, {recursive: true});
  });

  test('an old work dir\'s finished.json is still recognised, and removed by a --force run', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'finished.json'), JSON.stringify(marker));
    expect(readFinished(dir)).toEqual(marker);
    removeFinished(dir);
    expect(readFinished(dir)).toBeUndefined();
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.rmSync(dir, {recursive: true});
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import {checkCheckpointMeta, readCheckpoint, readCheckpointMeta, saveCheckpoint, type CheckpointMeta} from '../../src/engine/checkpoint';
import {writeSafetensors} from '../../src/models/safetensors';
import {caught} from '../config/caught';
import {mkfifo, RAW_ERROR} from '../io/helpers';
import {tmpDir} from './helpers';

const META: CheckpointMeta = {format: 1, epoch: 2, iter: 8, rng: [1, 2, 3, 4], seed: 0, configHash: 'abc', configPath: 'c.json', lr: 0.1, mixupVersion: '0.1.0', workDir: '/w'};
const EMPTY = {params: new Map(), buffers: new Map(), momentum: new Map()};

let dir: string;
beforeEach(() => (dir = tmpDir()));
afterEach(() => fs.rmSync(dir, {recursive: true, force: true}));

/** A checkpoint whose `__metadata__.mixup` is `text` as given. */
function withMetaText(text: string): string {
  const file = path.join(dir, 'latest.safetensors');
  writeSafetensors(file, new Map(), {format: 'mixup-checkpoint', mixup: text});
  return file;
}

describe('checkpoint metadata', () => {
  it('round-trips and reads the metadata alone from the header', async () => {
    const file = path.join(dir, 'latest.safetensors');
    await saveCheckpoint(file, EMPTY, META);
    expect(readCheckpointMeta(file)).toEqual(META);
    expect(readCheckpoint(file).meta).toEqual(META);
  });

  it('validates types and ranges before use: "epoch":"x" is exit 3 naming the file and field', async () => {
    const file = withMetaText(JSON.stringify({...META, epoch: 'x'}));
    const error = caught(() => readCheckpoint(file));
    expect([error.exitCode, error.message]).toEqual([3, `${file}: __metadata__.mixup.epoch must be an integer >= 0, got "x"`]);
    const cases: Array<[Partial<Record<keyof CheckpointMeta, unknown>>, string]> = [
      [{iter: -1}, 'iter must be an integer >= 0, got -1'],
      [{seed: 1.5}, 'seed must be an integer >= 0, got 1.5'],
      [{rng: [1, 2, 3]}, 'rng must be a list of 4 unsigned 32-bit integers, got [1,2,3]'],
      [{rng: [1, 2, 3, 2 ** 33]}, 'rng must be a list of 4 unsigned 32-bit integers'],
      [{lr: 'fast'}, 'lr must be a finite number >= 0, got "fast"'],
      [{configHash: 7}, 'configHash must be a string, got 7'],
      [{val: {iter: 1, metrics: {head0_top1: 'hi'}}}, 'val must be an object whose metrics are finite numbers'],
      [{format: 2}, 'format 2 is not supported (expected 1)'],
    ];
    for (const [patch, message] of cases) expect(caught(() => checkCheckpointMeta({...META, ...patch}, file)).message).toContain(`__metadata__.mixup.${message}`);
    expect(caught(() => checkCheckpointMeta([], file)).message).toBe(`${file}: __metadata__.mixup must be a JSON object, got []`);
  });

  it('unparsable metadata, a truncated file, a FIFO and a directory are data errors naming the file, never raw errors', async () => {
    const bad = withMetaText('{"epoch": 1,');
    const cases: string[] = [bad];
    const truncated = path.join(dir, 'cut.safetensors');
    await saveCheckpoint(truncated, EMPTY, META);
    fs.truncateSync(truncated, 20);
    const tiny = path.join(dir, 'tiny.safetensors');
    fs.writeFileSync(tiny, 'abc');
    cases.push(truncated, tiny, mkfifo(path.join(dir, 'pipe.safetensors')), dir);
    for (const file of cases) {
      const error = caught(() => readCheckpoint(file));
      expect(error.exitCode).toBe(3);
      expect(error.message.startsWith(file)).toBe(true);
      expect(error.message).not.toMatch(RAW_ERROR);
    }
    expect(caught(() => readCheckpoint(bad)).message).toMatch(/__metadata__\.mixup is not valid JSON/);
    expect(caught(() => readCheckpoint(truncated)).message).toMatch(/does not fit the file size .* \(truncated\?\)/);
    expect(caught(() => readCheckpoint(path.join(dir, 'nope.safetensors'))).message).toMatch(/nope\.safetensors: checkpoint not found$/);
  });
});

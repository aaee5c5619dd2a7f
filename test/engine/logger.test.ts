import * as fs from 'node:fs';
import * as path from 'node:path';
import {RunLogger, type LogMeta} from '../../src/engine/logger';
import {errnoError, realFs} from '../io/helpers';
import {tmpDir} from './helpers';

const META: LogMeta = {env_info: 'e', config: {}, config_path: 'c.json', seed: 0, exp_name: 'c.json', backend: {name: 'cpu', reason: 'r'}, mixup_version: '0.1.0'};

let dir: string;
beforeEach(() => (dir = tmpDir('mixup-logger-')));
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, {recursive: true, force: true});
});

describe('RunLogger', () => {
  it('creates both logs with their first line, next to (never over) an existing log of the same second', () => {
    const now = new Date(2026, 0, 2, 3, 4, 5);
    const first = new RunLogger(dir, META, now);
    const second = new RunLogger(dir, META, now);
    expect(path.basename(first.jsonPath)).toBe('20260102_030405.log.json');
    expect(path.basename(second.jsonPath)).toBe('20260102_030406.log.json');
    expect(JSON.parse(fs.readFileSync(first.jsonPath, 'utf8'))).toEqual(META);
    expect(fs.readFileSync(first.textPath, 'utf8')).toMatch(/ - mixup - INFO - Environment info:\ne\n/);
  });

  it('a full disk when the log is created leaves no 0-byte log and names the file (exit 5)', () => {
    jest.spyOn(realFs, 'writeSync').mockImplementation(() => {
      throw errnoError('ENOSPC');
    });
    expect(() => new RunLogger(dir, META, new Date(2026, 0, 2, 3, 4, 5))).toThrow(`${path.join(dir, '20260102_030405.log.json')}: cannot write: no space left on the device (ENOSPC)`);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

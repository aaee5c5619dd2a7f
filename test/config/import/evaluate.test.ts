/** Running Python: a missing interpreter is a clear error saying what is needed; MIXUP_PYTHON and --python name one. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {checkPython, evaluatePythonConfig} from '../../../src/config/import/evaluate';
import {caught} from '../caught';
import {tempDir, writeTree} from './helpers';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => fs.rmSync(dir, {recursive: true, force: true}));

it('says python3 is missing when it is not on PATH', () => {
  const file = path.join(writeTree(dir, {'main.py': 'x = 1\n'}), 'main.py');
  const saved = process.env.PATH;
  process.env.PATH = path.join(dir, 'empty-bin');
  try {
    for (const run of [() => checkPython('python3'), () => evaluatePythonConfig(file, 'python3')]) {
      const error = caught(run);
      expect(error.message).toBe("python3 was not found: import-config runs OpenMixup's Python configs with Python 3, as mmcv's Config.fromfile does (standard library only; mmcv itself is not needed)");
      expect(error.exitCode).toBe(2);
    }
  } finally {
    process.env.PATH = saved;
  }
});

it('refuses an interpreter that is not Python 3, naming it', () => {
  const fake = path.join(dir, 'python2');
  fs.writeFileSync(fake, '#!/bin/sh\necho 2.7\n', {mode: 0o755});
  expect(caught(() => checkPython(fake)).message).toBe(`${fake} is Python 2.7; import-config needs Python 3.6 or newer`);
});

it('evaluates with the interpreter named', () => {
  const file = path.join(writeTree(dir, {'main.py': 'x = (1, 2)\nprint("noise on stdout")\n'}), 'main.py');
  checkPython('python3');
  expect(evaluatePythonConfig(file, 'python3')).toEqual({config: {x: [1, 2]}, files: [file]});
});

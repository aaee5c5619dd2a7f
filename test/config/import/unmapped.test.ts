/**
 * What mixup cannot map is listed by dotted path and left out (never silently): unknown fields at any depth, a
 * pipeline step or hook type mixup lacks, mix_args of an unknown method, a value JSON cannot hold, a non-neutral
 * value of a field mixup does not have. `--strict` refuses the file; a wrong value of a known field is a problem.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {importPythonConfig} from '../../../src/config/import/import-file';
import {planImport, runImport} from '../../../src/config/import/convert';
import {validateConfig} from '../../../src/config/validate';
import {TINY_CONFIG, tempDir, writeTree} from './helpers';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => fs.rmSync(dir, {recursive: true, force: true}));

const write = (extra: string): string => path.join(writeTree(dir, {'main.py': TINY_CONFIG + extra}), 'main.py');

it('the tiny config imports with no change but its helper variable', () => {
  const {notes, problems} = importPythonConfig(write(''));
  expect(problems).toEqual([]);
  expect(notes).toEqual([{kind: 'helper', path: 'source', message: 'helper variable used inside data; dropped'}]);
});

it('lists each unmappable field with its dotted path and leaves it out; the rest validates', () => {
  const file = write(`
model['head']['hidden_dim'] = 256
data['train']['pipeline'].insert(0, dict(type='ColorJitter', brightness=0.4))
data['train']['pipeline'].append(dict(type='RandomHorizontalFlip', p=0.5, backend='pillow'))
model['mix_args']['tokenmix'] = dict(a=1)
custom = dict(tags={'a', 'b'})
log_level = 'DEBUG'
optimizer_config['cumulative_iters'] = 4
`);
  const {config, notes, problems} = importPythonConfig(file);
  expect(problems).toEqual([]);
  expect(validateConfig(config)).toEqual([]);
  const unmapped = notes.filter((n) => n.kind === 'unmapped');
  expect(unmapped.map((n) => n.path).sort()).toEqual(
    ['custom', 'custom.tags', 'data.train.pipeline[0]', 'data.train.pipeline[2].backend', 'log_level', 'model.head.hidden_dim', 'model.mix_args.tokenmix', 'optimizer_config.cumulative_iters'].sort(),
  );
  expect(unmapped.find((n) => n.path === 'custom.tags')?.message).toContain('a Python set');
  expect(unmapped.find((n) => n.path === 'data.train.pipeline[0]')?.message).toContain('"ColorJitter"');
  expect(unmapped.find((n) => n.path === 'optimizer_config.cumulative_iters')?.message).toBe('4: not a field mixup has here; left out');
  expect((config.data as {train: {pipeline: unknown[]}}).train.pipeline).toEqual([{type: 'RandomHorizontalFlip'}, {type: 'RandomHorizontalFlip', p: 0.5}]);
});

it('--strict writes nothing for a config with an unmapped field; without it the JSON is written', () => {
  const file = write("model['head']['hidden_dim'] = 256\n");
  const target = path.join(dir, 'out.json');
  const [strict] = runImport(planImport(file, target), {force: false, strict: true});
  expect(strict.written).toBe(false);
  expect(strict.problems).toEqual(['--strict: 1 field(s) not mapped (model.head.hidden_dim)']);
  expect(fs.existsSync(target)).toBe(false);
  const [loose] = runImport(planImport(file, target), {force: false, strict: false});
  expect(loose.written).toBe(true);
  expect(JSON.parse(fs.readFileSync(target, 'utf8')).model.head).not.toHaveProperty('hidden_dim');
});

it('a wrong value of a known field is a problem, not pruned, and nothing is written', () => {
  const file = write("optimizer = dict(type='AdamW', lr=0.1, weight_decay=0.05)\n");
  const [outcome] = runImport(planImport(file, path.join(dir, 'out.json')), {force: false, strict: false});
  expect(outcome.written).toBe(false);
  expect(outcome.problems).toEqual(expect.arrayContaining(['optimizer.type must be "SGD", got "AdamW"', 'optimizer.momentum is missing (expected a number in [0, 1])']));
});

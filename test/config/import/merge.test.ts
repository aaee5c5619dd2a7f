/**
 * mmcv's Config.fromfile semantics, on tiny written Python files: `_base_` relative to the file, dict merge, list
 * replace, `_delete_=True`, bases sharing a key, a dict over a non-dict, `{{ fileBasename }}`-style and
 * `{{ _base_.x }}` substitution, modules and functions left out, and errors naming file and line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {evaluatePythonConfig} from '../../../src/config/import/evaluate';
import {importPythonConfig} from '../../../src/config/import/import-file';
import {caught} from '../caught';
import {tempDir, writeTree} from './helpers';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => fs.rmSync(dir, {recursive: true, force: true}));

const evaluate = (files: Record<string, string>, main = 'main.py') => evaluatePythonConfig(path.join(writeTree(dir, files), main)).config;

it('merges dicts key by key and replaces lists and tuples, with _base_ relative to the file naming it', () => {
  const config = evaluate({
    'bases/a.py': "model = dict(backbone=dict(depth=18, out_indices=(3,)), head=dict(n=1))\nsteps = [1, 2, 3]\n",
    'bases/b.py': "_base_ = './a.py'\nmodel = dict(head=dict(m=2))\n",
    'main.py': "_base_ = ['bases/b.py']\nmodel = dict(backbone=dict(depth=50, out_indices=(2, 3)))\nsteps = [9]\n",
  });
  expect(config).toEqual({model: {backbone: {depth: 50, out_indices: [2, 3]}, head: {n: 1, m: 2}}, steps: [9]});
});

it('_delete_=True replaces the base dict instead of merging into it', () => {
  const config = evaluate({
    'base.py': "optimizer = dict(type='Adam', lr=0.1, betas=(0.9, 0.99))\nother = dict(a=1, b=2)\n",
    'main.py': "_base_ = 'base.py'\noptimizer = dict(_delete_=True, type='SGD', lr=0.01)\nother = dict(b=3)\n",
  });
  expect(config).toEqual({optimizer: {type: 'SGD', lr: 0.01}, other: {a: 1, b: 3}});
});

it('keeps a _delete_ with no base value to replace, as mmcv does; the importer drops it as private, named', () => {
  const file = path.join(writeTree(dir, {'base.py': 'x = 1\n', 'main.py': "_base_ = 'base.py'\nextra = dict(_delete_=True, k=1)\n_lr = 0.1\n"}), 'main.py');
  expect(evaluatePythonConfig(file).config).toEqual({x: 1, extra: {_delete_: true, k: 1}, _lr: 0.1});
  const {notes} = importPythonConfig(file);
  expect(notes.filter((n) => n.kind === 'private').map((n) => n.path)).toEqual(['extra._delete_', '_lr']);
});

it('leaves out modules, functions and dunder names; runs plain Python logic', () => {
  const config = evaluate({
    'main.py': "import os\nimport math as m\n__secret__ = 1\ndef f(x):\n    return x * 2\nsteps = [f(i) for i in range(3)]\nif not False:\n    steps.extend([m.floor(7.5)])\n",
  });
  expect(config).toEqual({steps: [0, 2, 4, 7]});
});

it('substitutes {{ fileBasenameNoExtension }} and {{ _base_.x }} as mmcv does', () => {
  const config = evaluate({
    'base.py': 'lr = 0.5\nmodel = dict(depth=18)\n',
    'main.py': "_base_ = 'base.py'\nname = '{{ fileBasenameNoExtension }}'\noptimizer = dict(lr={{ _base_.lr }})\ndepth = {{_base_.model.depth}}\n",
  });
  expect(config).toMatchObject({name: 'main', optimizer: {lr: 0.5}, depth: 18, lr: 0.5});
});

it.each([
  ['a key two bases share', {'a.py': 'x = 1\n', 'b.py': 'x = 2\n', 'main.py': "_base_ = ['a.py', 'b.py']\n"}, 'main.py: Duplicate key is not allowed among bases. Duplicate keys: [\'x\']'],
  ['a dict over a non-dict', {'a.py': 'x = 1\n', 'main.py': "_base_ = 'a.py'\nx = dict(y=1)\n"}, 'main.py: x={\'y\': 1} in child config cannot inherit from base because x is a dict in the child config'],
  ['a missing base', {'main.py': "_base_ = ['../nowhere/a.py']\n"}, 'main.py: _base_ entry "../nowhere/a.py" does not exist'],
  ['a cycle', {'a.py': "_base_ = 'main.py'\n", 'main.py': "_base_ = 'a.py'\n"}, '_base_ cycle:'],
  ['a syntax error', {'main.py': 'x = 1\ny = (\n'}, 'main.py:2: invalid Python syntax'],
  ['an exception', {'main.py': "x = 1\n\ny = dict(**x)\n"}, 'main.py:3: TypeError:'],
])('names the file (and line) for %s', (_what, files, expected) => {
  const error = caught(() => evaluate(files));
  expect(error.message).toContain(expected);
});

/**
 * Where `import-config` writes (src/config/import/convert.ts): beside the input, into `--out`, a tree mirrored;
 * never over an input, never two inputs into one file, nothing existing replaced without --force; and the JSON
 * OpenMixup's ConfigGenerator writes (`json.dump(dict(Config.fromfile(base)))`) imports as well as the `.py`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {evaluatePythonConfig} from '../../../src/config/import/evaluate';
import {planImport, runImport} from '../../../src/config/import/convert';
import {loadConfigFile} from '../../../src/config/load';
import {validateConfig} from '../../../src/config/validate';
import {caught} from '../caught';
import {FIXTURES, TINY_CONFIG, tempDir, writeTree} from './helpers';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => fs.rmSync(dir, {recursive: true, force: true}));

it('plans x.py -> x.json and x.json -> x.mixup.json beside the input, or into an --out directory', () => {
  writeTree(dir, {'a.py': TINY_CONFIG, 'b.json': '{}', 'out/keep': ''});
  expect(planImport(path.join(dir, 'a.py'), undefined)).toEqual([{source: path.join(dir, 'a.py'), target: path.join(dir, 'a.json')}]);
  expect(planImport(path.join(dir, 'b.json'), undefined)[0].target).toBe(path.join(dir, 'b.mixup.json'));
  expect(planImport(path.join(dir, 'a.py'), path.join(dir, 'out'))[0].target).toBe(path.join(dir, 'out', 'a.json'));
  expect(planImport(path.join(dir, 'a.py'), path.join(dir, 'c.json'))[0].target).toBe(path.join(dir, 'c.json'));
});

it.each([
  ['a target that is the input', {'b.json': '{}'}, 'b.json', 'b.json', 'would replace an input config'],
  ['two inputs into one target', {'t/a.py': 'x = 1\n', 't/a.json': '{}'}, 't', 'out', 'would both be written to'],
  ['another file type', {'a.yaml': ''}, 'a.yaml', undefined, 'expected an OpenMixup config (.py, or .json as its ConfigGenerator writes)'],
  ['a tree without configs', {'t/_base_/a.py': 'x = 1\n', 't/readme.md': ''}, 't', 'out', 'no .py or .json config files in this directory or below it (outside _base_/)'],
])('refuses %s', (_what, files, input, out, expected) => {
  writeTree(dir, files);
  expect(caught(() => planImport(path.join(dir, input), out === undefined ? undefined : path.join(dir, out))).message).toContain(expected);
});

it('refuses to replace existing targets, naming them all, before importing any; --force replaces', () => {
  writeTree(dir, {'t/a.py': TINY_CONFIG, 't/b.py': TINY_CONFIG, 'out/a.json': 'mine', 'out/b.json': 'mine too'});
  const plan = planImport(path.join(dir, 't'), path.join(dir, 'out'));
  const error = caught(() => runImport(plan, {force: false, strict: false}));
  expect(error.message).toBe(`2 files already exist: ${path.join(dir, 'out', 'a.json')}, ${path.join(dir, 'out', 'b.json')}; use --force to overwrite them`);
  expect(error.exitCode).toBe(5);
  expect(fs.readFileSync(path.join(dir, 'out', 'a.json'), 'utf8')).toBe('mine');
  expect(runImport(plan, {force: true, strict: false}).every((o) => o.written)).toBe(true);
  expect(validateConfig(loadConfigFile(path.join(dir, 'out', 'a.json')))).toEqual([]);
  expect(fs.readdirSync(path.join(dir, 'out')).sort()).toEqual(['a.json', 'b.json']); // no temp file left
});

it("imports the JSON OpenMixup's ConfigGenerator writes, which validate alone refuses", () => {
  const py = path.join(FIXTURES, 'cub200/mixups/basic/r18_mixups_CE_none.py');
  const generated = path.join(dir, 'r18_mixups_CE_none_alpha1_0.json');
  fs.writeFileSync(generated, JSON.stringify(evaluatePythonConfig(py).config, null, 4));
  const raw = validateConfig(loadConfigFile(generated)).map((i) => i.path);
  expect(raw).toEqual(expect.arrayContaining(['data_source_cfg', 'train_pipeline', 'log_level', 'data.train.prefetch', 'fp16']));
  const [outcome] = runImport(planImport(generated, undefined), {force: false, strict: true});
  expect([outcome.written, outcome.problems]).toEqual([true, []]);
  const fromPy = runImport(planImport(py, path.join(dir, 'from-py.json')), {force: false, strict: true})[0];
  expect(loadConfigFile(outcome.target)).toEqual(loadConfigFile(fromPy.target));
});

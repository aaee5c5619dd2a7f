import {execFileSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {isMixupError} from '../../src/errors';
import {loadConfigFile, mergeConfig, readJsonObject} from '../../src/config/load';
import {loadConfig} from '../../src/config/validate';
import {caught} from './caught';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'configs');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-load-'));
});
afterEach(() => fs.rmSync(dir, {recursive: true, force: true}));

function write(name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), {recursive: true});
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

describe('mergeConfig', () => {
  it('merges objects key by key, later wins, arrays and scalars replaced', () => {
    const base = {a: {x: 1, y: [1, 2, 3]}, b: 'keep'};
    expect(mergeConfig(base, {a: {y: [9]}, c: null})).toEqual({a: {x: 1, y: [9]}, b: 'keep', c: null});
    expect(base).toEqual({a: {x: 1, y: [1, 2, 3]}, b: 'keep'}); // not modified
  });

  it('replaces the inherited object when _delete_ is true and drops the marker', () => {
    expect(mergeConfig({a: {x: 1, y: 2}}, {a: {_delete_: true, y: 3}})).toEqual({a: {y: 3}});
    expect(mergeConfig({}, {a: {_delete_: true, b: {c: 1}}})).toEqual({a: {b: {c: 1}}});
  });

  it('lets a scalar replace an object and an object replace a scalar', () => {
    expect(mergeConfig({a: {x: 1}}, {a: 5})).toEqual({a: 5});
    expect(mergeConfig({a: 5}, {a: {x: 1}})).toEqual({a: {x: 1}});
  });
});

describe('loadConfigFile', () => {
  it('resolves _base_ relative to the including file, depth-first, bases in list order, own keys last', () => {
    write('t/one.json', {v: 'one', only1: 1, nested: {a: 1, b: 1}});
    write('t/two.json', {_base_: 'deeper/three.json', v: 'two', nested: {b: 2}});
    write('t/deeper/three.json', {v: 'three', only3: 3, nested: {c: 3}});
    const main = write('main.json', {_base_: ['t/one.json', 't/two.json'], nested: {a: 'own'}});
    expect(loadConfigFile(main)).toEqual({v: 'two', only1: 1, only3: 3, nested: {a: 'own', b: 2, c: 3}});
  });

  it('detects a cycle and names the chain', () => {
    const error = caught(() => loadConfigFile(path.join(FIXTURES, 'cycle_a.json')));
    expect(isMixupError(error) && error.exitCode).toBe(2);
    expect(error.message).toMatch(/cycle_b\.json: _base_ cycle: .*cycle_a\.json -> .*cycle_b\.json -> .*cycle_a\.json/);
  });

  it('detects a file that names itself', () => {
    const self = write('self.json', {_base_: './self.json'});
    expect(caught(() => loadConfigFile(self)).message).toMatch(/self\.json: _base_ cycle/);
  });

  it('names the including file and the entry when a base is missing', () => {
    const main = write('main.json', {_base_: ['missing/base.json']});
    expect(caught(() => loadConfigFile(main)).message).toMatch(/main\.json: _base_ entry "missing\/base\.json" does not exist/);
  });

  it('rejects a _base_ that is not a path or a list of paths', () => {
    const main = write('main.json', {_base_: 3});
    expect(caught(() => loadConfigFile(main)).message).toMatch(/main\.json: _base_ must be a path or a non-empty list of paths.*got 3/);
  });

  it('reports invalid JSON with the file, line and column', () => {
    const bad = write('bad.json', '{\n  "a": 1,\n  "b": }\n');
    const message = caught(() => readJsonObject(bad)).message;
    expect(message).toMatch(/bad\.json: invalid JSON/);
    expect(message).toMatch(/line 3, column 8/);
  });

  it('rejects a top-level array and a missing file', () => {
    expect(caught(() => readJsonObject(write('arr.json', '[1]'))).message).toMatch(/arr\.json: a config must be a JSON object, got an array/);
    expect(caught(() => readJsonObject(path.join(dir, 'nope.json'))).message).toMatch(/nope\.json: cannot read config: no such file or directory \(ENOENT\)/);
  });
});

describe('readJsonObject on JSON5-only syntax', () => {
  it('says which JSON rule a trailing comma breaks', () => {
    const file = path.join(os.tmpdir(), `mixup-trailing-${process.pid}.json`);
    fs.writeFileSync(file, '{"a": 1,}');
    try {
      expect(caught(() => readJsonObject(file)).message).toMatch(/invalid JSON \(comments, trailing commas.*are not JSON\)/);
    } finally {
      fs.rmSync(file, {force: true});
    }
  });
});

describe('hostile config files', () => {
  it('a FIFO or /dev/zero as config or _base_ is an error naming it, not a hang', () => {
    execFileSync('mkfifo', [path.join(dir, 'pipe.json')]);
    const base = write('c.json', {_base_: 'pipe.json'});
    expect(caught(() => loadConfigFile(base)).message).toMatch(/pipe\.json: cannot read config: it is a FIFO \(named pipe\), not a regular file$/);
    const zero = write('z.json', {_base_: '/dev/zero'});
    expect(caught(() => loadConfigFile(zero)).message).toBe('/dev/zero: cannot read config: it is a character device, not a regular file');
    expect(caught(() => loadConfigFile(dir)).message).toMatch(/: cannot read config: it is a directory, not a regular file$/);
  });

  it('nesting of 10,000 levels is an error naming the file (no stack overflow)', () => {
    const deep = write('deep.json', `{"model": ${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`);
    const error = caught(() => loadConfigFile(deep));
    expect([error.exitCode, error.message]).toEqual([2, expect.stringMatching(/deep\.json: nesting deeper than 100 levels \(at model\.a\.a/)]);
  });

  it('refuses a root __proto__ key, and a _base_ chain that is too deep', () => {
    const proto = write('proto.json', '{"__proto__": {"polluted": true}, "model": {}}');
    expect(caught(() => loadConfigFile(proto)).message).toMatch(/proto\.json: the key "__proto__" \(at __proto__\) is not allowed/);
    expect(({} as {polluted?: boolean}).polluted).toBeUndefined();
    for (let i = 0; i < 40; i++) write(`chain${i}.json`, {_base_: `chain${i + 1}.json`});
    write('chain40.json', {});
    expect(caught(() => loadConfigFile(path.join(dir, 'chain0.json'))).message).toMatch(/_base_ chain deeper than 32 files/);
  });

  it('a 1 MB unknown key is elided in the error, not printed in full', () => {
    const file = write('big.json', {_base_: path.join(FIXTURES, 'valid_demo_two_modes.json'), ['k'.repeat(1 << 20)]: 1});
    const error = caught(() => loadConfig(file));
    expect(error.exitCode).toBe(2);
    expect(error.message.length).toBeLessThan(5000);
    expect(error.message).toMatch(/characters elided/);
  });

  it('points a Python config (also as a _base_ entry) to import-config', () => {
    const py = write('r18.py', 'model = dict()\n');
    expect(caught(() => loadConfigFile(py)).message).toBe(`${py}: an OpenMixup (mmcv) Python config, not JSON; convert it first: mixup import-config ${py}`);
    const child = write('child.json', {_base_: 'r18.py'});
    expect(caught(() => loadConfigFile(child)).message).toContain('convert it first: mixup import-config');
  });
});


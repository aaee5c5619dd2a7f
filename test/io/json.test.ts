import {caught} from '../config/caught';
import {checkJsonStructure, MAX_JSON_DEPTH} from '../../src/io/json';

describe('checkJsonStructure', () => {
  it('accepts ordinary configs and refuses nesting beyond the bound without recursing (10,000 levels)', () => {
    checkJsonStructure({model: {backbone: {out_indices: [3]}}, a: [[1, [2]]]}, 'c.json');
    const deep = JSON.parse(`{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
    const error = caught(() => checkJsonStructure(deep, 'deep.json'));
    expect([error.exitCode, error.message]).toEqual([2, expect.stringMatching(new RegExp(`^deep\\.json: nesting deeper than ${MAX_JSON_DEPTH} levels \\(at x\\[0\\]\\[0\\]`))]);
    expect(error.message.length).toBeLessThan(400);
  });

  it('refuses a __proto__ key at the root or deeper, naming where (category as asked)', () => {
    expect(caught(() => checkJsonStructure(JSON.parse('{"__proto__": {"polluted": 1}}'), 'p.json')).message).toBe('p.json: the key "__proto__" (at __proto__) is not allowed');
    const deeper = caught(() => checkJsonStructure(JSON.parse('{"model": {"__proto__": 1}}'), 'p.json', 'data'));
    expect([deeper.message, deeper.exitCode]).toEqual(['p.json: the key "__proto__" (at model.__proto__) is not allowed', 3]);
  });
  it('refuses numbers that are not finite (JSON.parse reads 1e400 as Infinity), naming the dotted path', () => {
    const error = caught(() => checkJsonStructure(JSON.parse('{"runner": {"max_epochs": 1e400}}'), 'c.json'));
    expect([error.exitCode, error.message]).toEqual([2, 'c.json: runner.max_epochs is a number out of range (it reads as Infinity); expected a finite number']);
    expect(caught(() => checkJsonStructure(JSON.parse('{"a": [1, -1e999]}'), 'c.json', 'data')).message).toBe('c.json: a[1] is a number out of range (it reads as -Infinity); expected a finite number');
    expect(caught(() => checkJsonStructure(1e400, 'v')).message).toBe('v: the value is a number out of range (it reads as Infinity); expected a finite number');
    checkJsonStructure({lr: 1e308, tiny: 5e-324, zero: -0}, 'c.json');
  });
});

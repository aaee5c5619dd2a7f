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
});

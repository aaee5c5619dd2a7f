import {fieldMessage, MISSING_VALUE, showValue} from '../src/errors';

describe('showValue: the one value formatter of every error message', () => {
  it('writes JSON, a missing value as one word, and Infinity/NaN as JavaScript spells them', () => {
    expect(showValue('abc')).toBe('"abc"');
    expect(showValue([1, 2])).toBe('[1,2]');
    expect(showValue(null)).toBe('null');
    expect(showValue(undefined)).toBe(MISSING_VALUE);
    expect(MISSING_VALUE).toBe('nothing');
    expect(showValue(Infinity)).toBe('Infinity');
    expect(showValue({a: [-Infinity, NaN]})).toBe('{"a":[-Infinity,NaN]}');
  });

  it('shortens long values to 80 characters', () => {
    const shown = showValue('x'.repeat(200));
    expect(shown).toHaveLength(80);
    expect(shown.endsWith('...')).toBe(true);
  });

  it('fieldMessage is "<field> must be <expected>, got <value>"', () => {
    expect(fieldMessage('model.alpha', 'a number > 0', undefined)).toBe('model.alpha must be a number > 0, got nothing');
  });
});

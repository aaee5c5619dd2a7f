import {asFields, checkKnownKeys, optBool, optEnum, optInt, optNumber, optNumbers, reqString} from '../../src/data/fields';

const f = (obj: unknown) => asFields(obj, 'data.train.data_source');

describe('field validation', () => {
  it('returns values and defaults', () => {
    const x = f({root: 'r', n: 3, b: true, s: 'test', p: 0.5, m: [1, 2]});
    expect([reqString(x, 'root'), optInt(x, 'n', 1), optInt(x, 'k', 1, 7), optBool(x, 'b', false), optEnum(x, 's', ['train', 'test'], 'train')]).toEqual(['r', 3, 7, true, 'test']);
    expect([optNumber(x, 'p', 0, 1, 0.1), optNumbers(x, 'm', 2, [0, 0], () => true, 'any')]).toEqual([0.5, [1, 2]]);
    expect(() => checkKnownKeys(x, ['root', 'n', 'b', 's', 'p', 'm'])).not.toThrow();
  });

  it.each([
    [() => asFields([1], 'data.val'), 'data.val must be an object, got [1]'],
    [() => reqString(f({}), 'root'), 'data.train.data_source.root is required (a string)'],
    [() => reqString(f({root: 3}), 'root'), 'data.train.data_source.root must be a non-empty string, got 3'],
    [() => optInt(f({n: 2.5}), 'n', 1), 'data.train.data_source.n must be an integer >= 1, got 2.5'],
    [() => optInt(f({n: 9}), 'n', 1, 1, 5), 'data.train.data_source.n must be an integer in [1, 5], got 9'],
    [() => optBool(f({b: 'yes'}), 'b', false), 'data.train.data_source.b must be true or false, got "yes"'],
    [() => optNumber(f({p: 2}), 'p', 0, 1, 0.5), 'data.train.data_source.p must be a number in [0, 1], got 2'],
    [() => checkKnownKeys(f({list_flie: 'x'}), ['list_file']), 'data.train.data_source.list_flie is not a known field; expected one of: list_file'],
  ])('error %#', (call, message) => {
    expect(call).toThrow(message);
  });
});

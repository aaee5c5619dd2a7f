import * as path from 'node:path';
import {describeFsError} from '../../src/io/fs-error';
import {assertNoControlCharacters, displayPath} from '../../src/io/paths';
import {elideLines, MixupError} from '../../src/errors';
import {errnoError} from './helpers';

describe('displayPath', () => {
  it('is relative inside the current directory, absolute outside, JSON-quoted with control characters', () => {
    expect(displayPath(path.join(process.cwd(), 'a', 'b.json'))).toBe(path.join('a', 'b.json'));
    expect(displayPath('/etc/x')).toBe('/etc/x');
    expect(displayPath('/tmp/a\nb')).toBe('"/tmp/a\\nb"');
  });
});

describe('assertNoControlCharacters', () => {
  it('passes ordinary text (spaces, quotes, $, unicode) and refuses C0 characters and DEL', () => {
    expect(assertNoControlCharacters(`a b'"$(x)|é`, '--out')).toBe(`a b'"$(x)|é`);
    for (const ch of ['\n', '\r', '\t', '\u0000', '\u001b', '\u007f']) expect(() => assertNoControlCharacters(`a${ch}b`, 'config path')).toThrow(/^config path: ".*" contains the control character U\+00[0-7][0-9A-F]/);
  });
});

describe('describeFsError', () => {
  it('words errno errors without the raw CODE: prefix', () => {
    expect(describeFsError(errnoError('ENOSPC'))).toBe('no space left on the device (ENOSPC)');
    expect(describeFsError(Object.assign(new Error("EWEIRD: strange thing, open '/x'"), {code: 'EWEIRD'}))).toBe('strange thing (EWEIRD)');
    expect(describeFsError(new Error('plain'))).toBe('plain');
  });
});

describe('MixupError messages', () => {
  it('elide very long lines in the middle (a 1 MB unknown key)', () => {
    const key = 'k'.repeat(1 << 20);
    const error = new MixupError('usage', `c.json: unknown key "${key}"\nsecond line`);
    const [first, second] = error.message.split('\n');
    expect(first.length).toBeLessThanOrEqual(2000);
    expect(first).toMatch(/^c\.json: unknown key "k+…\[\d+ characters elided\]…k+"$/);
    expect(second).toBe('second line');
    expect(elideLines('short')).toBe('short');
  });
});

/** The safe unpickler on hand-made pickles: values of every opcode torch may write, and the refusals. */
import {MixupError} from '../../../src/errors';
import {type PyGlobal, type PyValue, unpickle, type UnpickleOptions} from '../../../src/models/torch/pickle';

const opts = (extra: Partial<UnpickleOptions> = {}): UnpickleOptions => ({
  source: 'test.pkl',
  allowed: 'nothing',
  findGlobal: () => undefined,
  persistentLoad: () => null,
  ...extra,
});

function refused(bytes: Buffer, o = opts()): string {
  try {
    unpickle(bytes, o);
  } catch (error) {
    expect(error).toBeInstanceOf(MixupError);
    return (error as MixupError).message;
  }
  throw new Error('expected a MixupError');
}

describe('unpickle', () => {
  it('reads a protocol-4 pickle (FRAME, MEMOIZE, SHORT_BINUNICODE, LONG1, BINBYTES...) as Python would', () => {
    // pickle.dumps({'a': [1, 2.5, None, True, 'x', b'\x00\xff', 2**70, -1, -70000, (1, 2)], 'b': 'é'}, protocol=4)
    const hex = '80049547000000000000007d94288c0161945d94284b014740040000000000004e888c017894430200ff948a090000000000000000404affffffff4a90eefeff4b014b028694658c0162948c02c3a994752e';
    const v = unpickle(Buffer.from(hex, 'hex'), opts()) as Map<PyValue, PyValue>;
    expect([...v.keys()]).toEqual(['a', 'b']);
    expect(v.get('a')).toEqual([1, 2.5, null, true, 'x', new Uint8Array([0, 255]), 2n ** 70n, -1, -70000, [1, 2]]);
    expect(v.get('b')).toBe('é');
  });

  it('calls only what findGlobal allows, and BUILD only where the global says how', () => {
    const made: PyValue[][] = [];
    const pair: PyGlobal = {pyType: 'global', module: 'm', name: 'pair', call: (args) => (made.push(args), new Map<PyValue, PyValue>([['args', args]]))};
    const o = opts({findGlobal: (m, n) => (m === 'm' && n === 'pair' ? pair : undefined)});
    // GLOBAL 'm pair', (1, 2), REDUCE, STOP
    expect(unpickle(Buffer.from('\x80\x02cm\npair\nK\x01K\x02\x86R.', 'latin1'), o)).toEqual(new Map([['args', [1, 2]]]));
    expect(made).toEqual([[1, 2]]);
    expect(refused(Buffer.from('\x80\x02cos\nsystem\nX\x02\x00\x00\x00ls\x85R.', 'latin1'), o)).toBe('test.pkl: pickle byte 2: refused global "os.system": only nothing are allowed (a pickle that names anything else could run code)');
    expect(refused(Buffer.from('\x80\x02cm\npair\n)R}b.', 'latin1'), o)).toBe('test.pkl: pickle byte 13: BUILD (__setstate__) on a dict is not allowed');
  });

  it('refuses object-building and text-mode opcodes, unknown bytes and truncation, naming the position', () => {
    expect(refused(Buffer.from('\x80\x02(cos\nsystem\no.', 'latin1'))).toBe('test.pkl: pickle byte 3: refused global "os.system": only nothing are allowed (a pickle that names anything else could run code)');
    expect(refused(Buffer.from('\x80\x02\x81.', 'latin1'))).toBe('test.pkl: pickle byte 2: opcode NEWOBJ (0x81) is not supported (torch does not write it)');
    expect(refused(Buffer.from('(lp0\nI1\na.', 'latin1'))).toBe('test.pkl: pickle byte 1: opcode LIST (0x6c) is not supported (torch does not write it)');
    expect(refused(Buffer.from('\x80\x02\xff.', 'latin1'))).toBe('test.pkl: pickle byte 2: unknown opcode 0xff (not a pickle, or corrupt)');
    expect(refused(Buffer.from('\x80\x02X\xff\x00\x00\x00ab', 'latin1'))).toBe('test.pkl: pickle byte 2: needs 255 more bytes, the pickle ends at byte 9 (truncated?)');
    expect(refused(Buffer.from('\x80\x02h\x05.', 'latin1'))).toBe('test.pkl: pickle byte 2: memo key 5 was never stored (malformed pickle)');
    expect(refused(Buffer.from('\x80\x02K\x01R.', 'latin1'))).toBe('test.pkl: pickle byte 4: stack underflow (malformed pickle)');
  });
});

/**
 * A safe unpickler for the pickles `torch.save` writes (Python's pickle protocol 2, plus the protocol-4 opcodes
 * FRAME, MEMOIZE, SHORT_BINUNICODE, BINUNICODE8 and STACK_GLOBAL). Reference: CPython's `Lib/pickle.py` and
 * `Lib/pickletools.py` (the opcode table).
 *
 * Nothing is executed: a GLOBAL opcode is resolved through `findGlobal`, which returns a `PyGlobal` only for names
 * it allows (`globals.ts` allows the tensor-rebuild functions and storage types of torch and `OrderedDict`), and REDUCE
 * calls that JavaScript implementation. Any other name, and every opcode outside the set above (INST, OBJ, NEWOBJ,
 * EXT*, the text-mode protocol-0 opcodes...), is refused with an error naming it and its byte position.
 *
 * Python values become: None -> null, bool -> boolean, int -> number (bigint beyond 2^53), float -> number,
 * str -> string, bytes -> Uint8Array, list and tuple -> array, dict -> Map (insertion order and key types kept).
 */
import {dataError, MISSING_VALUE} from '../../errors';

/** A Python value as the unpickler returns it (see the module comment). */
export type PyValue = null | boolean | number | bigint | string | Uint8Array | PyValue[] | PyDict | PyGlobal | PyObject;

/** A Python dict (or OrderedDict): keys keep their Python types (`0` and `"0"` differ). */
export type PyDict = Map<PyValue, PyValue>;

/** An object a `PyGlobal` built (a tensor, a storage reference...): whatever the allowed function returns. */
export interface PyObject {
  readonly pyType: string;
}

/** An allowed global (`module.name`): called by REDUCE when it has `call`, otherwise only passed around. */
export interface PyGlobal {
  readonly pyType: 'global';
  readonly module: string;
  readonly name: string;
  /** the Python callable's replacement: gets the argument tuple, returns the value */
  call?: (args: PyValue[]) => PyValue;
  /** BUILD on a value this global returned: `obj.__setstate__(state)` */
  build?: (obj: PyValue, state: PyValue) => PyValue;
}

export interface UnpickleOptions {
  /** the file (and archive entry) named in errors */
  source: string;
  /** the allowed global `module.name`, or undefined to refuse it */
  findGlobal: (module: string, name: string) => PyGlobal | undefined;
  /** the list of allowed names, quoted when a global is refused */
  allowed: string;
  /** BINPERSID: the value of a persistent id (torch: its storages) */
  persistentLoad: (pid: PyValue) => PyValue;
}

/** Whether `v` is a Python dict (or OrderedDict). */
export function isPyDict(v: PyValue | undefined): v is PyDict {
  return v instanceof Map;
}

/** Whether `v` is a value a `PyGlobal` returned with this `pyType`. */
export function isPyObject<T extends PyObject>(v: PyValue | undefined, pyType: string): v is PyValue & T {
  return typeof v === 'object' && v !== null && !(v instanceof Map) && !(v instanceof Uint8Array) && !Array.isArray(v) && (v as PyObject).pyType === pyType;
}

/** Opcodes that exist but are refused: they build arbitrary objects or belong to protocols torch does not write. */
const UNSUPPORTED: Record<number, string> = {
  0x69: 'INST', 0x6f: 'OBJ', 0x81: 'NEWOBJ', 0x92: 'NEWOBJ_EX', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4',
  0x50: 'PERSID', 0x49: 'INT', 0x4c: 'LONG', 0x46: 'FLOAT', 0x53: 'STRING', 0x56: 'UNICODE', 0x64: 'DICT',
  0x6c: 'LIST', 0x67: 'GET', 0x70: 'PUT', 0x8f: 'EMPTY_SET', 0x90: 'ADDITEMS', 0x91: 'FROZENSET',
  0x96: 'BYTEARRAY8', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
};

/**
 * Reads one pickle.
 * @throws MixupError (data) naming `opts.source`, the byte position and the opcode or global that is refused,
 *   for truncated or malformed data
 */
export function unpickle(bytes: Uint8Array, opts: UnpickleOptions): PyValue {
  return unpickleAt(bytes, 0, opts).value;
}

/**
 * Reads the pickle that starts at byte `start` of `bytes` (a file may hold several in a row, as torch's legacy
 * format does) and says where it ended (the byte after its STOP).
 * @throws MixupError (data) as `unpickle` does
 */
export function unpickleAt(bytes: Uint8Array, start: number, opts: UnpickleOptions): {value: PyValue; end: number} {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // MARK moves the current stack onto `metastack`; popping to the mark takes `stack` and restores the saved one
  const stack: PyValue[] = [];
  const metastack: PyValue[][] = [];
  const memo = new Map<number, PyValue>();
  const builders = new WeakMap<object, PyGlobal>();
  let pos = start;
  let opAt = start;
  const fail = (why: string) => dataError(`${opts.source}: pickle byte ${opAt}: ${why}`);
  const need = (n: number) => {
    if (n < 0 || pos + n > buf.length) throw fail(`needs ${n} more bytes, the pickle ends at byte ${buf.length} (truncated?)`);
    const at = pos;
    pos += n;
    return at;
  };
  const pop = (): PyValue => {
    if (stack.length === 0) throw fail('stack underflow (malformed pickle)');
    return stack.pop()!;
  };
  const top = (): PyValue => {
    if (stack.length === 0) throw fail('stack underflow (malformed pickle)');
    return stack[stack.length - 1];
  };
  const popMark = (): PyValue[] => {
    const back = metastack.pop();
    if (back === undefined) throw fail('no MARK to pop to (malformed pickle)');
    const out = stack.splice(0);
    for (const v of back) stack.push(v);
    return out;
  };
  const text = (n: number) => buf.toString('utf8', need(n), pos);
  const bytesAt = (at: number) => new Uint8Array(buf.subarray(at, pos)); // a copy, not a Buffer
  const setItems = (dict: PyValue, items: PyValue[]) => {
    if (!isPyDict(dict)) throw fail(`SETITEM(S) on a ${typeName(dict)}, not a dict`);
    if (items.length % 2) throw fail('SETITEMS with an odd number of items');
    for (let i = 0; i < items.length; i += 2) dict.set(items[i], items[i + 1]);
  };
  const resolve = (module: string, name: string): PyGlobal => {
    const g = opts.findGlobal(module, name);
    if (!g) throw fail(`refused global "${module}.${name}": only ${opts.allowed} are allowed (a pickle that names anything else could run code)`);
    return g;
  };
  const readLine = () => {
    const end = buf.indexOf(0x0a, pos);
    if (end < 0) throw fail('GLOBAL without a newline (truncated?)');
    const line = buf.toString('utf8', pos, end);
    pos = end + 1;
    return line;
  };

  for (;;) {
    opAt = pos;
    const op = buf[need(1)];
    switch (op) {
      case 0x80: { // PROTO
        const proto = buf[need(1)];
        if (proto > 5) throw fail(`pickle protocol ${proto} is newer than 5`);
        break;
      }
      case 0x95: need(8); break; // FRAME: a length hint only
      case 0x2e: return {value: pop(), end: pos}; // STOP
      case 0x28: metastack.push(stack.splice(0)); break; // MARK
      case 0x4e: stack.push(null); break;
      case 0x88: stack.push(true); break;
      case 0x89: stack.push(false); break;
      case 0x4a: stack.push(buf.readInt32LE(need(4))); break;
      case 0x4b: stack.push(buf[need(1)]); break;
      case 0x4d: stack.push(buf.readUInt16LE(need(2))); break;
      case 0x8a: { const n = buf[need(1)]; stack.push(readLong(buf, need(n), n)); break; }
      case 0x8b: {
        const n = buf.readInt32LE(need(4));
        if (n > 1 << 16) throw fail(`LONG4 of ${n} bytes (refused: larger than any integer torch writes)`);
        stack.push(readLong(buf, need(n), n));
        break;
      }
      case 0x47: stack.push(buf.readDoubleBE(need(8))); break;
      case 0x58: stack.push(text(buf.readUInt32LE(need(4)))); break;
      case 0x8c: stack.push(text(buf[need(1)])); break;
      case 0x8d: stack.push(text(Number(buf.readBigUInt64LE(need(8))))); break;
      case 0x54: stack.push(buf.toString('latin1', need(buf.readInt32LE(need(4))), pos)); break; // Python 2 str
      case 0x55: stack.push(buf.toString('latin1', need(buf[need(1)]), pos)); break;
      case 0x42: { const n = buf.readUInt32LE(need(4)); stack.push(bytesAt(need(n))); break; }
      case 0x43: { const n = buf[need(1)]; stack.push(bytesAt(need(n))); break; }
      case 0x8e: { const n = Number(buf.readBigUInt64LE(need(8))); stack.push(bytesAt(need(n))); break; }
      case 0x29: stack.push([]); break;
      case 0x74: stack.push(popMark()); break;
      case 0x85: stack.push([pop()]); break;
      case 0x86: { const b = pop(); stack.push([pop(), b]); break; }
      case 0x87: { const c = pop(); const b = pop(); stack.push([pop(), b, c]); break; }
      case 0x5d: stack.push([]); break;
      case 0x61: { const v = pop(); const list = top(); if (!Array.isArray(list)) throw fail(`APPEND to a ${typeName(list)}`); list.push(v); break; }
      case 0x65: { const items = popMark(); const list = top(); if (!Array.isArray(list)) throw fail(`APPENDS to a ${typeName(list)}`); list.push(...items); break; }
      case 0x7d: stack.push(new Map()); break;
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break; }
      case 0x75: { const items = popMark(); setItems(top(), items); break; }
      case 0x71: memo.set(buf[need(1)], top()); break;
      case 0x72: memo.set(buf.readUInt32LE(need(4)), top()); break;
      case 0x94: memo.set(memo.size, top()); break;
      case 0x68: case 0x6a: {
        const key = op === 0x68 ? buf[need(1)] : buf.readUInt32LE(need(4));
        if (!memo.has(key)) throw fail(`memo key ${key} was never stored (malformed pickle)`);
        stack.push(memo.get(key)!);
        break;
      }
      case 0x63: { const module = readLine(); stack.push(resolve(module, readLine())); break; }
      case 0x93: {
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw fail('STACK_GLOBAL needs two strings');
        stack.push(resolve(module, name));
        break;
      }
      case 0x52: { // REDUCE
        const args = pop();
        const fn = pop();
        if (!isPyObject<PyGlobal>(fn, 'global')) throw fail(`REDUCE on a ${typeName(fn)}, not an allowed global`);
        if (!fn.call) throw fail(`"${fn.module}.${fn.name}" is not callable here`);
        if (!Array.isArray(args)) throw fail(`REDUCE of "${fn.module}.${fn.name}" with ${typeName(args)} arguments, not a tuple`);
        let made: PyValue;
        try {
          made = fn.call(args);
        } catch (error) {
          throw fail(`${fn.module}.${fn.name}: ${(error as Error).message}`);
        }
        if (fn.build && typeof made === 'object' && made !== null) builders.set(made, fn);
        stack.push(made);
        break;
      }
      case 0x62: { // BUILD
        const state = pop();
        const obj = pop();
        const builder = typeof obj === 'object' && obj !== null ? builders.get(obj) : undefined;
        if (!builder?.build) throw fail(`BUILD (__setstate__) on a ${typeName(obj)} is not allowed`);
        stack.push(builder.build(obj, state));
        break;
      }
      case 0x51: { // BINPERSID
        const pid = pop();
        try {
          stack.push(opts.persistentLoad(pid));
        } catch (error) {
          throw fail(`persistent id: ${(error as Error).message}`);
        }
        break;
      }
      case 0x30: if (stack.length === 0) popMark(); else pop(); break;
      case 0x31: popMark(); break;
      case 0x32: stack.push(top()); break;
      default:
        if (UNSUPPORTED[op]) throw fail(`opcode ${UNSUPPORTED[op]} (0x${op.toString(16)}) is not supported (torch does not write it)`);
        throw fail(`unknown opcode 0x${op.toString(16).padStart(2, '0')} (not a pickle, or corrupt)`);
    }
  }
}

/** A little-endian two's-complement integer of `n` bytes (LONG1/LONG4): a number when safe, else a bigint. */
function readLong(buf: Buffer, at: number, n: number): number | bigint {
  if (n === 0) return 0;
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(buf[at + i]);
  if (buf[at + n - 1] & 0x80) v -= 1n << BigInt(8 * n);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** The Python-ish type of a value, for errors. */
export function typeName(v: PyValue | undefined): string {
  if (v === null) return 'None';
  if (v === undefined) return MISSING_VALUE;
  if (Array.isArray(v)) return 'tuple/list';
  if (v instanceof Map) return 'dict';
  if (v instanceof Uint8Array) return 'bytes';
  if (typeof v === 'object') return (v as PyObject).pyType === 'global' ? `global ${(v as PyGlobal).module}.${(v as PyGlobal).name}` : (v as PyObject).pyType;
  return typeof v === 'bigint' ? 'int' : typeof v === 'number' ? 'number' : typeof v === 'string' ? 'str' : 'bool';
}

/**
 * Writing the pickle of a `torch.save` file (protocol 2, the opcodes torch itself writes): plain values (None, bool,
 * int, float, str, list, dict), `collections.OrderedDict` and tensors as
 * `torch._utils._rebuild_tensor_v2((persistent id ('storage', torch.FloatStorage, key, 'cpu', numel)), 0, size,
 * stride, False, OrderedDict())`, whose storage bytes the caller stores as archive entry `data/<key>`.
 */
import {contiguousStrides, type Dtype, numel, type RawTensor} from './tensor';

/** What `pickleValue` writes: JSON-like values, ordered dicts and tensors (`{tensor, key}`: its storage key). */
export type PickleInput = null | boolean | number | bigint | string | PickleInput[] | PickledOrderedDict | PickledTensor | {[key: string]: PickleInput};

/** A `collections.OrderedDict` (a state dict). */
export interface PickledOrderedDict {
  readonly orderedDict: ReadonlyMap<string, PickleInput>;
}

/** A tensor whose storage is archive entry `data/<key>`. */
export interface PickledTensor {
  readonly tensor: RawTensor;
  readonly key: string;
}

/** dtype -> the storage class torch names in a persistent id. */
const STORAGE_CLASS: Readonly<Record<Dtype, string>> = {
  F64: 'DoubleStorage', F32: 'FloatStorage', F16: 'HalfStorage', BF16: 'BFloat16Storage', I64: 'LongStorage',
  I32: 'IntStorage', I16: 'ShortStorage', I8: 'CharStorage', U8: 'ByteStorage', BOOL: 'BoolStorage',
};

/** Pickle opcodes written (CPython `Lib/pickle.py` names). */
const OP = {
  PROTO: 0x80, STOP: 0x2e, MARK: 0x28, NONE: 0x4e, NEWTRUE: 0x88, NEWFALSE: 0x89, BININT: 0x4a, BININT1: 0x4b,
  BININT2: 0x4d, LONG1: 0x8a, BINFLOAT: 0x47, BINUNICODE: 0x58, EMPTY_TUPLE: 0x29, TUPLE: 0x74, TUPLE1: 0x85,
  TUPLE2: 0x86, TUPLE3: 0x87, EMPTY_LIST: 0x5d, APPENDS: 0x65, EMPTY_DICT: 0x7d, SETITEMS: 0x75, GLOBAL: 0x63,
  REDUCE: 0x52, BINPERSID: 0x51, BINPUT: 0x71, LONG_BINPUT: 0x72, BINGET: 0x68, LONG_BINGET: 0x6a,
} as const;

/** Python's pickler writes SETITEMS/APPENDS in batches of this many items. */
const BATCH = 1000;

/** Collects the bytes of one pickle. */
class PickleWriter {
  private readonly chunks: Buffer[] = [];
  private readonly memo = new Map<string, number>();

  byte(...ops: number[]): void {
    this.chunks.push(Buffer.from(ops));
  }

  int(v: number | bigint): void {
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v < 256) this.byte(OP.BININT1, v);
    else if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v < 65536) this.byte(OP.BININT2, v & 0xff, v >> 8);
    else if (typeof v === 'number' && Number.isSafeInteger(v) && v >= -(2 ** 31) && v < 2 ** 31) {
      const b = Buffer.alloc(5);
      b[0] = OP.BININT;
      b.writeInt32LE(v, 1);
      this.chunks.push(b);
    } else this.long(BigInt(v));
  }

  /** LONG1: little-endian two's complement, as few bytes as hold the sign. */
  private long(v: bigint): void {
    const bytes: number[] = [];
    let x = v;
    while (true) {
      const b = Number(x & 0xffn);
      bytes.push(b);
      x >>= 8n;
      if ((x === 0n && !(b & 0x80)) || (x === -1n && b & 0x80)) break;
    }
    this.byte(OP.LONG1, bytes.length, ...bytes);
  }

  float(v: number): void {
    const b = Buffer.alloc(9);
    b[0] = OP.BINFLOAT;
    b.writeDoubleBE(v, 1);
    this.chunks.push(b);
  }

  str(s: string): void {
    const text = Buffer.from(s, 'utf8');
    const head = Buffer.alloc(5);
    head[0] = OP.BINUNICODE;
    head.writeUInt32LE(text.length, 1);
    this.chunks.push(head, text);
  }

  /** GLOBAL `module name`, memoized: the second use is a BINGET. */
  global(module: string, name: string): void {
    const id = `${module}\n${name}\n`;
    const known = this.memo.get(id);
    if (known !== undefined) {
      this.get(known);
      return;
    }
    this.byte(OP.GLOBAL);
    this.chunks.push(Buffer.from(id, 'utf8'));
    const index = this.memo.size;
    this.memo.set(id, index);
    this.memoOp(OP.BINPUT, OP.LONG_BINPUT, index);
  }

  private get(index: number): void {
    this.memoOp(OP.BINGET, OP.LONG_BINGET, index);
  }

  /** A memo opcode with a 1-byte index (`short`) or a 4-byte one (`long`). */
  private memoOp(short: number, long: number, index: number): void {
    if (index < 256) return this.byte(short, index);
    const b = Buffer.alloc(5);
    b[0] = long;
    b.writeUInt32LE(index, 1);
    this.chunks.push(b);
  }

  tuple(items: ReadonlyArray<() => void>): void {
    if (items.length === 0) return this.byte(OP.EMPTY_TUPLE);
    if (items.length > 3) this.byte(OP.MARK);
    for (const item of items) item();
    this.byte(items.length > 3 ? OP.TUPLE : [OP.TUPLE1, OP.TUPLE2, OP.TUPLE3][items.length - 1]);
  }

  /** `SETITEMS` in batches on the dict on top of the stack. */
  items(entries: ReadonlyArray<[string, PickleInput]>): void {
    for (let i = 0; i < entries.length; i += BATCH) {
      this.byte(OP.MARK);
      for (const [k, v] of entries.slice(i, i + BATCH)) {
        this.str(k);
        this.value(v);
      }
      this.byte(OP.SETITEMS);
    }
  }

  value(v: PickleInput): void {
    if (v === null) return this.byte(OP.NONE);
    if (typeof v === 'boolean') return this.byte(v ? OP.NEWTRUE : OP.NEWFALSE);
    if (typeof v === 'bigint') return this.int(v);
    if (typeof v === 'number') return Number.isInteger(v) && Number.isSafeInteger(v) ? this.int(v) : this.float(v);
    if (typeof v === 'string') return this.str(v);
    if (Array.isArray(v)) {
      this.byte(OP.EMPTY_LIST);
      for (let i = 0; i < v.length; i += BATCH) {
        this.byte(OP.MARK);
        for (const item of v.slice(i, i + BATCH)) this.value(item);
        this.byte(OP.APPENDS);
      }
      return;
    }
    if ('orderedDict' in v && v.orderedDict instanceof Map) {
      this.orderedDict();
      this.items([...(v as PickledOrderedDict).orderedDict]);
      return;
    }
    if ('tensor' in v && 'key' in v && typeof v.key === 'string') return this.tensor(v as PickledTensor);
    this.byte(OP.EMPTY_DICT);
    this.items(Object.entries(v as {[key: string]: PickleInput}));
  }

  /** `OrderedDict()`: GLOBAL, (), REDUCE. */
  private orderedDict(): void {
    this.global('collections', 'OrderedDict');
    this.byte(OP.EMPTY_TUPLE, OP.REDUCE);
  }

  /** `_rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())`, as torch 1.13 writes it. */
  private tensor({tensor, key}: PickledTensor): void {
    const {dtype, shape} = tensor;
    this.global('torch._utils', '_rebuild_tensor_v2');
    this.tuple([
      () => {
        this.tuple([() => this.str('storage'), () => this.global('torch', STORAGE_CLASS[dtype]), () => this.str(key), () => this.str('cpu'), () => this.int(numel(shape))]);
        this.byte(OP.BINPERSID);
      },
      () => this.int(0),
      () => this.tuple(shape.map((d) => () => this.int(d))),
      () => this.tuple(contiguousStrides(shape).map((s) => () => this.int(s))),
      () => this.byte(OP.NEWFALSE),
      () => this.orderedDict(),
    ]);
    this.byte(OP.REDUCE);
  }

  finish(): Buffer {
    return Buffer.concat([Buffer.from([OP.PROTO, 2]), ...this.chunks, Buffer.from([OP.STOP])]);
  }
}

/** The protocol-2 pickle of `v` (tensors as persistent storage references; see the module comment). */
export function pickleValue(v: PickleInput): Buffer {
  const w = new PickleWriter();
  w.value(v);
  return w.finish();
}

/**
 * The only Python globals a PyTorch pickle may name here, and their JavaScript replacements: what torch's own
 * `torch.load(weights_only=True)` needs for a state dict or an mmcv checkpoint.
 *
 * - `collections.OrderedDict` (a state_dict; its `_metadata` attribute, set by BUILD, is dropped),
 * - `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])` and the older
 *   `_rebuild_tensor(storage, offset, size, stride)`: a strided view of a storage, gathered into a dense `RawTensor`,
 * - `torch._utils._rebuild_parameter(data, requires_grad, hooks)` and `_rebuild_parameter_with_state(..., state)`:
 *   an `nn.Parameter`, i.e. its data,
 * - the storage types `torch.FloatStorage`, `torch.LongStorage`, ... named in each storage's persistent id
 *   `('storage', torch.FloatStorage, key, location, numel)`, whose bytes are the archive entry `data/<key>` (the
 *   legacy format adds a sixth item, `(view_key, offset, numel)` or None, for a view into another storage).
 */
import {DTYPE_BYTES, type Dtype, gatherStrided, numel, type RawTensor} from './tensor';
import {isPyObject, type PyGlobal, type PyObject, type PyValue, type UnpickleOptions, typeName} from './pickle';
import {showValue} from '../../errors';

/** A tensor the unpickler rebuilt (dense, little-endian). */
export interface TorchTensor extends PyObject {
  readonly pyType: 'tensor';
  readonly tensor: RawTensor;
}

/** Whether a pickled value is a tensor. */
export function isTorchTensor(v: PyValue | undefined): v is PyValue & TorchTensor {
  return isPyObject<TorchTensor>(v, 'tensor');
}

/** One storage of the archive, as its persistent id describes it. */
interface StorageRef extends PyObject {
  readonly pyType: 'storage';
  readonly key: string;
  readonly dtype: Dtype;
  readonly numel: number;
  readonly bytes: Uint8Array;
}

/** torch storage class -> element type (the typed-storage names torch still writes in persistent ids). */
export const STORAGE_DTYPES: Readonly<Record<string, Dtype>> = {
  DoubleStorage: 'F64', FloatStorage: 'F32', HalfStorage: 'F16', BFloat16Storage: 'BF16', LongStorage: 'I64',
  IntStorage: 'I32', ShortStorage: 'I16', CharStorage: 'I8', ByteStorage: 'U8', BoolStorage: 'BOOL',
};

const REBUILD = ['_rebuild_tensor_v2', '_rebuild_tensor', '_rebuild_parameter', '_rebuild_parameter_with_state'];

/** The allowed globals, as error messages list them. */
export const ALLOWED_GLOBALS = `collections.OrderedDict, ${REBUILD.map((f) => `torch._utils.${f}`).join(', ')} and the storage types torch.${Object.keys(STORAGE_DTYPES).join(', torch.')}`;

const isInt = (v: PyValue): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isIntTuple = (v: PyValue): v is number[] => Array.isArray(v) && v.every(isInt);

/** `(storage, offset, size, stride, ...)` -> the dense tensor; every index checked against the storage. */
function rebuildTensor(args: PyValue[]): TorchTensor {
  const [storage, offset, size, stride] = args;
  if (!isPyObject<StorageRef>(storage, 'storage')) throw new Error(`argument 1 must be a storage, got ${typeName(storage)}`);
  if (!isInt(offset)) throw new Error(`storage offset must be an integer >= 0, got ${String(offset)}`);
  if (!isIntTuple(size) || !isIntTuple(stride) || size.length !== stride.length) {
    throw new Error(`size and stride must be integer tuples of one length, got ${showValue(size)} and ${JSON.stringify(stride)}`);
  }
  const n = numel(size);
  const last = n === 0 ? offset : offset + size.reduce((acc, d, i) => acc + (d - 1) * stride[i], 0);
  if (n > 0 && last >= storage.numel) {
    throw new Error(`a view of shape [${size.join(', ')}] (offset ${offset}, stride [${stride.join(', ')}]) reaches element ${last} of storage "${storage.key}", which has ${storage.numel}`);
  }
  const bytes = n === 0 ? new Uint8Array(0) : gatherStrided(storage.bytes, DTYPE_BYTES[storage.dtype], size, stride, offset);
  return {pyType: 'tensor', tensor: {dtype: storage.dtype, shape: [...size], bytes}};
}

function parameter(args: PyValue[]): PyValue {
  if (!isTorchTensor(args[0])) throw new Error(`argument 1 must be a tensor, got ${typeName(args[0])}`);
  return args[0];
}

/** `OrderedDict()` or `OrderedDict([(k, v), ...])`. */
function orderedDict(args: PyValue[]): PyValue {
  const out = new Map<PyValue, PyValue>();
  const items = args[0] ?? [];
  if (!Array.isArray(items)) throw new Error(`argument must be a list of pairs, got ${typeName(items)}`);
  for (const pair of items) {
    if (!Array.isArray(pair) || pair.length !== 2) throw new Error(`item ${JSON.stringify(typeName(pair))} is not a (key, value) pair`);
    out.set(pair[0], pair[1]);
  }
  return out;
}

/**
 * Unpickler options for a torch archive: the allowed globals and the persistent-id loader of its storages.
 * @param readStorage the bytes of storage `key` of `numel` elements of type `dtype` (zip: the archive entry
 *   `data/<key>`; throws naming the entry when it is missing)
 */
export function torchUnpickleOptions(source: string, readStorage: (key: string, dtype: Dtype, numel: number) => Uint8Array): UnpickleOptions {
  const globals = new Map<string, PyGlobal>();
  const add = (module: string, name: string, call?: PyGlobal['call'], build?: PyGlobal['build']) =>
    globals.set(`${module}.${name}`, {pyType: 'global', module, name, call, build});
  add('collections', 'OrderedDict', orderedDict, (obj) => obj); // BUILD sets `_metadata`: dropped
  add('torch._utils', '_rebuild_tensor_v2', rebuildTensor);
  add('torch._utils', '_rebuild_tensor', rebuildTensor);
  add('torch._utils', '_rebuild_parameter', parameter);
  add('torch._utils', '_rebuild_parameter_with_state', parameter);
  for (const name of Object.keys(STORAGE_DTYPES)) add('torch', name);
  const storages = new Map<string, StorageRef>();
  return {
    source,
    allowed: ALLOWED_GLOBALS,
    findGlobal: (module, name) => globals.get(`${module}.${name}`),
    persistentLoad: (pid) => {
      if (!Array.isArray(pid) || (pid.length !== 5 && pid.length !== 6) || pid[0] !== 'storage') throw new Error(`persistent id ${typeName(pid)} is not ('storage', type, key, location, numel)`);
      const [, type, key, , count, view] = pid;
      if (!isPyObject<PyGlobal>(type, 'global') || !(type.name in STORAGE_DTYPES)) throw new Error(`storage type ${typeName(type)} is not one of torch.${Object.keys(STORAGE_DTYPES).join(', torch.')}`);
      if (typeof key !== 'string' || !isInt(count)) throw new Error(`storage key ${JSON.stringify(typeName(key))} / size ${String(count)} malformed`);
      const dtype = STORAGE_DTYPES[type.name];
      let ref = storages.get(key);
      if (!ref) {
        const bytes = readStorage(key, dtype, count);
        if (bytes.length !== count * DTYPE_BYTES[dtype]) {
          throw new Error(`storage "${key}" (${type.name}) should hold ${count} elements = ${count * DTYPE_BYTES[dtype]} bytes, its entry has ${bytes.length}`);
        }
        ref = {pyType: 'storage', key, dtype, numel: count, bytes};
        storages.set(key, ref);
      }
      if (view === undefined || view === null) return ref;
      // legacy format: (view_key, offset, numel) of a view into storage `key`
      if (!Array.isArray(view) || view.length !== 3 || typeof view[0] !== 'string' || !isInt(view[1]) || !isInt(view[2]) || view[1] + view[2] > ref.numel) {
        throw new Error(`storage view ${JSON.stringify(typeName(view))} of "${key}" (${ref.numel} elements) is not (key, offset, numel) inside it`);
      }
      const size = DTYPE_BYTES[dtype];
      return {pyType: 'storage', key: view[0], dtype, numel: view[2], bytes: ref.bytes.subarray(view[1] * size, (view[1] + view[2]) * size)} satisfies StorageRef;
    },
  };
}

/**
 * Finding the state dict in what a PyTorch file holds, and naming its tensors as torchvision does:
 *
 * - a plain `state_dict` (`torch.save(model.state_dict(), f)`: an OrderedDict of tensors), or
 * - an mmcv / OpenMixup checkpoint `{"meta": {...}, "state_dict": {...}, "optimizer": {...}}` (the optimizer is
 *   dropped, the meta kept as JSON);
 * - DataParallel's `module.` prefix is removed when every key has it; OpenMixup's classifier names
 *   (`backbone.conv1.weight`, `head.fc.weight`) become torchvision's (`conv1.weight`, `fc.weight`) when every key
 *   starts with `backbone.` or `head.` (AutoMix's `backbone_q.`, `mix_block.`... are kept as they are).
 */
import {dataError} from '../../errors';
import {isTorchTensor} from './globals';
import {isPyDict, type PyDict, type PyValue, typeName} from './pickle';
import type {RawTensor} from './tensor';

/** The tensors of a PyTorch file and where they came from. */
export interface TorchStateDict {
  /** torchvision-named tensors, in the file's order */
  tensors: Map<string, RawTensor>;
  /** "state_dict" (a plain state dict) or "mmcv checkpoint" (`state_dict` + `meta`) */
  container: 'state_dict' | 'mmcv checkpoint';
  /** the checkpoint's `meta` as JSON (mmcv: epoch, iter, mmcv_version, config...), when there is one */
  meta?: unknown;
  /** prefixes removed from every key ("module.", "backbone.", "head.") */
  renamed: string[];
  /** top-level keys of an mmcv checkpoint that were not read ("optimizer") */
  ignored: string[];
}

/**
 * The state dict of an unpickled PyTorch file.
 * @param shown the file, named in errors
 * @throws MixupError (data) naming the file and the key that is not a tensor, or listing the top-level keys
 */
export function stateDictOf(value: PyValue, shown: string): TorchStateDict {
  if (!isPyDict(value)) throw dataError(`${shown}: holds a ${typeName(value)}, not a state dict (a dict of tensors) or an mmcv checkpoint`);
  let dict: PyDict = value;
  let container: TorchStateDict['container'] = 'state_dict';
  let meta: unknown;
  const ignored: string[] = [];
  let where = 'state dict';
  if (value.has('state_dict')) {
    const inner = value.get('state_dict')!;
    if (!isPyDict(inner)) throw dataError(`${shown}: "state_dict" is a ${typeName(inner)}, not a dict of tensors`);
    dict = inner;
    container = 'mmcv checkpoint';
    where = '"state_dict"';
    if (value.has('meta')) meta = toJson(value.get('meta')!);
    for (const key of value.keys()) if (key !== 'state_dict' && key !== 'meta') ignored.push(String(key));
  }
  const entries: Array<[string, RawTensor]> = [];
  for (const [key, v] of dict) {
    if (typeof key !== 'string') throw dataError(`${shown}: ${where} has a key ${JSON.stringify(toJson(key))} (${typeName(key)}), not a tensor name`);
    if (!isTorchTensor(v)) {
      const keys = container === 'state_dict' ? ` (top-level keys: ${[...dict.keys()].slice(0, 8).map((k) => JSON.stringify(toJson(k))).join(', ')}; an mmcv checkpoint keeps its tensors under "state_dict")` : '';
      throw dataError(`${shown}: ${where} entry "${key}" is a ${typeName(v)}, not a tensor${keys}`);
    }
    entries.push([key, v.tensor]);
  }
  const renamed: string[] = [];
  let names = entries.map(([k]) => k);
  if (names.length > 0 && names.every((k) => k.startsWith('module.'))) {
    names = names.map((k) => k.slice('module.'.length));
    renamed.push('module.');
  }
  if (names.some((k) => k.startsWith('backbone.')) && names.every((k) => k.startsWith('backbone.') || k.startsWith('head.'))) {
    names = names.map((k) => k.replace(/^(backbone|head)\./, ''));
    renamed.push('backbone.', 'head.');
  }
  const tensors = new Map<string, RawTensor>();
  entries.forEach(([key, t], i) => {
    if (tensors.has(names[i])) throw dataError(`${shown}: "${key}" and another key both become "${names[i]}" once the prefixes ${renamed.join(', ')} are removed`);
    tensors.set(names[i], t);
  });
  return {tensors, container, meta, renamed, ignored};
}

/** A Python value as JSON: dicts as objects, big ints as strings, tensors and bytes described. */
export function toJson(v: PyValue): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map(toJson);
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  if (isPyDict(v)) return Object.fromEntries([...v].map(([k, x]) => [typeof k === 'string' ? k : JSON.stringify(toJson(k)), toJson(x)]));
  if (isTorchTensor(v)) return `<tensor ${v.tensor.dtype} [${v.tensor.shape.join(', ')}]>`;
  return `<${typeName(v)}>`;
}

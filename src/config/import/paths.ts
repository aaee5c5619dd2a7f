/**
 * Dotted paths as validation messages write them (`data.train.pipeline[2].size`, `model.mix_args.fmix`): parsing,
 * reading and deleting, for the importer's rules.
 */
import {isObject} from '../load';

/** `a.b[2].c` -> `['a', 'b', 2, 'c']` */
export function parsePath(dotted: string): Array<string | number> {
  const parts: Array<string | number> = [];
  for (const match of dotted.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(match[2] !== undefined ? Number(match[2]) : match[1]);
  return parts;
}

/** `['a', 'b', 2]` -> `a.b[2]` */
export function joinPath(parts: ReadonlyArray<string | number>): string {
  return parts.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc === '' ? part : `${acc}.${part}`), '');
}

/** The value at `dotted`, or undefined. */
export function getAt(root: unknown, dotted: string): unknown {
  let at: unknown = root;
  for (const part of parsePath(dotted)) {
    if (typeof part === 'number' ? !Array.isArray(at) : !isObject(at)) return undefined;
    at = (at as Record<string | number, unknown>)[part];
  }
  return at;
}

/** Removes the value at `dotted` (an array element is spliced out); returns whether there was one. */
export function deleteAt(root: unknown, dotted: string): boolean {
  const parts = parsePath(dotted);
  const last = parts.pop();
  const parent = getAt(root, joinPath(parts));
  if (typeof last === 'number' && Array.isArray(parent) && last < parent.length) {
    parent.splice(last, 1);
    return true;
  }
  if (typeof last === 'string' && isObject(parent) && Object.hasOwn(parent, last)) {
    delete parent[last];
    return true;
  }
  return false;
}

/**
 * Structural limits of parsed JSON input (configs, checkpoint metadata): a bounded nesting depth, so that the
 * recursive merge and validation never overflow the stack ("Maximum call stack size exceeded" without a file name),
 * no `__proto__` key, which an object spread or assignment would turn into a prototype change, and finite numbers only:
 * `JSON.parse` turns an out-of-range literal such as `1e400` into `Infinity`, which would pass every `minimum` of the
 * schema (`runner.max_epochs: 1e400` trained forever).
 */
import {MixupError, type ErrorCategory} from '../errors';
import {displayPath} from './paths';

/** Deepest nesting of objects/arrays accepted in a config (real configs nest about 6 levels). */
export const MAX_JSON_DEPTH = 100;

/**
 * Walks `value` iteratively (no recursion) and refuses nesting deeper than `maxDepth`, any `__proto__` key and any
 * number that is not finite.
 * @throws MixupError (category, default usage) naming the file and the dotted path of the offending place
 */
export function checkJsonStructure(value: unknown, file: string, category: ErrorCategory = 'usage', maxDepth = MAX_JSON_DEPTH): void {
  const stack: Array<{value: unknown; path: string; depth: number}> = [{value, path: '', depth: 0}];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === 'number' && !Number.isFinite(item.value)) throw new MixupError(category, nonFiniteMessage(displayPath(file), item.path, item.value));
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= maxDepth) {
      throw new MixupError(category, `${displayPath(file)}: nesting deeper than ${maxDepth} levels (at ${item.path.slice(0, 200) || 'the top level'}${item.path.length > 200 ? '...' : ''}); a config nests only a few levels`);
    }
    if (Array.isArray(item.value)) {
      item.value.forEach((v, i) => stack.push({value: v, path: `${item.path}[${i}]`, depth: item.depth + 1}));
      continue;
    }
    for (const key of Object.keys(item.value)) {
      const at = item.path === '' ? key : `${item.path}.${key}`;
      if (key === '__proto__') throw new MixupError(category, `${displayPath(file)}: the key "__proto__" (at ${at.slice(0, 200)}) is not allowed`);
      stack.push({value: (item.value as Record<string, unknown>)[key], path: at, depth: item.depth + 1});
    }
  }
}

/**
 * `<where>: <path> is a number out of range (1e400 reads as Infinity); expected a finite number` — the one wording for
 * an out-of-range JSON number, in files and in `--set` values.
 */
export function nonFiniteMessage(where: string, dottedPath: string, value: number): string {
  const at = dottedPath === '' ? 'the value' : dottedPath.slice(0, 200) + (dottedPath.length > 200 ? '...' : '');
  return `${where}: ${at} is a number out of range (it reads as ${value}); expected a finite number`;
}

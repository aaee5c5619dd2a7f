/**
 * Seeded input mutators for the fuzz suite: text-level (truncation, byte flips, junk, deep nesting) and JSON-level
 * (a random place set to a hostile value: wrong types, huge or negative numbers, `__proto__`, deep nesting, long
 * strings, control characters). All randomness comes from `src/rng.ts`, so a failing case is reproduced by its index.
 */
import {Rng} from '../../src/rng';

const JUNK = ['{', '}', '[', ']', '"', ',', ':', '\u0000', '\n', '\r\n', '\\', '\u001b[31m', 'NaN', '1e400', '-0', '__proto__', 'é', '\ud800', '$(touch CANARY)'];

/** Hostile JSON values. */
function hostileValue(rng: Rng): unknown {
  const deep = (n: number): unknown => JSON.parse(`${'['.repeat(n)}${']'.repeat(n)}`);
  const values: Array<() => unknown> = [
    () => null,
    () => -1,
    () => 0,
    () => 1e308,
    () => -1e308,
    () => 2 ** 53 + 1,
    () => 0.5,
    () => 'x',
    () => '',
    () => true,
    () => [],
    () => ({}),
    () => JSON.parse('{"__proto__": {"polluted": 1}}'),
    () => ({type: 'Nope'}),
    () => deep(rng.intRange(50, 3000)),
    () => 'y'.repeat(rng.intRange(1000, 200_000)),
    () => `a\nb${JUNK[rng.int(JUNK.length)]}`,
    () => [1, 'two', null],
  ];
  return values[rng.int(values.length)]();
}

/** The container paths of a JSON value (objects and arrays), breadth-first, up to `limit`. */
function containers(value: unknown, limit = 500): Array<Record<string, unknown> | unknown[]> {
  const out: Array<Record<string, unknown> | unknown[]> = [];
  const queue: unknown[] = [value];
  while (queue.length > 0 && out.length < limit) {
    const v = queue.shift();
    if (v === null || typeof v !== 'object') continue;
    out.push(v as Record<string, unknown>);
    queue.push(...Object.values(v as object));
  }
  return out;
}

/** `value` (deep-copied) with one to three random places changed. */
export function mutateJson(value: unknown, rng: Rng): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as unknown;
  for (let n = 1 + rng.int(3); n > 0; n--) {
    const all = containers(copy);
    if (all.length === 0) return hostileValue(rng);
    const target = all[rng.int(all.length)];
    const keys = Object.keys(target);
    const op = rng.int(4);
    if (Array.isArray(target)) {
      if (op === 0 && target.length > 0) target.splice(rng.int(target.length), 1);
      else target[keys.length > 0 && op < 3 ? rng.int(target.length) : target.length] = hostileValue(rng);
    } else if (op === 0 && keys.length > 0) {
      delete target[keys[rng.int(keys.length)]];
    } else if (op === 1) {
      const names = ['__proto__', 'constructor', 'k'.repeat(rng.intRange(1, 300_000)), '_base_', '_delete_', 'unknown_key', ''];
      Object.defineProperty(target, names[rng.int(names.length)], {value: hostileValue(rng), enumerable: true, configurable: true, writable: true});
    } else if (keys.length > 0) {
      target[keys[rng.int(keys.length)]] = hostileValue(rng);
    }
  }
  return copy;
}

/** `text` with one text-level mutation. */
export function mutateText(text: string, rng: Rng): string {
  const at = rng.int(text.length + 1);
  switch (rng.int(8)) {
    case 0:
      return text.slice(0, at); // truncated (a killed writer)
    case 1:
      return text.slice(0, at) + String.fromCharCode(rng.int(256)) + text.slice(at + 1); // a flipped byte
    case 2:
      return text.slice(0, at) + JUNK[rng.int(JUNK.length)] + text.slice(at);
    case 3:
      return text.slice(0, at) + text.slice(rng.int(text.length + 1)); // a piece deleted or repeated
    case 4: {
      const depth = rng.intRange(100, 20_000);
      return `{"a": ${'['.repeat(depth)}${']'.repeat(depth)}, ${text.slice(1)}`;
    }
    case 5:
      return '';
    case 6:
      return text.replace(/\d+(\.\d+)?/g, (m) => (rng.uniform() < 0.2 ? JSON.stringify(m) : m)); // numbers become strings
    default:
      return text.split('\n').map((line) => (rng.uniform() < 0.1 ? `${line}${JUNK[rng.int(JUNK.length)]}` : line)).join('\n');
  }
}

/** A mutated form of `value`: JSON-level with probability 0.6, else text-level on its JSON text. */
export function mutateDocument(value: unknown, rng: Rng, indent?: number): string {
  return rng.uniform() < 0.6 ? JSON.stringify(mutateJson(value, rng), null, indent) : mutateText(JSON.stringify(value, null, indent), rng);
}

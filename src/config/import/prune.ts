/**
 * Leaves out what mixup's validator says it has no place for, and lists it: a field unknown where it is (the schema
 * is strict everywhere), a pipeline step, custom hook or log hook of a type mixup does not implement, and `mix_args`
 * of a method mixup does not have. Driven by `validateConfig`, so a field the schema learns is kept from then on.
 * Wrong values of known fields are not pruned: they stay validation problems.
 */
import {isDeepStrictEqual} from 'node:util';
import {type JsonObject} from '../load';
import {METHOD_NAMES} from '../methods';
import {showValue, validateConfig, type ConfigIssue} from '../validate';
import {deleteAt, getAt} from './paths';
import {note, type ImportNote} from './types';

/** Array elements that are dropped whole when their `type` is refused. */
const TYPED_ELEMENTS = [/^data\.(train|val)\.pipeline\[\d+\]$/, /^custom_hooks\[\d+\]$/, /^log_config\.hooks\[\d+\]$/];

/** The path to drop for `issue`, or undefined when it is a problem to report. */
function droppable(issue: ConfigIssue): string | undefined {
  if (issue.unknownField === true) return issue.path;
  if (issue.path.endsWith('.type')) {
    const element = issue.path.slice(0, -'.type'.length);
    if (TYPED_ELEMENTS.some((pattern) => pattern.test(element))) return element;
  }
  const method = /^model\.mix_args\.([^.[\]]+)$/.exec(issue.path);
  if (method && !METHOD_NAMES.includes(method[1])) return issue.path;
  return undefined;
}

/**
 * Fields mixup does not have whose value, here, asks for what mixup does anyway: left out as `mapped`, not
 * `unmapped`. Any other value of them is listed as unmapped.
 */
export const NEUTRAL_VALUES: Readonly<Record<string, {value: unknown; why: string}>> = {
  update_interval: {value: 1, why: 'one iteration per optimizer step (no gradient accumulation)'},
  'model.debug': {value: false, why: 'no debug output'},
  'model.mask_up_override': {value: null, why: "the Mix Block's own upsampling mode"},
  'model.save': {value: false, why: 'no mixed-sample images saved'},
};

/** Rounds of validation at most (each drops at least one field). */
const MAX_ROUNDS = 1000;

/** Drops (in place) every field `droppable` names and returns a note for each. */
export function pruneUnmapped(config: JsonObject): ImportNote[] {
  const notes: ImportNote[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const issues = validateConfig(config)
      .map((issue) => ({issue, path: droppable(issue)}))
      .filter((x): x is {issue: ConfigIssue; path: string} => x.path !== undefined);
    if (issues.length === 0) break;
    // object keys first, all at once; then array elements one a round, the highest index first, so that every path
    // named is the one the Python file has (a splice shifts only the elements after it)
    const keys = issues.filter((x) => !x.path.endsWith(']'));
    const lastIndex = (p: string): number => Number(/\[(\d+)\]$/.exec(p)?.[1] ?? -1);
    const batch = keys.length > 0 ? keys : [issues.sort((a, b) => lastIndex(b.path) - lastIndex(a.path))[0]];
    for (const {issue, path} of batch) {
      const value = getAt(config, path);
      if (!deleteAt(config, path)) return notes; // nothing more to remove: the rest are problems
      const neutral = NEUTRAL_VALUES[path];
      if (neutral !== undefined && isDeepStrictEqual(neutral.value, value)) {
        notes.push(note('mapped', path, `${showValue(value)} is ${neutral.why}, what mixup does; dropped`));
        continue;
      }
      const reason = issue.unknownField ? 'not a field mixup has here' : issue.message.replace(`${issue.path} `, '');
      notes.push(note('unmapped', path, `${showValue(value)}: ${reason}; left out`));
    }
  }
  return notes;
}

/**
 * A `data` section built in code (the demo presets, bench, tests) made into what the data room takes: checked as
 * `loadConfig` checks a file's (the schema, then the data rules of `data-rules.ts`), its defaults filled in.
 */
import {usageError} from '../errors';
import {dataIssues} from './data-rules';
import {fillDefaults} from './normalise';
import {DataSchema, type DataConfig} from './schema';
import {schemaIssues} from './validate';

/**
 * The typed, defaults-filled `data` section of `value`.
 * @param source what the errors name in place of a file (`bench data`)
 * @throws MixupError (usage) listing every problem, one `source: data.<path> ...` line each
 */
export function parseDataConfig(value: unknown, source: string): DataConfig {
  const messages = [...new Set([...schemaIssues(value, DataSchema, '/data'), ...dataIssues(value)].map((issue) => issue.message))];
  if (messages.length > 0) throw usageError(messages.map((message) => `${source}: ${message}`).join('\n'));
  return fillDefaults(DataSchema, value);
}

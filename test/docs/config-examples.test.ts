/**
 * Every config example the docs show validates: the indented JSON blocks of README.md and docs/*.md that are configs
 * or config fragments (`"backbone": ...`, `"model": ...`), merged over the demo config the way a user would paste
 * them, and every shipped config under configs/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {loadConfigFile, mergeConfig, type JsonObject} from '../../src/config/load';
import {validateConfig, validateFiles} from '../../src/config/validate';
import {REPO_ROOT} from '../helpers/cli';

const TOP_KEYS = ['_base_', 'model', 'data', 'optimizer', 'optimizer_config', 'lr_config', 'runner', 'evaluation', 'checkpoint_config', 'log_config', 'seed', 'backend', 'custom_hooks', 'addtional_scheduler'];
const MODEL_KEYS = ['backbone', 'head', 'mix_mode', 'alpha', 'mix_args', 'mix_prob'];

/** Indented code blocks of a markdown file, as text. */
function codeBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  for (const line of [...markdown.split('\n'), '']) {
    if (line.startsWith('    ')) current.push(line.slice(4));
    else if (line.trim() === '' && current.length > 0) current.push('');
    else {
      if (current.length > 0) blocks.push(current.join('\n').trim());
      current = [];
    }
  }
  if (current.length > 0) blocks.push(current.join('\n').trim());
  return blocks;
}

/** A block as a JSON object: `{...}`, or `"key": value` lines wrapped in braces; undefined for anything else. */
function asJson(block: string): JsonObject | undefined {
  for (const text of [block, `{${block.replace(/,\s*$/, '')}}`]) {
    try {
      const value = JSON.parse(text) as unknown;
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as JsonObject;
    } catch {
      // not JSON in this form
    }
  }
  return undefined;
}

const docs = ['README.md', ...fs.readdirSync(path.join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f))];
const examples = docs.flatMap((doc) =>
  codeBlocks(fs.readFileSync(path.join(REPO_ROOT, doc), 'utf8'))
    .map((block) => asJson(block))
    .filter((json): json is JsonObject => json !== undefined)
    .filter((json) => Object.keys(json).every((k) => TOP_KEYS.includes(k)) || Object.keys(json).every((k) => MODEL_KEYS.includes(k)))
    .map((json, i) => [`${doc} example ${i + 1}`, json] as const),
);

describe('config examples in the docs', () => {
  const demo = loadConfigFile(path.join(REPO_ROOT, 'configs', 'demo', 'r18_mixups_CE_none.json'));
  // model fragments show the benchmark's models (ImageNet widths, 200 classes): pasted into a CUB-200 config
  const cub = loadConfigFile(path.join(REPO_ROOT, 'configs', 'cub200', 'r18_mixups_CE_none.json'));

  it('finds the examples (config.md, models.md)', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });

  it.each(examples)('%s validates', (_name, json) => {
    const {_base_: base, ...rest} = json;
    const isModel = Object.keys(rest).every((k) => MODEL_KEYS.includes(k));
    // a `_base_` is written as from a file two levels below the repository (configs/<dir>/<file>.json)
    const start = typeof base === 'string' ? loadConfigFile(path.join(REPO_ROOT, 'configs', 'generated', base)) : isModel ? cub : demo;
    const config = mergeConfig(start, isModel ? {model: rest} : rest);
    expect(validateConfig(config).map((i) => i.message)).toEqual([]);
  });
});

describe('shipped configs', () => {
  it('every configs/**/*.json validates', () => {
    const results = validateFiles([path.join(REPO_ROOT, 'configs')]);
    expect(results.length).toBeGreaterThan(10);
    expect(results.filter((r) => !r.valid).flatMap((r) => r.errors)).toEqual([]);
  });
});

/**
 * The docs' method tables say what the method catalog (`src/config/methods.ts`) and the benchmark catalog say: the
 * α table of docs/config.md ("What the benchmarks contain"), the method table of docs/mixups.md, the `mixup methods`
 * output shown in docs/config.md and the row order docs/results.md describes. A method added to the catalog without
 * its docs (or the other way round) fails here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {BENCHMARKS} from '../../src/config/benchmarks';
import {DEMO_METHODS, isLearned, METHOD_NAMES, METHODS, mixesNothing, REFERENCE_TABLE_METHODS} from '../../src/config/methods';
import {REPO_ROOT} from '../helpers/cli';

const doc = (name: string) => fs.readFileSync(path.join(REPO_ROOT, 'docs', name), 'utf8');

/** The `| a | b |` rows of the first markdown table after `heading`, split into trimmed cells (header included). */
function tableAfter(markdown: string, heading: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  if (start < 0) throw new Error(`no heading ${JSON.stringify(heading)}`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('|')) rows.push(line.split('|').slice(1, -1).map((c) => c.trim()));
    else if (rows.length > 0) break;
  }
  return rows.filter((r) => !/^-+$|^:?-+:?$/.test(r[0]));
}

describe('docs/config.md: the α per method of each benchmark', () => {
  const rows = tableAfter(doc('config.md'), '### What the benchmarks contain');
  const header = rows[0];
  const alphaColumn = header.length - 1;
  // the α column lists the mixing methods of the reference tables (vanilla has no α; the learned ones are α 2 everywhere, said below it)
  const columnMethods = /\(([^)]*)\)/.exec(header[alphaColumn])![1].split(',').map((m) => m.trim());

  it('names the reference tables\' mixing methods in their order', () => {
    expect(columnMethods).toEqual(REFERENCE_TABLE_METHODS.filter((m) => !mixesNothing(m) && !isLearned(m)));
  });

  it('has one row per benchmark, in catalog order', () => {
    expect(rows.slice(1).map((r) => r[0])).toEqual(BENCHMARKS.map((b) => b.name));
  });

  it.each(BENCHMARKS.filter((b) => !b.demo).map((b) => [b.name]))('%s: the α listed are the catalog\'s', (name) => {
    const index = BENCHMARKS.findIndex((b) => b.name === name);
    // "same" repeats the row above
    let k = index;
    while (rows[1 + k][alphaColumn] === 'same') k--;
    const listed = rows[1 + k][alphaColumn].split(',').map((a) => Number(a.trim()));
    expect(listed).toEqual(columnMethods.map((m) => BENCHMARKS[index].alphas[m]));
  });

  it('the demo row lists the demo\'s methods and their α', () => {
    const demo = BENCHMARKS.find((b) => b.demo)!;
    const cell = rows[rows.length - 1][alphaColumn];
    const match = /^(\d+(?:\.\d+)?) each \(([^)]*)\)$/.exec(cell);
    expect(match).not.toBeNull();
    expect(match![2].split(',').map((m) => m.trim())).toEqual([...DEMO_METHODS]);
    expect(demo.methods).toEqual([...DEMO_METHODS]);
    for (const m of DEMO_METHODS) expect(demo.alphas[m]).toBe(mixesNothing(m) ? null : Number(match![1]));
  });
});

describe('docs/mixups.md: the method table', () => {
  it('has a row for every catalog method and no other', () => {
    const rows = tableAfter(doc('mixups.md'), '## Methods').slice(1);
    const named = rows.flatMap((r) => [...r[0].matchAll(/`(\w+)`/g)].map((m) => m[1]));
    expect([...named].sort()).toEqual([...METHOD_NAMES].sort());
  });
});

describe('docs/config.md: the `mixup methods` output', () => {
  it('shows every catalog method with its label, kind and default mix_args, in catalog order', () => {
    const text = doc('config.md');
    const start = text.indexOf('    method        label');
    expect(start).toBeGreaterThan(0);
    const lines = text.slice(start).split('\n').slice(1, 1 + METHODS.length);
    const shown = lines.map((l) => {
      const [name, label, kind] = l.trim().split(/\s+/);
      return {name, label, kind, args: JSON.parse(l.slice(l.indexOf(' {') + 1))};
    });
    expect(shown).toEqual(METHODS.map((m) => ({name: m.name, label: m.label, kind: m.kind, args: m.defaultArgs})));
  });
});

describe('docs/results.md: the table row order', () => {
  it('is the reference tables\' order of the catalog', () => {
    const text = doc('results.md').replace(/\s+/g, ' ');
    const listed = /in the reference order \(([^)]*), then the rest of the catalog\)/.exec(text);
    expect(listed).not.toBeNull();
    expect(listed![1].split(',').map((l) => l.trim())).toEqual(REFERENCE_TABLE_METHODS.map((m) => METHODS.find((x) => x.name === m)!.label));
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import {PUBLISHED} from '../../src/summary/published';
import {methodLabel} from '../../src/summary/runinfo';

// The benchmark page as shipped in shared/reference (beside the repository on developer machines and in CI).
const PAGE = path.join(__dirname, '..', '..', '..', 'shared', 'reference', 'mixup-fine-grained-benchmarks.txt');
const maybe = fs.existsSync(PAGE) ? test : test.skip;

describe('published tables', () => {
  test('every row has one number (or null) per backbone and a known method', () => {
    for (const table of PUBLISHED) {
      expect(table.rows).toHaveLength(10);
      for (const row of table.rows) {
        expect(row.top1).toHaveLength(table.backbones.length);
        expect(methodLabel(row.method)).not.toBe(row.method);
      }
    }
  });

  maybe('numbers and alphas equal the reference page, row by row', () => {
    // page rows look like "CutMix 1 78.40 85.68 78.84 84.55": CUB-200 + Aircraft, iNat2017 + iNat2018, Places205
    const lines = fs.readFileSync(PAGE, 'utf8').split('\n');
    const tables = lines.filter((l) => l.startsWith('Vanilla ')).map((l) => lines.indexOf(l));
    expect(tables).toHaveLength(3);
    const groups = [['cub200', 'aircraft'], ['inat2017', 'inat2018'], ['places205']];
    groups.forEach((datasets, t) => {
      for (let r = 0; r < 10; r++) {
        const cells = lines[tables[t] + r].trim().split(/\s+/);
        const ours = datasets.flatMap((d) => PUBLISHED.find((p) => p.dataset === d)!.rows[r]);
        expect(cells[0]).toBe(methodLabel(ours[0].method));
        expect(cells[1]).toBe(ours[0].alpha === null ? '-' : String(ours[0].alpha));
        const numbers = datasets.flatMap((d) => PUBLISHED.find((p) => p.dataset === d)!.rows[r].top1);
        expect(cells.slice(2)).toEqual(numbers.map((v) => (v === null ? '-' : v.toFixed(2))));
      }
    });
  });
});

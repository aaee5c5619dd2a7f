import * as fs from 'node:fs';
import * as path from 'node:path';
import {runCli} from '../helpers/cli';
import {cleanup, makeCub, tempDir} from '../data/helpers';

/** stderr with oclif's line wrapping (`\n ›   `) undone. */
const unwrap = (text: string) => text.replace(/\s*\n\s*›\s*/g, ' ');

let dir: string;
let root: string;
beforeAll(async () => {
  dir = tempDir('mixup-prepare-');
  root = await makeCub(dir, 2, 2, 1);
});
afterAll(() => cleanup(dir));

describe('mixup prepare-data', () => {
  it('writes the CUB lists and prints per-class and per-split tables', () => {
    const out = path.join(dir, 'meta');
    const r = runCli(['prepare-data', '--dataset', 'cub200', '--root', root, '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/│ 1\s+│ 002\.Bird_2\s+│ 2\s+│ 1\s+│/);
    expect(r.stdout).toMatch(/│ train\s+│ 4\s+│ 2\s+│ 2\s+│ 2\s+│/);
    expect(r.stdout).toContain(`2 classes; list paths are relative to ${path.join(root, 'images')}`);
    expect(fs.readFileSync(path.join(out, 'train_labeled.txt'), 'utf8').split('\n')[2]).toBe('002.Bird_2/Bird_2_0.jpg 1');
  });

  it('refuses to overwrite without --force (exit 5), overwrites with it, reports as JSON', () => {
    const out = path.join(dir, 'meta'); // written by the previous test
    const again = runCli(['prepare-data', '--dataset', 'cub200', '--root', root, '--out', out]);
    expect(again.status).toBe(5);
    expect(unwrap(again.stderr)).toContain(`3 files already exist: ${path.join(out, 'train_labeled.txt')}, `);
    expect(unwrap(again.stderr)).toContain('; use --force to overwrite them');
    const forced = runCli(['prepare-data', '--dataset', 'cub200', '--root', root, '--out', out, '--force', '--json']);
    expect(forced.status).toBe(0);
    const json = JSON.parse(forced.stdout);
    expect(json.splits.map((s: {split: string; count: number}) => [s.split, s.count])).toEqual([['train', 4], ['test', 2]]);
    expect(json.classes[0]).toEqual({label: 0, name: '001.Bird_1', counts: {train: 2, test: 1}});
  });

  it('exits 3 naming the missing file, and 2 for an unknown dataset', () => {
    const missing = runCli(['prepare-data', '--dataset', 'aircraft', '--root', root, '--out', path.join(dir, 'x')]);
    expect(missing.status).toBe(3);
    expect(unwrap(missing.stderr)).toContain(`${path.join(root, 'variants.txt')}: cannot read FGVC-Aircraft variants.txt: file not found`);
    const unknown = runCli(['prepare-data', '--dataset', 'cifar', '--root', root, '--out', path.join(dir, 'x')]);
    expect(unknown.status).toBe(2);
    expect(fs.existsSync(path.join(dir, 'x'))).toBe(false);
  });
});

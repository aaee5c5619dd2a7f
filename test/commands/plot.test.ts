import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {oneLine, runCli} from '../helpers/cli';
import {RAW_ERROR} from '../io/helpers';

describe('mixup plot', () => {
  test('writes an SVG with one legend entry per run and keeps it without --force', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-plot-cmd-'));
    const out = path.join(dir, 'curves.svg');
    const logs = path.join('test', 'fixtures', 'logs', 'engine');
    const first = runCli(['plot', logs, '--out', out]);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`wrote ${out}: 1 curve(s) of head0_top1`);
    expect(fs.readFileSync(out, 'utf8')).toContain('MixUp α=0.2 ResNet-18 Aircraft');
    const again = runCli(['plot', logs, '--out', out]);
    expect(again.status).toBe(5);
    expect(again.stderr).toContain(`${out} already exists; use --force to overwrite it`);
    fs.rmSync(dir, {recursive: true});
  });

  test('refuses absurd sizes, a parent that is a file and a directory target with clear errors', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-plot-cmd-'));
    const logs = path.join('test', 'fixtures', 'logs', 'engine');
    const wide = runCli(['plot', logs, '--width', '100000', '--out', path.join(dir, 'w.png')]);
    expect([wide.status, wide.stderr]).toEqual([2, expect.stringContaining('Expected an integer less than or equal to 8192 but received: 100000')]);
    fs.writeFileSync(path.join(dir, 'file'), '');
    const nested = runCli(['plot', logs, '--out', path.join(dir, 'file', 'x.svg')]);
    expect([nested.status, oneLine(nested.stderr)]).toEqual([5, expect.stringContaining(`${path.join(dir, 'file', 'x.svg')}: cannot write: ${path.join(dir, 'file')} is a file, not a directory`)]);
    fs.mkdirSync(path.join(dir, 'd.svg'));
    const target = runCli(['plot', logs, '--out', path.join(dir, 'd.svg'), '--force']);
    expect([target.status, oneLine(target.stderr)]).toEqual([5, expect.stringContaining(`${path.join(dir, 'd.svg')}: cannot write: it is a directory`)]);
    for (const r of [wide, nested, target]) expect(r.stderr).not.toMatch(RAW_ERROR);
    expect(fs.readdirSync(dir).sort()).toEqual(['d.svg', 'file']);
    fs.rmSync(dir, {recursive: true});
  });
});

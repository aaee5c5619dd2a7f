import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {runCli} from '../helpers/cli';

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
    expect(again.stderr).toContain('already exists; pass --force');
    fs.rmSync(dir, {recursive: true});
  });
});

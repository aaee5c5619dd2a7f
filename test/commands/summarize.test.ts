import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {runCli} from '../helpers/cli';

const LOGS = path.join('test', 'fixtures', 'logs');

describe('mixup summarize', () => {
  test('markdown table of two metrics, warnings on stderr, exit 0', () => {
    const r = runCli(['summarize', LOGS, '--metrics', 'head0_top1-head0_top5', '--format', 'markdown']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('| CutMix    | 1        | 77.25     | -          | -         |');
    expect(r.stdout).toContain('head0_top5: median of the last val epochs (epoch >= 190 of 200; AutoMix/SAMix: epoch >= 189 of 200)');
    expect(r.stdout).toContain('| AutoMix   | 2        | **95.00** | -          | -         |');
    expect(r.stderr).toMatch(/warning: .*20240103_000000\.log\.json:4: truncated last line/);
  });

  test('an empty directory exits with the data code and says so', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-empty-'));
    const r = runCli(['summarize', dir, '--json']);
    fs.rmSync(dir, {recursive: true});
    expect(r.status).toBe(3);
    expect(r.stdout + r.stderr).toContain('no *.log.json logs found');
  });
});

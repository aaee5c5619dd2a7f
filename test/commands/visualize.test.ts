import {promises as fs} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import {runCli} from '../helpers/cli';

describe('mixup visualize', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mixup-visualize-'));
  });
  afterAll(() => fs.rm(dir, {recursive: true, force: true}));

  test('--demo writes a grid with one row per method and reports λ (--json)', async () => {
    const out = path.join(dir, 'grid.png');
    const r = runCli(['visualize', '--demo', '--methods', 'mixup,cutmix,alignmix', '--out', out, '--size', '48', '--seed', '1', '--json']);
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.methods.map((m: {method: string}) => m.method)).toEqual(['mixup', 'cutmix']);
    expect(result.skipped[0].method).toBe('alignmix');
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([result.width, result.height]);
    // refuses to overwrite without --force
    const again = runCli(['visualize', '--demo', '--methods', 'mixup', '--out', out]);
    expect(again.status).toBe(5);
    expect(again.stderr).toContain(`${out} already exists; use --force to overwrite it`);
  });

  test('the format follows the extension of --out (JPEG in a .jpg), other extensions are refused before any work', async () => {
    const jpg = path.join(dir, 'grid.jpg');
    expect(runCli(['visualize', '--demo', '--methods', 'mixup', '--out', jpg, '--size', '32']).status).toBe(0);
    expect((await sharp(jpg).metadata()).format).toBe('jpeg');
    const webp = path.join(dir, 'grid.webp');
    expect(runCli(['visualize', '--demo', '--methods', 'mixup', '--out', webp, '--size', '32']).status).toBe(0);
    expect((await sharp(webp).metadata()).format).toBe('webp');
    const gif = runCli(['visualize', '--demo', '--methods', 'mixup', '--out', path.join(dir, 'grid.gif')]);
    expect([gif.status, gif.stderr]).toEqual([2, expect.stringContaining('--out must end in .png, .jpg, .jpeg, .webp (the format follows the extension)')]);
    await expect(fs.stat(path.join(dir, 'grid.gif'))).rejects.toThrow();
  });

  test('bad input: no image source, unknown method', () => {
    const none = runCli(['visualize', '--out', path.join(dir, 'x.png')]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/give --images DIR, --val-images CONFIG or --demo/);
    const unknown = runCli(['visualize', '--demo', '--methods', 'mixupp', '--out', path.join(dir, 'y.png')]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown mix_mode "mixupp"; known methods: vanilla, mixup/);
  });
});

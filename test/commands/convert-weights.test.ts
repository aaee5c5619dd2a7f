/** `mixup convert-weights` as a user runs it: summaries, --json, refusing to overwrite, bad extensions. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {oneLine, runCli} from '../helpers/cli';

const MMCV = 'test/fixtures/torch/mmcv_checkpoint.pth';
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-convert-'));
});
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

describe('mixup convert-weights', () => {
  it('converts an mmcv checkpoint to safetensors, then refuses to overwrite it without --force', () => {
    const out = path.join(dir, 'r18.safetensors');
    const first = runCli(['convert-weights', MMCV, out]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`${MMCV} (mmcv checkpoint) -> ${out} (safetensors)`);
    expect(first.stdout).toContain('122 tensors (102 F32, 20 I64)');
    expect(first.stdout).toContain('prefixes removed: backbone., head.');
    expect(first.stdout).toContain('not converted: optimizer');
    const again = runCli(['convert-weights', MMCV, out]);
    expect(again.status).toBe(5);
    expect(oneLine(again.stderr)).toContain(`${out} already exists; use --force to overwrite it`);
    const forced = runCli(['convert-weights', MMCV, out, '--force', '--json']);
    expect(forced.status).toBe(0);
    const result = JSON.parse(forced.stdout);
    expect(result).toMatchObject({inputKind: 'mmcv checkpoint', outputFormat: 'safetensors', tensors: 122, dtypes: {F32: 102, I64: 20}, renamed: ['backbone.', 'head.'], dropped: ['optimizer']});
    expect(result.meta).toMatchObject({epoch: 2, mmcv_version: '1.7.0'});
    const back = runCli(['convert-weights', out, path.join(dir, 'r18.pth')]);
    expect(back.status).toBe(0);
    expect(back.stdout).toContain(`${out} (weights) -> ${path.join(dir, 'r18.pth')} (pytorch)`);
    expect(back.stdout).toContain('122 tensors (102 F32, 20 I64), 11,635 floating-point values');
  });

  it('refuses extensions that make no conversion, and a pickle that names os.system', () => {
    const same = runCli(['convert-weights', MMCV, path.join(dir, 'x.pth')]);
    expect(same.status).toBe(2);
    expect(oneLine(same.stderr)).toContain('one must be a PyTorch file (.pth, .pt) and the other a .safetensors file');
    const evil = runCli(['convert-weights', 'test/fixtures/torch/malicious.pth', path.join(dir, 'evil.safetensors')]);
    expect(evil.status).toBe(3);
    expect(oneLine(evil.stderr)).toContain('refused global "posix.system"');
    expect(evil.stdout).not.toContain('this must never run');
    expect(fs.existsSync(path.join(dir, 'evil.safetensors'))).toBe(false);
  });
});

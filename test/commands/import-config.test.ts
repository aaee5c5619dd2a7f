/**
 * `mixup import-config` end to end: writes JSON `validate` accepts, lists every change, refuses to overwrite
 * without --force, --json, a directory tree, and the missing-python3 message (simulated by PATH).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {oneLine, runCli} from '../helpers/cli';
import {TINY_CONFIG} from '../config/import/helpers';

const CUB = 'test/fixtures/openmixup/configs/classification/cub200/mixups/basic/r18_mixups_CE_none.py';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-import-cli-'));
});
afterEach(() => fs.rmSync(dir, {recursive: true, force: true}));

describe('mixup import-config', () => {
  it('writes a config validate accepts, lists the changes, and refuses to overwrite without --force', () => {
    const out = path.join(dir, 'cub.json');
    const first = runCli(['import-config', CUB, '--out', out]);
    expect([first.status, first.stderr]).toEqual([0, '']);
    expect(first.stdout).toContain(`imported  ${CUB} -> ${out} (5 mapped, 2 default, 9 helper)`);
    expect(first.stdout).toContain('  mapped    data.train.pipeline[3]: prefetch: OpenMixup normalises train batches on the GPU with img_norm_cfg; written as a Normalize step');
    expect(first.stdout).toContain('  helper    train_pipeline: helper variable used inside data; dropped');
    expect(first.stdout).toContain('1 imported, 0 failed; 0 field(s) not mapped');
    expect(runCli(['validate', out]).status).toBe(0);

    const again = runCli(['import-config', CUB, '--out', out]);
    expect(again.status).toBe(5);
    expect(oneLine(again.stderr)).toContain(`${out} already exists; use --force to overwrite it`);
    expect(runCli(['import-config', CUB, '--out', out, '--force']).status).toBe(0);
  });

  it('--json returns each file with its notes; a failed file exits 2 and is not written', () => {
    fs.writeFileSync(path.join(dir, 'bad.py'), "model = dict(type='ViT')\n");
    fs.copyFileSync(CUB.replace('r18_mixups_CE_none.py', '../../../_base_/default_runtime.py'), path.join(dir, 'runtime.py'));
    const result = runCli(['import-config', dir, '--out', path.join(dir, 'out'), '--json']);
    expect(result.status).toBe(2);
    const json = JSON.parse(result.stdout) as {imported: number; failed: number; files: Array<{source: string; written: boolean; problems: string[]}>};
    expect([json.imported, json.failed]).toEqual([0, 2]);
    const bad = json.files.find((f) => f.source.endsWith('bad.py'));
    expect(bad?.problems).toContain('model.type must be one of "MixUpClassification", "AutoMixup", got "ViT"');
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('converts a dataset tree, mirrored under --out', () => {
    const out = path.join(dir, 'cub200');
    const result = runCli(['import-config', 'test/fixtures/openmixup/configs/classification/cub200', '--out', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('3 imported, 0 failed; 1 field(s) not mapped (listed above)');
    expect(result.stdout).toContain('  unmapped  custom_hooks[0]: {"type":"SAVEHook","save_interval":18700,"iter_per_epoch":374}: must be one of');
    expect(fs.existsSync(path.join(out, 'mixups', 'basic', 'rx50_mixups_CE_none.json'))).toBe(true);
    expect(runCli(['validate', out]).stdout).toContain('3 valid, 0 invalid');
  });

  it('an imported config trains: train --dry-run builds data, model and mixer from it', () => {
    fs.writeFileSync(path.join(dir, 'tiny.py'), TINY_CONFIG);
    expect(runCli(['import-config', path.join(dir, 'tiny.py')]).status).toBe(0);
    const dry = runCli(['train', path.join(dir, 'tiny.json'), '--dry-run', '--backend', 'cpu', '--work-dir', path.join(dir, 'wd')]);
    expect([dry.status, dry.stderr]).toEqual([0, '']);
    expect(dry.stdout).toContain('8 images');
  });

  it('says clearly that python3 is missing', () => {
    const result = runCli(['import-config', CUB, '--out', path.join(dir, 'x.json')], {env: {PATH: path.join(dir, 'no-bin'), MIXUP_PYTHON: ''}});
    expect(result.status).toBe(2);
    expect(oneLine(result.stderr)).toContain("python3 was not found: import-config runs OpenMixup's Python configs with Python 3");
    expect(oneLine(result.stderr)).toContain('apt-get install python3');
  });

  it('a directory needs --out', () => {
    const result = runCli(['import-config', dir]);
    expect(result.status).toBe(2);
    expect(oneLine(result.stderr)).toContain('is a directory: name the directory its tree is written to with --out DIR');
  });
});

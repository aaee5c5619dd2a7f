/** `mixup train` through the compiled CLI. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {oneLine as flat, runCli} from '../helpers/cli';
import {jsonLogs, readJsonLog, tmpDir, writeTinyConfig} from '../engine/helpers';

describe('mixup train', () => {
  it('trains, writes the mmcv log and finished, and a rerun says it is finished', () => {
    const dir = tmpDir('mixup-cli-train-');
    const config = writeTinyConfig(dir, {}, 'tiny', 1);
    const workDir = path.join(dir, 'wd');
    const first = runCli(['train', config, '--work-dir', workDir, '--seed', '3']);
    expect(flat(first.stderr)).not.toContain('Hi, looks like you are running TensorFlow.js');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^backend: \w+ \(auto: /m);
    expect(first.stdout).toMatch(/Epoch\(val\) \[1\]\[1\]\thead0_top1: /); // not a TTY: plain lines
    expect(first.stdout).toMatch(/finished 1 epochs in .* s \(.* img\/s\): head0_top1: /);
    const [log] = jsonLogs(workDir);
    expect(readJsonLog(log)[0].seed).toBe(3);
    expect(fs.existsSync(path.join(workDir, 'finished'))).toBe(true);

    const again = runCli(['train', config, '--work-dir', workDir, '--seed', '3', '--json']);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({status: 'already-finished', epochsRun: 0});
    expect(jsonLogs(workDir)).toHaveLength(1);
  });

  it('refuses another config\'s checkpoint without --force, and names a bad backend', () => {
    const dir = tmpDir('mixup-cli-train-');
    const config = writeTinyConfig(dir, {}, 'tiny', 2);
    const workDir = path.join(dir, 'wd');
    fs.mkdirSync(workDir);
    const other = runCli(['train', config, '--work-dir', workDir, '--seed', '1', '--backend', 'gpu']);
    expect(other.status).toBe(2);
    expect(flat(other.stderr)).toContain('--backend: unknown backend "gpu"; expected one of auto, tensorflow, webgpu, native, wasm, cpu');
    const missing = runCli(['train', config, '--work-dir', workDir, '--resume-from', path.join(dir, 'none.safetensors')]);
    expect(missing.status).toBe(3);
    expect(flat(missing.stderr)).toMatch(/none\.safetensors: checkpoint not found/);
  });

  it('--strict: a missing image of an ImageList stops with exit code 3 before training; without it, a split with no loadable image does too', () => {
    const dir = tmpDir('mixup-cli-train-');
    fs.mkdirSync(path.join(dir, 'images'));
    const list = path.join(dir, 'train.txt');
    fs.writeFileSync(list, Array.from({length: 16}, (_, i) => `gone_${i}.png 0`).join('\n') + '\n');
    const source = {_delete_: true, type: 'ImageList', root: path.join(dir, 'images'), list_file: list};
    const config = writeTinyConfig(dir, {data: {max_skip_fraction: {train: 1}, train: {data_source: source, pipeline: [{type: 'CenterCrop', size: 16}]}}}, 'tiny', 1);
    const strict = runCli(['train', config, '--work-dir', path.join(dir, 'wd'), '--strict']);
    expect(strict.status).toBe(3);
    expect(flat(strict.stderr)).toContain(`${path.join(dir, 'images', 'gone_0.png')}: cannot load image (file not found), listed at ${list}:1`);
    const lenient = runCli(['train', config, '--work-dir', path.join(dir, 'wd')]);
    expect(lenient.status).toBe(3); // every image is missing: no loadable image, whatever the limit
    expect(flat(lenient.stderr)).toContain('data.train: none of the 16 images could be loaded (missing 16)');
    expect(fs.existsSync(path.join(dir, 'wd', 'finished'))).toBe(false);
  });
});

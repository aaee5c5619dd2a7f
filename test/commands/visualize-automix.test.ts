import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import sharp from 'sharp';
import {runCli} from '../helpers/cli';
import {writeAutoMixRun} from '../render/automix-run';

describe('mixup visualize with a learned method (AutoMix at demo scale)', () => {
  let dir: string;
  let run: {config: string; checkpoint: string};
  beforeAll(async () => {
    await tf.setBackend('cpu');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-visualize-automix-'));
    run = await writeAutoMixRun(dir, 'automix', 2);
  });
  afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

  test('static and learned methods in one grid; the learned row has λ = 0.5 and its mask mean (--json)', async () => {
    const out = path.join(dir, 'grid.png');
    const r = runCli(['visualize', '--demo', '--methods', 'mixup,automix', '--config', run.config, '--checkpoint', run.checkpoint, '--out', out, '--size', '48', '--json']);
    if (r.status !== 0) throw new Error(r.stderr);
    const result = JSON.parse(r.stdout);
    expect(result.methods.map((m: {method: string}) => m.method)).toEqual(['mixup', 'automix']);
    const learned = result.methods[1];
    expect(learned).toMatchObject({method: 'automix', lam: 0.5, pair: [0, 1], sources: ['sun', 'house'], learned: {config: run.config, checkpoint: run.checkpoint, epoch: 2}});
    expect(learned.maskMean >= 0 && learned.maskMean <= 1).toBe(true);
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([result.width, result.height]);
    expect([meta.width, meta.height]).toEqual([8 + 4 * (48 + 8), 24 + 2 * (22 + 48 + 20 + 8) + 8]);
  });

  test('--lam sets λ; the text output names the checkpoint epoch and the mask mean', async () => {
    const r = runCli(['visualize', '--demo', '--methods', 'automix', '--config', run.config, '--checkpoint', run.checkpoint, '--lam', '0.3', '--out', path.join(dir, 'lam.png'), '--size', '32']);
    if (r.status !== 0) throw new Error(r.stderr);
    expect(r.stdout).toMatch(/^automix +λ = 0\.300 {2}A = sun, B = house {2}mean M = [01]\.\d{3} {2}\(automix\.json, epoch 2\)$/m);
  });

  test('--val-images: the masks on the val pictures of the run\'s own dataset (MNIST digits, one per class)', async () => {
    const r = runCli(['visualize', '--val-images', run.config, '--methods', 'automix', '--config', run.config, '--checkpoint', run.checkpoint, '--out', path.join(dir, 'digits.png'), '--size', '32', '--json']);
    if (r.status !== 0) throw new Error(r.stderr);
    expect(JSON.parse(r.stdout).methods[0].sources).toEqual(['0', '1']);
    const both = runCli(['visualize', '--val-images', run.config, '--demo', '--methods', 'mixup', '--out', path.join(dir, 'both.png')]);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/cannot also be provided/);
  });

  test('a learned method without --config/--checkpoint: usage error saying how to get one', async () => {
    const r = runCli(['visualize', '--demo', '--methods', 'cutmix,automix', '--out', path.join(dir, 'x.png')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--methods automix: a learned mixer needs --config/);
    expect(r.stderr).toContain('mixup train configs/demo/automix.json');
    expect(r.stderr).toContain('--checkpoint work_dirs/demo/automix/latest.safetensors --config configs/demo/automix.json');
    const noCheckpoint = runCli(['visualize', '--demo', '--methods', 'automix', '--config', run.config, '--out', path.join(dir, 'x.png')]);
    expect(noCheckpoint.status).toBe(2);
    expect(noCheckpoint.stderr).toMatch(/--checkpoint is missing/);
  });

  test('bad --lam, a missing checkpoint file', async () => {
    const lam = runCli(['visualize', '--demo', '--methods', 'automix', '--config', run.config, '--checkpoint', run.checkpoint, '--lam', '1', '--out', path.join(dir, 'y.png')]);
    expect(lam.status).toBe(2);
    expect(lam.stderr).toMatch(/--lam must be a number in \(0, 1\), got "1"/);
    const missing = runCli(['visualize', '--demo', '--methods', 'automix', '--config', run.config, '--checkpoint', path.join(dir, 'nope.safetensors'), '--out', path.join(dir, 'y.png')]);
    expect(missing.status).toBe(3);
    expect(missing.stderr).toMatch(/nope\.safetensors: checkpoint not found/);
  });
});

/** `mixup train --dry-run` / `validate --deep`: builds what a run builds, decodes one batch, trains and writes nothing. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {dryRun} from '../../src/engine/dry-run';
import {trainRun} from '../../src/engine/run';
import {runCli} from '../helpers/cli';
import {tmpDir, writeTinyConfig} from './helpers';

describe('dryRun', () => {
  it('reports images, batches, the first batch shape, iterations and the work dir, and creates nothing', async () => {
    const dir = tmpDir();
    const config = writeTinyConfig(dir, {backend: 'cpu'});
    const workDir = path.join(dir, 'wd');
    const lines: string[] = [];
    const summary = await dryRun({configPath: config, workDir, print: (l) => lines.push(l)});
    expect(summary).toMatchObject({status: 'dry-run', action: 'train', epochs: 2, itersPerEpoch: 4, totalIters: 8, seed: 0});
    expect(summary.backend.name).toBe('cpu');
    expect(summary.train).toEqual({images: 64, batches: 4, firstBatch: [16, 16, 16, 3]});
    expect(summary.val).toEqual({images: 32, batches: 1, firstBatch: [32, 16, 16, 3]});
    expect(lines.join('\n')).toMatch(/ok \(dry run: nothing trained or written\)[\s\S]*train: +64 images, 4 batches, first batch 16×16×16×3[\s\S]*2 epochs × 4 iters = 8 iterations/);
    expect(fs.existsSync(workDir)).toBe(false);
    expect(fs.readdirSync(dir)).toEqual(['tiny.json']);
  });

  it('says a finished run would do nothing and a started one would resume', async () => {
    const dir = tmpDir();
    const config = writeTinyConfig(dir, {backend: 'cpu'}, 'tiny', 1, 16);
    const workDir = path.join(dir, 'wd');
    await trainRun({configPath: config, workDir, print: () => undefined, progress: 'none'});
    const before = fs.readdirSync(workDir).sort();
    expect((await dryRun({configPath: config, workDir, print: () => undefined})).action).toBe('nothing (already finished)');
    fs.rmSync(path.join(workDir, 'finished.json'), {force: true});
    for (const f of fs.readdirSync(workDir)) if (f.startsWith('finished')) fs.rmSync(path.join(workDir, f));
    expect((await dryRun({configPath: config, workDir, print: () => undefined})).action).toBe('resume');
    expect(fs.readdirSync(workDir).sort()).toEqual(before.filter((f) => !f.startsWith('finished')));
  });

  it('fails as train would on a list file that does not exist, naming it', async () => {
    const dir = tmpDir();
    const root = path.join(dir, 'imgs');
    fs.mkdirSync(root);
    const config = writeTinyConfig(dir, {
      backend: 'cpu',
      data: {train: {data_source: {_delete_: true, type: 'ImageList', root, list_file: path.join(dir, 'missing.txt')}, pipeline: [{type: 'RandomResizedCrop', size: 16}]}},
    });
    await expect(dryRun({configPath: config, print: () => undefined})).rejects.toThrow(/missing\.txt/);
  });
});

describe('CLI', () => {
  it('train --dry-run --json prints the summary; validate --deep adds what only building the run finds', () => {
    const dir = tmpDir();
    const good = writeTinyConfig(dir, {backend: 'cpu'}, 'good');
    const bad = writeTinyConfig(dir, {backend: 'cpu', data: {val: {data_source: {_delete_: true, type: 'ImageList', root: dir, list_file: path.join(dir, 'nolist.txt')}, pipeline: [{type: 'CenterCrop', size: 16}]}}}, 'bad');
    const dry = runCli(['train', good, '--dry-run', '--json', '--work-dir', path.join(dir, 'wd')]);
    expect(dry.status).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({status: 'dry-run', totalIters: 8, train: {firstBatch: [16, 16, 16, 3]}});
    expect(fs.existsSync(path.join(dir, 'wd'))).toBe(false);
    expect(runCli(['validate', good, bad]).status).toBe(0); // the schema alone cannot know the list file is missing
    const deep = runCli(['validate', good, bad, '--deep']);
    expect(deep.status).toBe(2);
    expect(deep.stdout).toMatch(/ok +.*good\.json/);
    expect(deep.stdout).toMatch(/invalid +.*bad\.json: .*nolist\.txt/);
    expect(deep.stdout).toContain('1 valid, 1 invalid');
  });
});

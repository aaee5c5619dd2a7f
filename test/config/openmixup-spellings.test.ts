/**
 * OpenMixup's spellings that mean nothing for a single-process tfjs run (docs/config.md "OpenMixup spellings"): a
 * config carrying them validates and trains, and those that would change results (fp16, load_from, log hooks
 * other than the text and TensorBoard loggers) are refused by name instead of being ignored.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {oneLine, runCli} from '../helpers/cli';
import {writeTinyConfig} from '../engine/helpers';

import {OPENMIXUP_NO_OP_VALUES as NO_OPS} from './openmixup-no-ops';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-openmixup-'));
});
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

it('a config with the no-op spellings and a ToTensor step validates and trains', () => {
  const toTensor = {train: {pipeline: [{type: 'ToTensor'}]}, val: {pipeline: [{type: 'ToTensor'}]}};
  const file = writeTinyConfig(dir, {...NO_OPS, data: toTensor}, 'noops', 1, 32);
  expect(runCli(['validate', file]).status).toBe(0);
  const workDir = path.join(dir, 'wd');
  const train = runCli(['train', file, '--work-dir', workDir, '--backend', 'wasm'], {timeout: 120_000});
  expect([train.status, train.stderr]).toEqual([0, expect.any(String)]);
  expect(fs.readdirSync(workDir).some((f) => f.endsWith('.log.json'))).toBe(true);
});

it('refuses, by field, the spellings that would change results', () => {
  const file = writeTinyConfig(dir, {use_fp16: true, load_from: 'x.pth', fp16: {loss_scale: 512}, log_config: {interval: 2, hooks: [{type: 'TensorboardLoggerHook'}, {type: 'WandbLoggerHook'}, {type: 'TensorboardLoggerHook', log_dir: 'x'}]}}, 'changes');
  const result = runCli(['validate', file]);
  expect(result.status).toBe(2);
  const out = oneLine(result.stdout);
  expect(out).toContain('use_fp16 must be false (fp16 training is not implemented), got true');
  expect(out).toContain('fp16 must be null (fp16 training is not implemented)');
  expect(out).toContain('load_from must be null (not implemented: set model.pretrained for weights, or use train --resume-from), got "x.pth"');
  expect(out).not.toContain('hooks[0]');
  expect(out).toContain('log_config.hooks[1].type must be one of "TextLoggerHook", "TensorboardLoggerHook" (the log hooks mixup has; W&B and other hooks are not implemented), got "WandbLoggerHook"');
  expect(out).toContain('log_config.hooks[2]');
  expect(out).toContain('log_dir');
});

/**
 * A bounded, seeded fuzz campaign over the inputs users hand to mixup: configs (with `_base_`), list files, logs and
 * checkpoint metadata. Most cases call the module functions in-process; a small sample goes through the compiled
 * CLI. Every case must end either normally or with a `MixupError` whose exit code is in the documented table
 * (src/errors.ts), without raw Node error text (`ENOENT:`, stack frames), without hanging (the CLI cases run under a
 * timeout; in-process reads never block because FIFOs and devices are refused before opening), and without writing
 * anything outside the case's work dir. A failing case names its seed and index: rerun with the same seed.
 */
import {execFileSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {loadConfig} from '../../src/config/validate';
import {readCheckpointMeta, saveCheckpoint, type CheckpointMeta} from '../../src/engine/checkpoint';
import {readImageList} from '../../src/data/list-file';
import {EXIT_CODES, isMixupError} from '../../src/errors';
import {Rng} from '../../src/rng';
import {readLog} from '../../src/summary/log';
import {summarize} from '../../src/summary/summarize';
import {runCli} from '../helpers/cli';
import {RAW_ERROR} from '../io/helpers';
import {tmpDir, writeTinyConfig} from '../engine/helpers';
import {mutateDocument, mutateText} from './mutate';

const SEED = 20261201;
const CODES = new Set<number>(Object.values(EXIT_CODES));
const LOG_FIXTURE = path.join(__dirname, '..', 'fixtures', 'logs', 'engine', 'generated', 'aircraft', 'r18', 'mix_modemixup', 'r18_mixups_CE_none_alpha0_2_ep200', '20250101_120000.log.json');

let root: string;
/** Files the fuzzer must never change: everything under `root` outside the case dirs is listed with its size. */
let snapshot: () => string[];
beforeAll(() => {
  root = tmpDir('mixup-fuzz-');
  fs.mkdirSync(path.join(root, 'fixed'));
  execFileSync('mkfifo', [path.join(root, 'fixed', 'pipe.json')]);
  fs.writeFileSync(path.join(root, 'fixed', 'keep.txt'), 'must stay');
  snapshot = () =>
    (fs.readdirSync(root, {recursive: true, encoding: 'utf8'}) as string[])
      .filter((f) => !f.startsWith('case'))
      .map((f) => `${f}:${fs.lstatSync(path.join(root, f)).size}`)
      .sort();
});
afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

/** Runs one in-process case: it returns, or throws a MixupError with a table exit code and clean text. */
function check(label: string, fn: () => unknown): 'ok' | number {
  try {
    fn();
    return 'ok';
  } catch (error) {
    const shown = `${label}: ${(error as Error)?.stack ?? String(error)}`.slice(0, 2000);
    if (!isMixupError(error)) throw new Error(`not a MixupError in ${shown}`);
    if (!CODES.has(error.exitCode)) throw new Error(`exit code ${error.exitCode} not in the table in ${shown}`);
    if (RAW_ERROR.test(error.message)) throw new Error(`raw Node error text in ${shown}`);
    if (error.message.split('\n').some((line) => line.length > 2100)) throw new Error(`unbounded message line in ${label}`);
    return error.exitCode;
  }
}

/** A fresh directory for case `i` of `kind` under the fuzz root. */
function caseDir(kind: string, i: number): string {
  const dir = path.join(root, `case-${kind}-${i}`);
  fs.mkdirSync(dir, {recursive: true});
  return dir;
}

/** Tally of outcomes, to show the campaign exercised both paths. */
function tally(outcomes: Array<'ok' | number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of outcomes) out[String(o)] = (out[String(o)] ?? 0) + 1;
  return out;
}

describe(`fuzz (seed ${SEED})`, () => {
  it('configs: 200 mutated configs and hostile _base_ entries load or fail cleanly (usage/data errors)', async () => {
    const rng = new Rng(SEED);
    const template = tmpDir('mixup-fuzz-tpl-');
    const base = JSON.parse(fs.readFileSync(writeTinyConfig(template, {}, 'tiny', 1, 32), 'utf8')) as Record<string, unknown>;
    fs.rmSync(template, {recursive: true, force: true});
    const before = snapshot();
    const hostileBases = [path.join(root, 'fixed', 'pipe.json'), '/dev/zero', root, 'missing.json', 'self.json', `${'n'.repeat(300)}.json`, 'a'.repeat(5000)];
    const outcomes: Array<'ok' | number> = [];
    for (let i = 0; i < 200; i++) {
      const dir = caseDir('config', i);
      const file = path.join(dir, 'self.json');
      let text = mutateDocument(base, rng, rng.uniform() < 0.5 ? 2 : undefined);
      if (i % 10 === 0) text = JSON.stringify({...base, _base_: hostileBases[(i / 10) % hostileBases.length]});
      fs.writeFileSync(file, text);
      outcomes.push(check(`config case ${i}`, () => loadConfig(file)));
      expect(fs.readdirSync(dir)).toEqual(['self.json']); // loading writes nothing
    }
    expect(snapshot()).toEqual(before);
    const seen = tally(outcomes);
    expect(Object.keys(seen).every((k) => k === 'ok' || k === '2' || k === '3')).toBe(true);
    expect(seen['2']).toBeGreaterThan(50);
  });

  it('list files: 100 mutated lists read or fail with a data error naming the file', async () => {
    const rng = new Rng(SEED + 1);
    const lines = Array.from({length: 20}, (_, i) => `class_${i % 4}/img ${i}.jpg${' '}${i % 4}`);
    const outcomes: Array<'ok' | number> = [];
    for (let i = 0; i < 100; i++) {
      const file = path.join(caseDir('list', i), 'list.txt');
      fs.writeFileSync(file, mutateText(`${lines.join('\n')}\n`, rng));
      const splitor = ([' ', ',', ';'] as const)[rng.int(3)];
      outcomes.push(check(`list case ${i}`, () => readImageList(file, splitor)));
    }
    for (const special of [path.join(root, 'fixed', 'pipe.json'), '/dev/zero', root]) outcomes.push(check(`list ${special}`, () => readImageList(special, ' ')));
    const seen = tally(outcomes);
    expect(Object.keys(seen).every((k) => k === 'ok' || k === '3')).toBe(true);
    expect([seen.ok > 0, seen['3'] > 0]).toEqual([true, true]);
  });

  it('logs: 100 mutated mmcv logs parse with warnings or fail cleanly; summarize never throws raw errors', async () => {
    const rng = new Rng(SEED + 2);
    const text = fs.readFileSync(LOG_FIXTURE, 'utf8').split('\n').slice(0, 80).join('\n');
    const outcomes: Array<'ok' | number> = [];
    for (let i = 0; i < 100; i++) {
      const dir = caseDir('log', i);
      const file = path.join(dir, '20250101_120000.log.json');
      fs.writeFileSync(file, mutateText(text, rng));
      outcomes.push(check(`log case ${i}`, () => readLog(file, {train: true})));
      outcomes.push(check(`summarize case ${i}`, () => summarize(dir, {metrics: ['head0_top1'], stat: rng.uniform() < 0.5 ? 'median' : 'last'})));
      expect(fs.readdirSync(dir)).toEqual(['20250101_120000.log.json']);
    }
    expect(tally(outcomes).ok).toBeGreaterThan(0);
  });

  it('checkpoint metadata: 60 mutated headers are read or refused with a data error (exit 3)', async () => {
    const rng = new Rng(SEED + 3);
    const meta: CheckpointMeta = {format: 1, epoch: 2, iter: 8, rng: [1, 2, 3, 4], seed: 0, configHash: 'h', configPath: 'c.json', lr: 0.1, mixupVersion: '0.1.0', workDir: '/w', val: {iter: 1, metrics: {head0_top1: 50}}};
    const outcomes: Array<'ok' | number> = [];
    for (let i = 0; i < 60; i++) {
      const file = path.join(caseDir('ckpt', i), 'latest.safetensors');
      await saveCheckpoint(file, {params: new Map(), buffers: new Map(), momentum: new Map()}, meta);
      const bytes = fs.readFileSync(file);
      const header = bytes.toString('utf8', 8, 8 + Number(bytes.readBigUInt64LE(0)));
      const parsed = JSON.parse(header) as {__metadata__: Record<string, string>};
      const newHeader = rng.uniform() < 0.5 ? JSON.stringify({...parsed, __metadata__: {...parsed.__metadata__, mixup: mutateDocument(meta, rng)}}) : mutateText(header, rng);
      const body = Buffer.from(newHeader, 'utf8');
      const length = Buffer.alloc(8);
      length.writeBigUInt64LE(BigInt(rng.uniform() < 0.1 ? rng.int(1 << 30) : body.length));
      fs.writeFileSync(file, Buffer.concat([length, body]));
      outcomes.push(check(`checkpoint case ${i}`, () => readCheckpointMeta(file)));
    }
    const seen = tally(outcomes);
    expect(Object.keys(seen).every((k) => k === 'ok' || k === '3')).toBe(true);
    expect(seen['3']).toBeGreaterThan(20);
  });

  it('the CLI: a sample of mutated and hostile inputs exits with a table code, clean text, no hang, nothing written outside', async () => {
    const rng = new Rng(SEED + 4);
    const template = tmpDir('mixup-fuzz-tpl-');
    const config = writeTinyConfig(template, {}, 'tiny', 1, 32);
    const base = JSON.parse(fs.readFileSync(config, 'utf8')) as Record<string, unknown>;
    const log = fs.readFileSync(LOG_FIXTURE, 'utf8').split('\n').slice(0, 40).join('\n');
    const before = snapshot();
    const cases: Array<{args: (dir: string) => string[]; env?: Record<string, string>}> = [];
    for (let i = 0; i < 4; i++) {
      const text = mutateDocument(base, rng);
      cases.push({args: (dir) => (fs.writeFileSync(path.join(dir, 'c.json'), text), ['validate', 'c.json'])});
    }
    for (let i = 0; i < 2; i++) {
      const text = mutateText(log, rng);
      cases.push({args: (dir) => (fs.mkdirSync(path.join(dir, 'wd')), fs.writeFileSync(path.join(dir, 'wd', '20250101_120000.log.json'), text), ['summarize', 'wd'])});
    }
    const withList = (list: string) => JSON.stringify({...base, data: {...(base.data as object), train: {type: 'ClassificationDataset', data_source: {type: 'ImageList', root: '.', list_file: list}, pipeline: [{type: 'CenterCrop', size: 8}]}}});
    cases.push(
      {args: (dir) => (fs.writeFileSync(path.join(dir, 'c.json'), withList(path.join(root, 'fixed', 'pipe.json'))), ['train', 'c.json', '--work-dir', 'wd'])},
      {args: (dir) => (fs.writeFileSync(path.join(dir, 'c.json'), withList('/dev/zero')), ['train', 'c.json', '--work-dir', 'wd'])},
      {args: (dir) => (fs.writeFileSync(path.join(dir, 'c.json'), JSON.stringify({_base_: path.join(root, 'fixed', 'pipe.json')})), ['train', 'c.json', '--work-dir', 'wd'])},
      {args: (dir) => (fs.writeFileSync(path.join(dir, 'wd'), ''), fs.copyFileSync(config, path.join(dir, 'c.json')), ['train', 'c.json', '--work-dir', 'wd'])},
      {args: (dir) => (fs.copyFileSync(config, path.join(dir, 'c.json')), ['train', 'c.json', '--work-dir', `wd/${'x'.repeat(300)}`])},
      {args: (dir) => (fs.copyFileSync(config, path.join(dir, 'c.json')), ['train', 'c.json', '--work-dir', 'wd', '--backend', 'cpu']), env: {MIXUP_BACKEND: 'bogus'}},
      {args: (dir) => (fs.mkdirSync(path.join(dir, 'wd')), fs.writeFileSync(path.join(dir, 'wd', 'latest.safetensors'), mutateText('x'.repeat(64), rng)), fs.copyFileSync(config, path.join(dir, 'c.json')), ['test', 'c.json', 'wd/latest.safetensors'])},
      {args: () => ['summarize', '/dev/null']},
    );
    const codes: number[] = [];
    cases.forEach((c, i) => {
      const dir = caseDir('cli', i);
      const args = c.args(dir);
      const inputs = fs.readdirSync(dir, {recursive: true, encoding: 'utf8'}) as string[];
      const r = runCli(args, {cwd: dir, timeout: 60_000, env: {HOME: dir, ...(c.env ?? {})}});
      const label = `cli case ${i} (${args.join(' ').slice(0, 120)}): status ${r.status}\n${r.stderr.slice(0, 1500)}`;
      if (r.status === -1) throw new Error(`timed out: ${label}`);
      if (r.status !== 0 && !CODES.has(r.status)) throw new Error(`exit code not in the table: ${label}`);
      if (RAW_ERROR.test(r.stdout + r.stderr)) throw new Error(`raw Node error text: ${label}`);
      // only the work dir (wd/) may have gained files
      const now = (fs.readdirSync(dir, {recursive: true, encoding: 'utf8'}) as string[]).filter((f) => f !== 'wd' && !f.startsWith(`wd${path.sep}`));
      expect(now.sort()).toEqual(inputs.filter((f) => f !== 'wd' && !f.startsWith(`wd${path.sep}`)).sort());
      codes.push(r.status);
    });
    expect(snapshot()).toEqual(before);
    expect(codes.slice(6, 12)).toEqual([3, 3, 2, 2, 5, 2]);
    fs.rmSync(template, {recursive: true, force: true});
  });
});

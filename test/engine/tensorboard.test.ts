/**
 * TensorBoard event files: byte-for-byte equal to another writer's, read back (CRCs checked, scalars decoded) after
 * a real tiny run, and a resume that adds a new file without touching the old one.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {trainRun} from '../../src/engine/run';
import {encodeEvent, readEventFile, TensorboardWriter, type TensorboardEvent} from '../../src/engine/tensorboard';
import {frameRecord} from '../../src/engine/tfrecord';
import {jsonLogs, readJsonLog, tmpDir, writeTinyConfig} from './helpers';

const quiet = {print: () => undefined, progress: 'none' as const};
const TB = {log_config: {interval: 2, hooks: [{type: 'TextLoggerHook'}, {type: 'TensorboardLoggerHook'}]}};

let dir: string;
beforeEach(() => (dir = tmpDir('mixup-tb-')));
afterEach(() => fs.rmSync(dir, {recursive: true, force: true}));

/** The event files of a work dir's tf_logs, oldest first. */
const eventFiles = (workDir: string) => fs.readdirSync(path.join(workDir, 'tf_logs')).sort().map((f) => path.join(workDir, 'tf_logs', f));

/** `{tag: [[step, value], ...]}` of a file's scalar events. */
function series(events: TensorboardEvent[]): Record<string, Array<[number, number]>> {
  const out: Record<string, Array<[number, number]>> = {};
  for (const e of events) for (const [tag, v] of Object.entries(e.scalars ?? {})) (out[tag] ??= []).push([e.step, v]);
  return out;
}

it('encodes events byte for byte as tensorboard_logger does (its test_serialization bytes)', () => {
  // github.com/TeamHG-Memex/tensorboard_logger tests/test_tensorboard_logger.py (MIT): dummy_time 256.5
  const expected = Buffer.from(
    '\x18\x00\x00\x00\x00\x00\x00\x00\xa3\x7fK"\t\x00\x00\x00\x00\x00\x08p@\x1a\rbrain.Event:2\xbc\x98!+' +
      '\x19\x00\x00\x00\x00\x00\x00\x00\x8b\xf1\x08(\t\x00\x00\x00\x00\x00\x08p@\x10\x01*\x0c\n\n\n\x03v/1\x15\x00\x00\xc0?,\xec\xc0\x87' +
      '\x1a\x00\x00\x00\x00\x00\x00\x00\x12\x9b\xd8-\t\x00\x00\x00\x00\x00\x08p@\x10\x02*\r\n\x0b\n\x04v/22\x15\x00\x00\x80A\x8f\xa3\xb6\x88',
    'latin1',
  );
  const events: TensorboardEvent[] = [
    {wall_time: 256.5, step: 0, file_version: 'brain.Event:2'},
    {wall_time: 256.5, step: 1, scalars: {'v/1': 1.5}},
    {wall_time: 256.5, step: 2, scalars: {'v/22': 16}},
  ];
  expect(Buffer.concat(events.map((e) => frameRecord(encodeEvent(e))))).toEqual(expected);
  const file = path.join(dir, 'events.out.tfevents.0000000256.h');
  fs.writeFileSync(file, expected);
  expect(readEventFile(file)).toEqual(events);
});

it('names files as torch SummaryWriter does, never reuses one, and marks a resume or restart with a session start', () => {
  const now = new Date(1_700_000_000_500);
  const a = new TensorboardWriter(dir, {now});
  const b = new TensorboardWriter(dir, {now, resumedAt: 8});
  expect(path.basename(a.file)).toBe(`events.out.tfevents.1700000000.${os.hostname()}.${process.pid}.0`);
  expect(path.basename(b.file)).toBe(`events.out.tfevents.1700000000.${os.hostname()}.${process.pid}.1`);
  a.scalars(3, {'train/loss': 0.25, learning_rate: 0.1}, now);
  expect(readEventFile(a.file)).toEqual([
    {wall_time: 1_700_000_000.5, step: 0, file_version: 'brain.Event:2'},
    {wall_time: 1_700_000_000.5, step: 3, scalars: {'train/loss': 0.25}},
    {wall_time: 1_700_000_000.5, step: 3, scalars: {learning_rate: Math.fround(0.1)}},
  ]);
  expect(readEventFile(b.file)[1]).toEqual({wall_time: 1_700_000_000.5, step: 9, session_start: true});
  // a run started over (train --force) next to earlier files: TensorBoard drops the old run's points from step 1
  const c = new TensorboardWriter(dir, {now});
  expect(readEventFile(c.file).map((e) => [e.step, e.session_start])).toEqual([[0, undefined], [1, true]]);
});

it('a corrupt file is a data error naming it and the record offset', () => {
  const w = new TensorboardWriter(dir);
  w.scalars(1, {x: 1});
  const bytes = fs.readFileSync(w.file);
  bytes[bytes.length - 6] ^= 0xff;
  fs.writeFileSync(w.file, bytes);
  expect(() => readEventFile(w.file)).toThrow(/events\.out\.tfevents\.[^:]+: record at byte 40: data CRC mismatch/);
});

it('a run with TensorboardLoggerHook writes lr, loss, acc and val top-k as the JSON log has them; a resume adds a file', async () => {
  const config = writeTinyConfig(dir, TB, 'tb', 2);
  const workDir = path.join(dir, 'wd');
  const kill = (epoch: number, iter: number) => {
    if (epoch === 1 && iter === 3) throw new Error('simulated SIGKILL');
  };
  await expect(trainRun({configPath: config, workDir, ...quiet, beforeIteration: kill})).rejects.toThrow('simulated SIGKILL');
  const [first] = eventFiles(workDir);
  const firstBytes = fs.readFileSync(first);
  const lines: string[] = [];
  await trainRun({configPath: config, workDir, ...quiet, print: (l) => lines.push(l)});
  expect(lines).toContainEqual(expect.stringMatching(/^TensorBoard events: .*tf_logs[/\\]events\.out\.tfevents\.\d{10}\..+ \(tensorboard --logdir .*tf_logs\)$/));
  const files = eventFiles(workDir);
  expect(files).toHaveLength(2);
  expect(fs.readFileSync(files[0])).toEqual(firstBytes); // the killed run's file is left as it was

  // the killed run: epoch 1 (4 iters, logged at 2 and 4), val at 4, then epoch 2 logged at iter 2 (step 6), killed at 3
  const before = series(readEventFile(files[0]));
  expect(Object.keys(before)).toEqual(['train/loss', 'train/acc', 'train/acc_mix', 'learning_rate', 'val/head0_top1', 'val/head0_top5']);
  expect(before['train/loss'].map(([s]) => s)).toEqual([2, 4, 6]);
  expect(before['val/head0_top1'].map(([s]) => s)).toEqual([4]);

  // the resume starts after the checkpoint of epoch 1 (4 iters): TensorBoard drops the killed run's step 6
  const resumed = readEventFile(files[1]);
  expect(resumed.slice(0, 2).map((e) => [e.step, e.file_version, e.session_start])).toEqual([[0, 'brain.Event:2', undefined], [5, undefined, true]]);
  const after = series(resumed);
  expect(after['train/loss'].map(([s]) => s)).toEqual([6, 8]);
  expect(after['val/head0_top5'].map(([s]) => s)).toEqual([8]);

  // values: the JSON log's (5 decimals) within float32 precision
  const resumedJson = readJsonLog(jsonLogs(workDir)[1]).slice(1);
  const train = resumedJson.filter((r) => r.mode === 'train');
  const val = resumedJson.filter((r) => r.mode === 'val');
  expect(train).toHaveLength(2);
  train.forEach((r, i) => {
    expect(after['train/loss'][i][1]).toBeCloseTo(r.loss as number, 4);
    expect(after['train/acc'][i][1]).toBeCloseTo(r.acc as number, 3);
    const lr = after['learning_rate'].find(([step]) => step === after['train/loss'][i][0]);
    expect(lr?.[1]).toBeCloseTo(r.lr as number, 5);
  });
  val.forEach((r, i) => expect(after['val/head0_top1'][i][1]).toBeCloseTo(r.head0_top1 as number, 3));
  // learning_rate at every train and val point
  expect(after['learning_rate'].map(([s]) => s)).toEqual([6, 8, 8]);
}, 120_000);

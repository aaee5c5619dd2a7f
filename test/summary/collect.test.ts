/** Paths that are not plain work dirs: unreadable logs, symbolic links, loops, devices, FIFOs. Nothing is skipped silently. */
import {execFileSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {MixupError} from '../../src/errors';
import {collectWorkDirs, groupSeeds} from '../../src/summary/collect';
import {summarize} from '../../src/summary/summarize';
import {writeSimpleLog} from './simple-log';

/** The module object itself (the `import * as` namespace above is a read-only copy): spies go here. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeFs: typeof fs = require('node:fs');

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-collect-'));
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(root, {recursive: true, force: true});
});

const opts = {metrics: ['head0_top1'], stat: 'last' as const};

test('an unreadable log is a warning naming the file; the other logs are summarised', () => {
  const good = writeSimpleLog(path.join(root, 'a'), '20250101_000000', {top1: [[1, 50]]});
  const bad = writeSimpleLog(path.join(root, 'b'), '20250101_000000', {top1: [[1, 60]]});
  // chmod 000 has no effect as root: the read error is injected instead
  const read = fs.readFileSync;
  jest.spyOn(nodeFs, 'readFileSync').mockImplementation(((file: fs.PathOrFileDescriptor, options?: unknown) => {
    if (file === bad) throw Object.assign(new Error(`EACCES: permission denied, open '${bad}'`), {code: 'EACCES'});
    return read(file, options as BufferEncoding);
  }) as typeof fs.readFileSync);
  const result = summarize(root, opts);
  expect(result.workDirs.find((w) => w.workDir === path.dirname(good))?.scores.head0_top1.value).toBe(50);
  expect(result.workDirs.find((w) => w.workDir === path.dirname(bad))?.problems).toEqual([`${bad}: cannot read log file: permission denied (EACCES); skipped`]);
  // alone, it is the data error "nothing could be summarised", naming the file
  expect(() => summarize(path.dirname(bad), opts)).toThrow(`nothing could be summarised:\n  ${bad}: cannot read log file: permission denied (EACCES); skipped`);
});

test('a symbolic link to a work dir and to a log are followed', () => {
  const real = path.join(root, 'elsewhere', 'run');
  writeSimpleLog(real, '20250101_000000', {top1: [[1, 50]]});
  const other = writeSimpleLog(path.join(root, 'logs'), '20250102_000000', {top1: [[1, 70]]});
  const tree = path.join(root, 'work_dirs');
  fs.mkdirSync(path.join(tree, 'linked_log'), {recursive: true});
  fs.symlinkSync(real, path.join(tree, 'linked_dir'));
  fs.symlinkSync(other, path.join(tree, 'linked_log', '20250102_000000.log.json'));
  const {workDirs, warnings} = collectWorkDirs(tree);
  expect(workDirs).toEqual([
    {workDir: path.join(tree, 'linked_dir'), logs: [path.join(tree, 'linked_dir', '20250101_000000.log.json')]},
    {workDir: path.join(tree, 'linked_log'), logs: [path.join(tree, 'linked_log', '20250102_000000.log.json')]},
  ]);
  expect(warnings).toEqual([]);
  // a symlinked work_dirs root as PATH works too
  fs.symlinkSync(tree, path.join(root, 'wd'));
  expect(collectWorkDirs(path.join(root, 'wd')).workDirs).toHaveLength(2);
});

test('a link loop, a second link to a directory or log already read, and a broken link are warnings', () => {
  const tree = path.join(root, 'work_dirs');
  const log = writeSimpleLog(path.join(tree, 'a'), '20250101_000000', {top1: [[1, 50]]});
  fs.symlinkSync(tree, path.join(tree, 'a', 'loop'));
  fs.symlinkSync(path.join(tree, 'a'), path.join(tree, 'b'));
  fs.symlinkSync(log, path.join(tree, 'a', '20250102_000000.log.json'));
  fs.symlinkSync(path.join(root, 'gone'), path.join(tree, 'c.log.json'));
  const {workDirs, warnings} = collectWorkDirs(tree);
  expect(workDirs).toEqual([{workDir: path.join(tree, 'a'), logs: [log]}]);
  expect(warnings).toEqual([
    `${path.join(tree, 'c.log.json')}: broken symbolic link (to ${path.join(root, 'gone')}: ENOENT: no such file or directory); skipped`,
    `${path.join(tree, 'a', '20250102_000000.log.json')}: the same file as ${log} (a symbolic link); read once`,
    `${path.join(tree, 'a', 'loop')}: the same directory as ${tree} (reached again through a symbolic link: a loop?); read once`,
    `${path.join(tree, 'b')}: the same directory as ${path.join(tree, 'a')} (reached again through a symbolic link: a loop?); read once`,
  ]);
  // summarize passes them on
  expect(summarize(tree, opts).warnings).toEqual(warnings);
});

test('PATH that is not a directory or a regular file: a data MixupError (exit 3), no raw ENOTDIR', () => {
  const error = (() => {
    try {
      collectWorkDirs('/dev/null');
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  expect(error).toBeInstanceOf(MixupError);
  expect((error as MixupError).exitCode).toBe(3);
  expect((error as MixupError).message).toBe('/dev/null: not a directory or a regular file (a character device); expected a .log.json log or a directory of work dirs');
  expect(() => collectWorkDirs('/dev/null/x')).toThrow(/^\/dev\/null\/x: cannot read \(ENOTDIR: not a directory\)$/);
});

test('a FIFO named like a log is a warning, never opened (no hang); a FIFO as PATH is an error', () => {
  writeSimpleLog(path.join(root, 'a'), '20250101_000000', {top1: [[1, 50]]});
  const fifo = path.join(root, 'a', '20250102_000000.log.json');
  execFileSync('mkfifo', [fifo]);
  const {workDirs, warnings} = collectWorkDirs(root);
  expect(workDirs[0].logs).toHaveLength(1);
  expect(warnings).toEqual([`${fifo}: not a regular file (a FIFO); skipped`]);
  expect(() => collectWorkDirs(fifo)).toThrow(`${fifo}: not a directory or a regular file (a FIFO)`);
});

test('a directory that cannot be listed is a warning', () => {
  writeSimpleLog(path.join(root, 'a'), '20250101_000000', {top1: [[1, 50]]});
  fs.mkdirSync(path.join(root, 'locked'));
  const readdir = fs.readdirSync;
  jest.spyOn(nodeFs, 'readdirSync').mockImplementation(((dir: fs.PathLike, options?: unknown) => {
    if (dir === path.join(root, 'locked')) throw Object.assign(new Error(`EACCES: permission denied, scandir '${String(dir)}'`), {code: 'EACCES'});
    return readdir(dir, options as {withFileTypes: true});
  }) as typeof fs.readdirSync);
  expect(collectWorkDirs(root).warnings).toEqual([`${path.join(root, 'locked')}: cannot list this directory (EACCES: permission denied); skipped`]);
});

test('groupSeeds pools seed<S> dirs under their parent and keeps other dirs apart', () => {
  const w = (dir: string) => ({workDir: dir, logs: [`${dir}/x.log.json`]});
  expect(groupSeeds([w('a/seed0'), w('a/seed1'), w('b'), w('c/seedling')]).map((c) => [c.dir, c.members.map((m) => m.workDir)])).toEqual([
    ['a', ['a/seed0', 'a/seed1']],
    ['b', ['b']],
    ['c/seedling', ['c/seedling']],
  ]);
});

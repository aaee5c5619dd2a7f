import * as fs from 'node:fs';
import * as path from 'node:path';
import {isMixupError} from '../../src/errors';
import {alreadyExists, appendText, checkOutput, copyFileAtomic, ensureDir, writeFileAtomic} from '../../src/io/write';
import {errnoError, mkfifo, RAW_ERROR, realFs, tmpDir} from './helpers';
import {caught} from '../config/caught';

let dir: string;
beforeEach(() => (dir = tmpDir()));
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, {recursive: true, force: true});
});

describe('writeFileAtomic', () => {
  it('creates directories, refuses to replace without overwrite (the one --force wording), leaves no temp file', () => {
    const file = path.join(dir, 'meta', 'a.txt');
    writeFileAtomic(file, 'one', {overwrite: false});
    const refused = caught(() => writeFileAtomic(file, 'two', {overwrite: false}));
    expect([refused.message, refused.exitCode]).toEqual([`${file} already exists; use --force to overwrite it`, 5]);
    expect(fs.readFileSync(file, 'utf8')).toBe('one');
    writeFileAtomic(file, Buffer.from('two'), {overwrite: true, mode: 0o755});
    expect(fs.readFileSync(file, 'utf8')).toBe('two');
    expect(fs.statSync(file).mode & 0o777).toBe(0o755);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['a.txt']);
  });

  it('ENOSPC mid-write: an io error naming the file, the previous file intact, no temp file, no raw Node text', () => {
    const file = path.join(dir, 'latest.safetensors');
    writeFileAtomic(file, 'previous', {overwrite: true});
    jest.spyOn(realFs, 'writeSync').mockImplementation(() => {
      throw errnoError('ENOSPC');
    });
    const error = caught(() => writeFileAtomic(file, 'next', {overwrite: true}));
    expect(isMixupError(error) && error.exitCode).toBe(5);
    expect(error.message).toBe(`${file}: cannot write: no space left on the device (ENOSPC)`);
    expect(error.message).not.toMatch(RAW_ERROR);
    expect(fs.readFileSync(file, 'utf8')).toBe('previous');
    expect(fs.readdirSync(dir)).toEqual(['latest.safetensors']);
  });

  it('a failing fsync or rename also keeps the previous file', () => {
    const file = path.join(dir, 'x.json');
    writeFileAtomic(file, 'old', {overwrite: true});
    const fsync = jest.spyOn(realFs, 'fsyncSync').mockImplementationOnce(() => {
      throw errnoError('EIO', 'fsync', 'i/o error');
    });
    expect(caught(() => writeFileAtomic(file, 'new', {overwrite: true})).message).toBe(`${file}: cannot write: input/output error (EIO)`);
    fsync.mockRestore();
    jest.spyOn(realFs, 'renameSync').mockImplementationOnce(() => {
      throw errnoError('EACCES', 'rename', 'permission denied');
    });
    expect(caught(() => writeFileAtomic(file, 'new', {overwrite: true})).message).toBe(`${file}: cannot write: permission denied (EACCES)`);
    expect([fs.readFileSync(file, 'utf8'), fs.readdirSync(dir)]).toEqual(['old', ['x.json']]);
  });

  it('refuses a directory, a FIFO or a device as target, and names a parent that is a file', () => {
    fs.mkdirSync(path.join(dir, 'd.svg'));
    expect(caught(() => writeFileAtomic(path.join(dir, 'd.svg'), 'x', {overwrite: true})).message).toBe(`${path.join(dir, 'd.svg')}: cannot write: it is a directory`);
    const fifo = mkfifo(path.join(dir, 'pipe.png'));
    expect(caught(() => writeFileAtomic(fifo, 'x', {overwrite: true})).message).toMatch(/pipe\.png: cannot write: it exists and is not a regular file/);
    expect(caught(() => writeFileAtomic('/dev/null', 'x', {overwrite: true})).message).toMatch(/^\/dev\/null: cannot write: it exists and is not a regular file/);
    fs.writeFileSync(path.join(dir, 'file'), '');
    const nested = path.join(dir, 'file', 'x.svg');
    const error = caught(() => writeFileAtomic(nested, 'x', {overwrite: true}));
    expect([error.message, error.exitCode]).toEqual([`${nested}: cannot write: ${path.join(dir, 'file')} is a file, not a directory`, 5]);
    expect(caught(() => checkOutput(nested, true)).message).toBe(error.message); // the same check, before the work
  });

  it('names a too-long path in words (ENAMETOOLONG)', () => {
    const file = path.join(dir, `${'a'.repeat(300)}.json`);
    const error = caught(() => writeFileAtomic(file, 'x', {overwrite: true}));
    expect(error.message).toMatch(/: cannot write: the path \(or one of its names\) is too long \(ENAMETOOLONG\)$/);
    expect(error.message).not.toMatch(RAW_ERROR);
    expect(caught(() => ensureDir(path.join(dir, 'b'.repeat(5000)))).message).toMatch(/cannot create the directory: .*too long/);
  });
});

describe('checkOutput and alreadyExists', () => {
  it('refuses an existing output before the work, and words several files the same way', () => {
    const file = path.join(dir, 'x.png');
    checkOutput(file, false);
    fs.writeFileSync(file, '');
    expect(caught(() => checkOutput(file, false)).message).toBe(`${file} already exists; use --force to overwrite it`);
    checkOutput(file, true);
    expect(alreadyExists(['a', 'b']).message).toBe('2 files already exist: a, b; use --force to overwrite them');
  });
});

describe('copyFileAtomic', () => {
  it('copies through a temp file; ENOSPC keeps the previous copy and no temp file', () => {
    const source = path.join(dir, 'latest');
    const copy = path.join(dir, 'epoch_1');
    fs.writeFileSync(source, 'new');
    fs.writeFileSync(copy, 'old');
    jest.spyOn(realFs, 'copyFileSync').mockImplementationOnce(() => {
      throw errnoError('ENOSPC', 'copyfile');
    });
    expect(caught(() => copyFileAtomic(source, copy, {overwrite: true})).message).toBe(`${copy}: cannot write: no space left on the device (ENOSPC)`);
    expect([fs.readFileSync(copy, 'utf8'), fs.readdirSync(dir).sort()]).toEqual(['old', ['epoch_1', 'latest']]);
    copyFileAtomic(source, copy, {overwrite: true});
    expect(fs.readFileSync(copy, 'utf8')).toBe('new');
  });
});

describe('appendText', () => {
  it('appends lines; a failed append is cut back to the last whole line', () => {
    const log = path.join(dir, 'x.log.json');
    appendText(log, '{"a":1}\n');
    appendText(log, '{"a":2}\n');
    const real = realFs.appendFileSync;
    jest.spyOn(realFs, 'appendFileSync').mockImplementationOnce((file, data) => {
      real(file as string, String(data).slice(0, 3)); // a partial write, then the disk is full
      throw errnoError('ENOSPC');
    });
    const error = caught(() => appendText(log, '{"a":3}\n'));
    expect(error.message).toBe(`${log}: cannot append to the file: no space left on the device (ENOSPC)`);
    expect(fs.readFileSync(log, 'utf8')).toBe('{"a":1}\n{"a":2}\n');
  });
});

describe('the one writer', () => {
  // every file the program writes goes through this module (atomic, refusing without --force in one wording): a
  // writer added elsewhere with its own writeFileSync + rename, or its own "already exists" message, fails here
  const SRC = path.resolve(__dirname, '..', '..', 'src');
  const files = (dir: string): string[] =>
    fs.readdirSync(dir, {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
  const sources = files(SRC).filter((f) => f !== path.join(SRC, 'io', 'write.ts'));

  it('no other source file writes, renames or copies files with node:fs', () => {
    const writes = /\b(writeFileSync|writeFile|renameSync|rename|copyFileSync|copyFile|appendFileSync|appendFile|createWriteStream|writeSync|fsyncSync|toFile)\s*\(/;
    const offenders = sources.filter((f) => writes.test(fs.readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')));
    expect(offenders.map((f) => path.relative(SRC, f))).toEqual([]);
  });

  it('no other source file words the overwrite refusal itself', () => {
    const wording = /already exists?[^'"`]*use --force|use --force to overwrite/;
    expect(sources.filter((f) => wording.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(SRC, f))).toEqual([]);
  });
});

/** Two `mixup train` into one work dir: the second exits 5 naming the first; a SIGKILLed run's lock and temp files do not block the next. */
import {spawn} from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {BIN, oneLine, REPO_ROOT, runCli} from '../helpers/cli';
import {jsonLogs, tmpDir, writeTinyConfig} from '../engine/helpers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mixup train work-dir lock', () => {
  it('refuses a concurrent run (exit 5, naming the holder); after a SIGKILL the stale lock and temp files are cleaned up', async () => {
    const dir = tmpDir('mixup-cli-lock-');
    // wasm, 64 iterations an epoch with a line each: the first run is still going when the second starts
    const config = writeTinyConfig(dir, {log_config: {interval: 1}}, 'lock', 2, 1024);
    const workDir = path.join(dir, 'wd');
    const first = spawn(process.execPath, [BIN, 'train', config, '--work-dir', workDir, '--backend', 'wasm'], {cwd: REPO_ROOT, stdio: 'ignore'});
    const exited = new Promise<NodeJS.Signals | null>((resolve) => first.on('exit', (_code, signal) => resolve(signal)));
    const lock = path.join(workDir, 'train.lock');
    const deadline = Date.now() + 120_000;
    const lines = () => (fs.existsSync(workDir) && jsonLogs(workDir).length > 0 ? fs.readFileSync(jsonLogs(workDir)[0], 'utf8').split('\n').length : 0);
    while (Date.now() < deadline && !(fs.existsSync(lock) && lines() >= 3)) await sleep(20);
    expect(JSON.parse(fs.readFileSync(lock, 'utf8')).pid).toBe(first.pid);

    const second = runCli(['train', config, '--work-dir', workDir, '--backend', 'wasm']);
    expect(second.status).toBe(5);
    expect(oneLine(second.stderr)).toContain(`${workDir} is in use by another \`mixup train\` (pid ${first.pid} on `);
    expect(jsonLogs(workDir)).toHaveLength(1); // the refused run wrote no log

    first.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(fs.existsSync(lock)).toBe(true);
    fs.writeFileSync(path.join(workDir, 'latest.safetensors.tmp-999999'), 'torn');
    const third = runCli(['train', config, '--work-dir', workDir]);
    expect(third.status).toBe(0);
    expect(third.stdout).toContain(`warning: removed the stale lock ${lock} (pid ${first.pid} on `);
    expect(third.stdout).toContain(`removed 1 temp file(s) a killed run left in ${workDir}: latest.safetensors.tmp-999999`);
    expect(fs.readdirSync(workDir).filter((f) => /\.tmp-|\.lock$/.test(f))).toEqual([]);
    expect(fs.existsSync(path.join(workDir, 'finished'))).toBe(true);
    fs.rmSync(dir, {recursive: true, force: true});
  });
});

/** `mixup doctor` through the compiled CLI. */
import {runCli} from '../helpers/cli';

describe('mixup doctor', () => {
  it('lists the backends in auto order, which one auto picks, and how to get the missing ones', () => {
    const result = runCli(['doctor', '--json']);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.backends.map((b: {candidate: string}) => b.candidate)).toEqual(['tfjs-node-gpu', 'tfjs-node', 'native', 'wasm', 'cpu']);
    expect(report.auto).toBe(report.backends.find((b: {ok: boolean}) => b.ok).backend);
    expect(report.node).toBe(process.version);
    expect(report.tfjs).toBe('4.22.0');
    if (!report.native.ok) expect(report.native.fix).toMatch(/apt-get install -y libdnnl-dev/);
    const text = runCli(['doctor']);
    expect(text.stdout).toMatch(/^auto picks: \w+$/m);
    expect(text.stdout).toContain('npm install @tensorflow/tfjs-node-gpu');
  });
});

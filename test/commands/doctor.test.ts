/** `mixup doctor` through the compiled CLI. */
import {runCli} from '../helpers/cli';

describe('mixup doctor', () => {
  it('lists the backends in auto order, which one auto picks, and how to get the missing ones', () => {
    const result = runCli(['doctor', '--json']);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.backends.map((b: {candidate: string}) => b.candidate)).toEqual(['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'native', 'wasm', 'cpu']);
    expect(report.auto).toBe(report.backends.find((b: {ok: boolean; autoSkips?: string}) => b.ok && b.autoSkips === undefined).backend);
    expect(report.node).toBe(process.version);
    expect(report.tfjs).toBe('4.22.0');
    if (!report.native.ok) expect(report.native.fix).toMatch(/apt-get install -y libdnnl-dev/);
    const text = runCli(['doctor']);
    expect(text.stdout).toMatch(/^auto picks: \w+$/m);
    expect(text.stdout).toContain('npm install @tensorflow/tfjs-node-gpu');
  });

  // jest.config.js points VK_ICD_FILENAMES at SwiftShader (Debian chromium): without it this fails, naming the reason
  it('shows the WebGPU adapter and driver, that auto skips a software one, and the fix when there is none', () => {
    const result = runCli(['doctor', '--json']);
    const webgpu = JSON.parse(result.stdout).backends.find((b: {candidate: string}) => b.candidate === 'webgpu');
    expect(webgpu).toMatchObject({ok: true, backend: 'webgpu', adapter: {vendor: 'google', architecture: 'swiftshader', software: true}});
    const text = runCli(['doctor']).stdout;
    expect(text).toMatch(/^ {2}ok {6}webgpu {9}Dawn adapter google \/ swiftshader \(SwiftShader driver [\d.]+\), software$/m);
    expect(text).toMatch(/^ +auto skips it: software adapter \(correctness only; --backend webgpu uses it\)$/m);
    expect(text).not.toMatch(/^auto picks: webgpu$/m);
    const none = runCli(['doctor'], {env: {VK_ICD_FILENAMES: '/nonexistent/icd.json'}}).stdout;
    expect(none).toMatch(/^ {2}missing webgpu {9}Dawn found no WebGPU adapter \(no usable Vulkan driver; VK_ICD_FILENAMES=\/nonexistent\/icd.json\)$/m);
    expect(none).toMatch(/fix: give Dawn a Vulkan driver: with an NVIDIA GPU install its Vulkan ICD \(in containers set NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics\); without a GPU .*apt-get install -y chromium && export VK_ICD_FILENAMES=\/usr\/lib\/chromium\/vk_swiftshader_icd.json/);
  });
});

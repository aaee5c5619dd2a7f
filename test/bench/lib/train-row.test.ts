import {formatRow} from '../../../bench/lib/train-row';

describe('bench train line', () => {
  const base = {backend: 'webgpu', shape: 'cifar32s' as const, pure: 0.36, loop: 0.47, overheadPercent: -22.3, peakRssMB: 470, torch: 119.3, ratio: 0.003};

  test('a software webgpu adapter is named as such next to the figure', () => {
    const line = formatRow({...base, adapter: 'google / swiftshader (SwiftShader driver 5.0.0), software', software: true}, 4);
    expect(line).toBe('webgpu  cifar32s batch 4 pure 0.36 img/s (software adapter google / swiftshader (SwiftShader driver 5.0.0)), loop 0.47 img/s, overhead -22.3%, peak RSS 470 MB, PyTorch 119.3 img/s (ratio 0.00)');
  });

  test('a hardware adapter is not called software; other backends print no adapter and no batch', () => {
    expect(formatRow({...base, adapter: 'nvidia / ampere (NVIDIA 535.1)', software: false})).toMatch(/img\/s \(adapter nvidia \/ ampere \(NVIDIA 535\.1\)\), loop/);
    expect(formatRow({...base, backend: 'native', pure: 812.34, adapter: undefined})).toMatch(/^native  cifar32s pure 812\.3 img\/s, loop/);
    expect(formatRow({backend: 'webgpu', shape: 'in64', error: 'timed out after 5 s', torch: 'torch/torchvision not installed in /usr/bin/python3'})).toBe('webgpu  in64     error: timed out after 5 s, PyTorch torch/torchvision not installed in /usr/bin/python3');
  });
});

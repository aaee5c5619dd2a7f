import * as path from 'node:path';
import sharp from 'sharp';
import {readCurves, renderPlot, renderSvg} from '../../src/summary/plot';

const LOGS = path.join(__dirname, '..', 'fixtures', 'logs');
const CUB = path.join(LOGS, 'openmixup', 'classification', 'cub200');

describe('readCurves', () => {
  test('one curve per log, named by method, alpha, backbone, dataset (and run number)', () => {
    const curves = readCurves(LOGS, 'head0_top1');
    expect(curves.curves.map((c) => c.name)).toEqual([
      'MixUp α=0.2 ResNet-18 Aircraft',
      'AutoMix α=2 ResNet-18 CUB-200 (best of q/k heads)',
      'CutMix α=1 ResNet-18 CUB-200 run 1',
      'CutMix α=1 ResNet-18 CUB-200 run 2',
      'CutMix α=1 ResNet-18 CUB-200 run 3',
      'MixUp α=1 ResNeXt-50 CUB-200',
    ]);
    // the AutoMix log has no head0_top1: its curve is the best of its q/k heads (next test)
    expect(curves.warnings.filter((w) => /no val or train line/.test(w))).toEqual([]);
    expect(curves.curves[0].points).toHaveLength(200);
    expect(curves.curves[0].points[0]).toEqual({epoch: 1, value: Number((60 + 20 * (1 - Math.exp(-1 / 40))).toFixed(5))});
  });

  test('a train metric is averaged per epoch', () => {
    const curves = readCurves(path.join(CUB, 'mixups/basic/r18/mix_modecutmix/r18_mixups_CE_none_alpha1_ep200/20240101_000000.log.json'), 'loss');
    expect(curves.curves[0].source).toBe('train');
    expect(curves.curves[0].points[0].epoch).toBe(1);
    expect(curves.curves[0].points[0].value).toBeCloseTo((2.5 + 2.4) / 2, 10);
  });

  test('an AutoMix log: head0_topK is, per epoch, the best of acc_{one,mix}_{q,k}_topK (k falls back to q)', () => {
    const curves = readCurves(path.join(CUB, 'automix'), 'head0_top1');
    expect(curves.curves.map((c) => c.name)).toEqual(['AutoMix α=2 ResNet-18 CUB-200 (best of q/k heads)']);
    // epoch 188: one_q 90, mix_q 75, one_k 89; epoch 189: 81, 75, 80
    expect(curves.curves[0].points.slice(0, 2)).toEqual([{epoch: 188, value: 90}, {epoch: 189, value: 81}]);
    const top5 = readCurves(path.join(CUB, 'automix'), 'head0_top5');
    expect(top5.curves[0].points[0]).toEqual({epoch: 188, value: 99});
  });

  test('nothing to plot is an error listing what the logs have', () => {
    expect(() => readCurves(path.join(CUB, 'automix'), 'head0_top3')).toThrow(/nothing to plot:\n.*its val metrics are: acc_mix_q_top1, acc_mix_q_top5, acc_one_k_top1/);
  });
});

describe('rendering', () => {
  const curves = readCurves(path.join(LOGS, 'engine'), 'head0_top1');

  test('SVG has the legend, title and axis names as text', () => {
    const svg = renderSvg(curves, {width: 600, height: 400});
    expect(svg.startsWith('<svg')).toBe(true);
    for (const text of ['MixUp α=0.2 ResNet-18 Aircraft', 'epoch', 'head0_top1 (val)']) expect(svg).toContain(text);
    expect((svg.match(/<path/g) ?? []).length).toBeGreaterThan(2);
  });

  test('PNG of the requested size; unknown extensions are refused', async () => {
    const png = await renderPlot(curves, 'x.png', {width: 600, height: 400});
    expect(await sharp(png).metadata()).toMatchObject({format: 'png', width: 600, height: 400});
    await expect(renderPlot(curves, 'x.jpg', {width: 600, height: 400})).rejects.toThrow('--out must end in .svg or .png, got "x.jpg"');
  });
});

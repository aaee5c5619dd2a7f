/** The confusion heat map: SVG with the class names and counts, a PNG sharp decodes, refusals named. */
import sharp from 'sharp';
import {confusionSvg, renderConfusion} from '../../src/summary/confusion-plot';
import {DENSE_CONFUSION_LIMIT, perClassReport, type ClassCountsData} from '../../src/summary/per-class';

const COUNTS: ClassCountsData = {numClasses: 3, images: [3, 2, 1], topk: {'1': [2, 2, 0]}, confusion: [[0, 0, 2], [0, 1, 1], [1, 1, 2], [2, 0, 1]]};
const report = perClassReport('head0', COUNTS, ['albatross', 'bunting', 'crow']);

it('draws every class name on both axes', () => {
  const svg = confusionSvg(report, 'confusion of head0');
  for (const name of ['albatross', 'bunting', 'crow', 'true class', 'predicted class', 'confusion of head0']) expect(svg.split(name).length - 1).toBeGreaterThanOrEqual(1);
  expect(svg.split('>albatross<').length - 1).toBe(2); // x and y axis
});

it('renders a PNG that sharp decodes, and an SVG by extension', async () => {
  const png = await renderConfusion(report, 'c.png', 'confusion', '--confusion-png');
  const meta = await sharp(png).metadata();
  expect(meta.format).toBe('png');
  expect(meta.width).toBeGreaterThan(300);
  expect(meta.height).toBeGreaterThan(300);
  // the diagonal cell of "bunting" (2 of 2 images, 100%) is the darkest colour of the ramp somewhere in the image
  const {data, info} = await sharp(png).raw().toBuffer({resolveWithObject: true});
  let darkest = 255 * 3;
  for (let i = 0; i < data.length; i += info.channels) darkest = Math.min(darkest, data[i] + data[i + 1] + data[i + 2]);
  expect(darkest).toBeLessThan(0x08 + 0x30 + 0x6b + 30);
  expect((await renderConfusion(report, 'c.svg', 'confusion', '--confusion-png')).toString('utf8')).toMatch(/^<svg/);
});

it('refuses another extension and a matrix above the dense limit, naming the flag and the count', async () => {
  await expect(renderConfusion(report, 'c.jpg', 'x', '--confusion-png')).rejects.toThrow('--confusion-png must end in .svg or .png, got "c.jpg"');
  const n = DENSE_CONFUSION_LIMIT + 1;
  const big = perClassReport('head0', {numClasses: n, images: new Array(n).fill(0), topk: {'1': new Array(n).fill(0)}, confusion: []});
  expect(() => confusionSvg(big, 'x')).toThrow(`a confusion heat map needs at most ${DENSE_CONFUSION_LIMIT} classes, this head has ${n}`);
});

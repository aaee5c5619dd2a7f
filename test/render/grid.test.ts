import sharp from 'sharp';
import {renderGrid} from '../../src/render/grid';

describe('renderGrid', () => {
  test('places each tile at its cell and writes a PNG of the expected size', async () => {
    const red = new Float32Array(32 * 32 * 3).map((_, i) => (i % 3 === 0 ? 1 : 0));
    const grey = new Float32Array(32 * 32).fill(0.5);
    const {png, width, height} = await renderGrid(['a', 'b'], [{title: 'row', tiles: [{pixels: red, channels: 3, caption: 'x'}, {pixels: grey, channels: 1, caption: 'y'}]}], 32);
    const {data, info} = await sharp(png).raw().toBuffer({resolveWithObject: true});
    expect([info.width, info.height]).toEqual([width, height]);
    const px = (x: number, y: number) => Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3));
    // first tile starts at (8, 24 + 22): its centre is red, the second tile's centre mid-grey
    expect(px(8 + 16, 46 + 16)).toEqual([255, 0, 0]);
    expect(px(8 + 40 + 16, 46 + 16)).toEqual([128, 128, 128]);
  });
});

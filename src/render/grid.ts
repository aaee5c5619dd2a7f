/**
 * A PNG grid of image tiles with captions: rows of equally sized tiles, column titles on top, a row title and a
 * caption under each tile. Tiles are composited as raw pixels; the text is one SVG overlay rendered by sharp
 * (librsvg + fontconfig; DejaVu Sans is the font asked for).
 */
import sharp from 'sharp';

/** One tile: `pixels` S×S×channels floats in [0, 1] (channels 1 = greyscale mask), or null for an empty tile. */
export interface Tile {
  pixels: Float32Array | null;
  channels: 1 | 3;
  caption: string;
}

/** One row of the grid: a title (and optional red note) above its tiles. */
export interface GridRow {
  title: string;
  /** a second, smaller line under the title (e.g. "stand-in saliency") */
  note?: string;
  tiles: Tile[];
}

const PAD = 8;
const HEADER = 24;
const TITLE = 22;
const CAPTION = 20;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({'<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;'})[c]!);
}

/** Renders the grid to PNG bytes; returns them with the picture's size. */
export async function renderGrid(columns: string[], rows: GridRow[], tile: number): Promise<{png: Buffer; width: number; height: number}> {
  const width = PAD + columns.length * (tile + PAD);
  const rowHeight = TITLE + tile + CAPTION + PAD;
  const height = HEADER + rows.length * rowHeight + PAD;
  const composites: sharp.OverlayOptions[] = [];
  const text: string[] = [];
  const label = (x: number, y: number, s: string, size: number, weight = 'normal', anchor = 'middle', fill = '#222') =>
    text.push(`<text x="${x}" y="${y}" font-family="DejaVu Sans, sans-serif" font-size="${size}" font-weight="${weight}" text-anchor="${anchor}" fill="${fill}">${escapeXml(s)}</text>`);
  columns.forEach((c, j) => label(PAD + j * (tile + PAD) + tile / 2, HEADER - 8, c, 13, 'bold'));
  rows.forEach((row, r) => {
    const top = HEADER + r * rowHeight;
    label(PAD, top + 16, row.title, 14, 'bold', 'start');
    if (row.note) label(PAD + 8 + row.title.length * 9, top + 16, row.note, 11, 'normal', 'start', '#a33');
    row.tiles.forEach((t, j) => {
      const left = PAD + j * (tile + PAD);
      if (t.pixels) {
        const bytes = Buffer.from(Uint8ClampedArray.from(t.pixels, (v) => Math.round(v * 255)).buffer);
        composites.push({input: bytes, raw: {width: tile, height: tile, channels: t.channels}, left, top: top + TITLE});
      } else {
        label(left + tile / 2, top + TITLE + tile / 2, '—', 14);
      }
      label(left + tile / 2, top + TITLE + tile + 15, t.caption, 12);
    });
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${text.join('')}</svg>`;
  composites.push({input: Buffer.from(svg), left: 0, top: 0});
  const png = await sharp({create: {width, height, channels: 3, background: '#ffffff'}}).composite(composites).png().toBuffer();
  return {png, width, height};
}

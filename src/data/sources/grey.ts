/**
 * In-memory grey-level image sets (MNIST, Fashion-MNIST): `count` images of `rows`×`cols` bytes stored back to back,
 * served as `size`×`size`×3 RGB, centred on black padding (grey replicated to the three channels, so the ResNet
 * stems and pipelines apply as they are).
 */
import type {RawImage} from '../types';

/** Images `rows`×`cols`, one byte per pixel, back to back in `data`. */
export interface GreyImages {
  data: Uint8Array;
  rows: number;
  cols: number;
}

/** Image `i` of `set` padded (centred) to `size`×`size` and replicated to 3 channels; `size >= max(rows, cols)`. */
export function paddedRgb(set: GreyImages, i: number, size: number): RawImage {
  const {rows, cols} = set;
  const top = Math.floor((size - rows) / 2);
  const left = Math.floor((size - cols) / 2);
  const data = new Uint8Array(size * size * 3);
  const base = i * rows * cols;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      const v = set.data[base + y * cols + x];
      const o = ((y + top) * size + x + left) * 3;
      data[o] = v;
      data[o + 1] = v;
      data[o + 2] = v;
    }
  }
  return {data, width: size, height: size};
}

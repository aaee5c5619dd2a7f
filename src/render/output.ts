/** The image formats `mixup visualize --out` writes, chosen by the file's extension (never PNG bytes in a .jpg). */
import * as path from 'node:path';
import sharp from 'sharp';
import {usageError, showValue} from '../errors';

/** Extensions `--out` may end in, and the format each is written as. */
export const IMAGE_OUTPUT_FORMATS = {'.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.webp': 'webp'} as const;
export type ImageOutputFormat = (typeof IMAGE_OUTPUT_FORMATS)[keyof typeof IMAGE_OUTPUT_FORMATS];

/**
 * The format of an output file from its extension.
 * @throws MixupError (usage) for any other extension, listing the accepted ones
 */
export function imageOutputFormat(out: string, flag = '--out'): ImageOutputFormat {
  const ext = path.extname(out).toLowerCase();
  const format = (IMAGE_OUTPUT_FORMATS as Record<string, ImageOutputFormat>)[ext];
  if (format === undefined) throw usageError(`${flag} must end in ${Object.keys(IMAGE_OUTPUT_FORMATS).join(', ')} (the format follows the extension), got ${showValue(out)}`);
  return format;
}

/** PNG bytes re-encoded as `format` (unchanged for png; JPEG quality 92, WebP lossless). */
export async function encodeImage(png: Buffer, format: ImageOutputFormat): Promise<Buffer> {
  if (format === 'png') return png;
  return format === 'jpeg' ? sharp(png).flatten({background: '#ffffff'}).jpeg({quality: 92}).toBuffer() : sharp(png).webp({lossless: true}).toBuffer();
}

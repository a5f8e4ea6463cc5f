// Importing a mask image (PNG, or any format sharp reads) for an object. Same rule as the CLI's
// decodeMask in engine/image (which reads from a path): the value is the alpha channel when the file
// has one that is not fully opaque, else the luminance (PIL 'L' weights); ≥ 50 % is object. EXIF
// orientation is applied. The size must be the photo's.
import sharp, { type OutputInfo } from 'sharp';
import { UserError } from '../errors.ts';

const SHARP_OPTS = { ignoreIcc: true, autoOrient: true } as const;

/** Decodes mask bytes to a width×height array of 0/1. Throws UserError on a bad file or a size mismatch. */
export async function maskFromPng(bytes: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  if (bytes.length === 0) throw new UserError('cannot import mask: the file is empty');
  let data: Buffer;
  let info: OutputInfo;
  try {
    ({ data, info } = await sharp(bytes, SHARP_OPTS)
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true }));
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new UserError(`cannot import mask: not an image sharp can read (${msg})`);
  }
  if (info.width !== width || info.height !== height) {
    const rotated = info.width === height && info.height === width;
    throw new UserError(
      `mask is ${info.width}x${info.height} but the photo is ${width}x${height}; the mask must have the photo's size` +
        (rotated ? ' (they differ by a 90° turn: check the EXIF orientation)' : ''),
    );
  }
  const n = width * height;
  const c = info.channels;
  let useAlpha = false;
  if (c === 4) for (let i = 0; i < n && !useAlpha; i++) useAlpha = data[i * 4 + 3] !== 255;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = i * c;
    const v = useAlpha
      ? data[p + 3]
      : c >= 3
        ? (data[p] * 19595 + data[p + 1] * 38470 + data[p + 2] * 7471 + 0x8000) >> 16
        : data[p];
    mask[i] = v >= 128 ? 1 : 0;
  }
  return mask;
}

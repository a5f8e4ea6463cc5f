// Photos and masks arriving as bytes. engine/image decodes files, so the bytes go to a private temp
// folder first; that keeps every check and message of the CLI (formats, EXIF, downscaling, mask size).
// The decoded RGB is written back as a PNG for the pipeline (which reads paths): already oriented and
// downscaled, it decodes to exactly the same pixels, so masks at the decoded size always fit.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { UserError } from '../errors.ts';
import { decodeImage, decodeMask, type DecodedImage } from '../image/index.ts';

export type HostImage = {
  imageId: string;
  name: string;
  decoded: DecodedImage;
  dir: string;
  /** Lossless PNG of `decoded`, written on first use. */
  png: Promise<string> | null;
};

/** Runs `fn` on a temp copy of `bytes`, naming the upload instead of the temp path in user errors. */
async function withTempFile<T>(
  file: string,
  label: string,
  bytes: Uint8Array,
  fn: (p: string) => Promise<T>,
): Promise<T> {
  await writeFile(file, bytes);
  try {
    return await fn(file);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(e.message.split(file).join(`"${label}"`));
    throw e;
  } finally {
    await rm(file, { force: true });
  }
}

export async function decodeImageBytes(
  dir: string,
  imageId: string,
  name: string,
  bytes: Uint8Array,
): Promise<HostImage> {
  if (bytes.length === 0) throw new UserError(`image "${name}" is empty`);
  // A fresh folder per upload: re-opening an id must not delete the folder its new data lives in.
  const own = path.join(
    dir,
    `${imageId}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
  );
  await mkdir(own, { recursive: true });
  try {
    const decoded = await withTempFile(path.join(own, 'upload'), name, bytes, decodeImage);
    return { imageId, name, decoded, dir: own, png: null };
  } catch (e) {
    await rm(own, { recursive: true, force: true });
    throw e;
  }
}

export function imagePng(img: HostImage): Promise<string> {
  img.png ??= (async () => {
    const file = path.join(img.dir, 'image.png');
    const { rgb, width, height } = img.decoded;
    await sharp(rgb, { raw: { width, height, channels: 3 } })
      .png({ compressionLevel: 1 })
      .toFile(file);
    return file;
  })();
  return img.png;
}

/** A mask file for the image (any format engine/image reads), as 0/1 at the decoded image's size. */
export async function decodeMaskBytes(img: HostImage, bytes: Uint8Array): Promise<Uint8Array> {
  const { original, width, height } = img.decoded;
  const file = path.join(img.dir, `mask-upload-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const m = await withTempFile(file, 'mask', bytes, (p) =>
    decodeMask(p, original.width, original.height, { resizeTo: { width, height } }),
  );
  return m.mask;
}

/** Writes a 0/1 mask as a greyscale PNG the pipeline can read; returns its path. */
export async function writeMaskPng(img: HostImage, mask: Uint8Array, tag: string): Promise<string> {
  const { width, height } = img.decoded;
  const grey = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) grey[i] = mask[i] ? 255 : 0;
  const file = path.join(img.dir, `mask-${tag}.png`);
  await sharp(grey, { raw: { width, height, channels: 1 } })
    .png({ compressionLevel: 1 })
    .toFile(file);
  return file;
}

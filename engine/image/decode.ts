// Decoding the user's photo and mask with sharp. Every failure the user can fix is a one-line UserError.
// Pixel values follow the reference's PIL loading: no ICC colour management (ignoreIcc), 16-bit
// samples reduced to their high byte, alpha dropped. EXIF orientation is applied (the reference does
// not, but a sideways photo is never what the user meant), to the image and the mask alike.
import { readFile } from 'node:fs/promises';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { exifFocal35mm } from './exif.ts';
import { UserError } from '../errors.ts';
import { checkMaskBBox, maskBBox } from './crop.ts';
import { nearestIndex } from './resize.ts';

/** Longest side we decode at; larger photos are downscaled (the crop is resized to image.size anyway). */
export const MAX_IMAGE_SIDE = 8192;
const SUPPORTED = 'PNG, JPEG, WebP, TIFF, GIF, AVIF';
const FORMATS = new Set(['png', 'jpeg', 'webp', 'tiff', 'gif', 'heif']);
const SHARP_OPTS = { ignoreIcc: true, autoOrient: true } as const;

export interface DecodedImage {
  width: number;
  height: number;
  /** H×W×3 sRGB bytes. */
  rgb: Uint8Array;
  /** Size after EXIF orientation and before any downscale; masks must match this. */
  original: { width: number; height: number };
  /** EXIF FocalLengthIn35mmFilm of the file, when it has one (the photo's camera). */
  focal35mm?: number;
  notes: string[];
}

export interface DecodedMask {
  width: number;
  height: number;
  /** H×W, 1 = object. */
  mask: Uint8Array;
  notes: string[];
}

type Kind = 'image' | 'mask';

async function load(path: string, kind: Kind): Promise<{ buf: Buffer; meta: Metadata }> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UserError(`${kind} not found: ${path}`);
    if (code === 'EISDIR') throw new UserError(`${kind} path is a directory, not a file: ${path}`);
    if (code === 'EACCES' || code === 'EPERM')
      throw new UserError(`cannot read ${kind} ${path}: permission denied`);
    throw new UserError(`cannot read ${kind} ${path}: ${firstLine((e as Error).message)}`);
  }
  if (buf.length === 0)
    throw new UserError(`cannot decode ${kind} ${path}: the file is empty (supported: ${SUPPORTED})`);
  let meta: Metadata;
  try {
    meta = await sharp(buf, SHARP_OPTS).metadata();
  } catch (e) {
    throw decodeError(kind, path, e);
  }
  const hevc = meta.format === 'heif' && meta.compression !== 'av1';
  if (!FORMATS.has(meta.format ?? '') || hevc) {
    const detected = hevc ? 'HEIC' : (meta.format ?? 'unknown').toUpperCase();
    throw new UserError(`unsupported ${kind} format ${detected}: ${path}; convert it to one of ${SUPPORTED}`);
  }
  return { buf, meta };
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

function decodeError(kind: Kind, path: string, e: unknown): UserError {
  const msg = firstLine(e instanceof Error ? e.message : String(e));
  if (/unsupported image format/i.test(msg))
    return new UserError(
      `unsupported ${kind} format: ${path} is not an image sharp can read (supported: ${SUPPORTED})`,
    );
  if (/pixel limit/i.test(msg))
    return new UserError(`${kind} ${path} is too large to decode (over 268 megapixels); downscale it first`);
  const detail = msg.replace(/^Input (buffer|file) (has corrupt header|contains)?:?\s*/i, '').trim();
  return new UserError(
    `cannot decode ${kind} ${path}: the file is corrupt or truncated${detail ? ` (${detail})` : ''} (supported: ${SUPPORTED})`,
  );
}

function orientedSize(meta: Metadata): { width: number; height: number } {
  if (meta.autoOrient) return { width: meta.autoOrient.width, height: meta.autoOrient.height };
  const swap = (meta.orientation ?? 1) >= 5;
  return swap ? { width: meta.height!, height: meta.width! } : { width: meta.width!, height: meta.height! };
}

/** Target size when the long side exceeds MAX_IMAGE_SIDE (aspect kept, at least 1 px). */
export function downscaledSize(
  width: number,
  height: number,
  maxSide = MAX_IMAGE_SIDE,
): { width: number; height: number } {
  const long = Math.max(width, height);
  if (long <= maxSide) return { width, height };
  const s = maxSide / long;
  return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)) };
}

export async function decodeImage(path: string): Promise<DecodedImage> {
  const { buf, meta } = await load(path, 'image');
  const original = orientedSize(meta);
  const target = downscaledSize(original.width, original.height);
  const notes: string[] = [];
  if ((meta.pages ?? 1) > 1) notes.push(`image ${path} has ${meta.pages} frames; using the first`);
  let pipe = sharp(buf, SHARP_OPTS);
  if (target.width !== original.width || target.height !== original.height) {
    pipe = pipe.resize(target.width, target.height, { fit: 'fill' });
    notes.push(
      `image ${path} is ${original.width}x${original.height}; downscaled to ${target.width}x${target.height} ` +
        `(longest side limit ${MAX_IMAGE_SIDE})`,
    );
  }
  let out: { data: Buffer; info: OutputInfo };
  try {
    out = await pipe.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw decodeError('image', path, e);
  }
  const { data, info } = out;
  if (info.width !== target.width || info.height !== target.height || info.channels !== 3)
    throw new Error(`decodeImage ${path}: sharp returned ${info.width}x${info.height}x${info.channels}`);
  return {
    width: info.width,
    height: info.height,
    rgb: new Uint8Array(data.buffer, data.byteOffset, data.length),
    original,
    focal35mm: exifFocal35mm(buf),
    notes,
  };
}

/**
 * Decodes a mask as {0,1}. The mask value is the alpha channel when the file has one that is not fully
 * opaque, else the luminance (PIL's 'L' weights); a pixel is object when value/max ≥ 0.5 (≥ 128 of
 * 255; 16-bit files threshold their high byte, which is the same test). width/height are the image's
 * size after EXIF orientation and before any downscale; `resizeTo` (the decoded image's size when it
 * was downscaled) nearest-resizes the mask to match.
 */
export async function decodeMask(
  path: string,
  width: number,
  height: number,
  opts: { resizeTo?: { width: number; height: number } } = {},
): Promise<DecodedMask> {
  const { buf, meta } = await load(path, 'mask');
  const size = orientedSize(meta);
  if (size.width !== width || size.height !== height) {
    const rotated = size.width === height && size.height === width;
    throw new UserError(
      `mask ${path} is ${size.width}x${size.height} but the image is ${width}x${height}; the mask must have the image's size` +
        (rotated ? ' (they differ by a 90° turn: check the EXIF orientation of both files)' : ''),
    );
  }
  let out: { data: Buffer; info: OutputInfo };
  try {
    out = await sharp(buf, SHARP_OPTS).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw decodeError('mask', path, e);
  }
  const { data, info } = out;
  const n = info.width * info.height;
  const c = info.channels;
  if (info.width !== width || info.height !== height || c < 3)
    throw new Error(`decodeMask ${path}: sharp returned ${info.width}x${info.height}x${c}`);
  let useAlpha = false;
  if (c === 4) for (let i = 0; i < n && !useAlpha; i++) useAlpha = data[i * 4 + 3] !== 255;
  let mask: Uint8Array = new Uint8Array(n);
  let grey = 0;
  for (let i = 0; i < n; i++) {
    const p = i * c;
    const v = useAlpha
      ? data[p + 3]
      : (data[p] * 19595 + data[p + 1] * 38470 + data[p + 2] * 7471 + 0x8000) >> 16;
    if (v !== 0 && v !== 255) grey++;
    mask[i] = v >= 128 ? 1 : 0;
  }
  const notes: string[] = [];
  const what = useAlpha ? 'opaque' : 'white';
  if (grey > 0)
    notes.push(
      `mask ${path} is not binary (${grey} of ${n} pixels are neither 0 nor 255); thresholded at 50%`,
    );
  if (!maskBBox(mask, width, height))
    throw new UserError(
      `mask ${path} is empty: no pixel is at least 50% ${what}; mark the object ${what} on a black or transparent background`,
    );
  let outW = width;
  let outH = height;
  const rt = opts.resizeTo;
  if (rt && (rt.width !== width || rt.height !== height)) {
    mask = resizeMaskNearest(mask, width, height, rt.width, rt.height);
    outW = rt.width;
    outH = rt.height;
    notes.push(`mask ${path} downscaled to ${outW}x${outH} with the image`);
    if (!maskBBox(mask, outW, outH))
      throw new UserError(
        `mask ${path} is empty after downscaling to ${outW}x${outH}; the object is too small in this photo`,
      );
  }
  checkMaskBBox(maskBBox(mask, outW, outH), `mask ${path}`);
  return { width: outW, height: outH, mask, notes };
}

function resizeMaskNearest(m: Uint8Array, w: number, h: number, ow: number, oh: number): Uint8Array {
  const out = new Uint8Array(ow * oh);
  for (let y = 0; y < oh; y++) {
    const sy = nearestIndex(y, h, oh);
    for (let x = 0; x < ow; x++) out[y * ow + x] = m[sy * w + nearestIndex(x, w, ow)];
  }
  return out;
}

export interface ImagePair {
  image: DecodedImage;
  mask: DecodedMask;
  /** Image notes then mask notes (downscaling, thresholding, frames). */
  notes: string[];
}

/** Decodes a photo and its mask together, keeping them aligned when the photo is downscaled. */
export async function decodeImageAndMask(imagePath: string, maskPath: string): Promise<ImagePair> {
  const image = await decodeImage(imagePath);
  const mask = await decodeMask(maskPath, image.original.width, image.original.height, {
    resizeTo: { width: image.width, height: image.height },
  });
  return { image, mask, notes: [...image.notes, ...mask.notes] };
}

/** Alias used by the pipeline. */
export const loadImagePair = decodeImageAndMask;

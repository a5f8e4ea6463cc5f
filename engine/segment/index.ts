// Interactive segmentation: clicks → object mask. SAM when a pack folder holds a SAM encoder/decoder
// ONNX pair, else a classical GrabCut seeded by the clicks. Pure TypeScript + WASM/native addons.
import { UserError } from '../errors.ts';
import { segmentGrabCut, type GrabCutParams } from './grabcut.ts';
import { findSamPair, segmentSam } from './sam.ts';
import type { ClickPoint, RgbImage, SegmentOptions, SegmentResult } from './types.ts';

export type { ClickPoint, RgbImage, SegmentOptions, SegmentResult } from './types.ts';
export { GRABCUT_DEFAULTS, type GrabCutParams } from './grabcut.ts';
export { loadOpenCv, opencvLoadMs } from './opencv.ts';
export { findSamPair, samStats, type SamPair } from './sam.ts';
export { maskFromPng } from './mask-png.ts';
export { maskIoU } from './mask-ops.ts';

/**
 * Segments one object from its clicks. Returns a width×height mask of 0/1 and the method used.
 * Deterministic: the same image, points and options give the same mask.
 */
export async function segmentByClicks(
  image: RgbImage,
  points: ClickPoint[],
  opts: SegmentOptions & { grabcut?: Partial<GrabCutParams> } = {},
): Promise<SegmentResult> {
  checkInputs(image, points, opts.previous);
  const n = image.width * image.height;
  const hasPositive = points.some((p) => p.positive);
  if (!hasPositive && !opts.previous?.some((v) => v !== 0))
    return { mask: new Uint8Array(n), method: 'none' };
  if (hasPositive && opts.packDirs?.length) {
    const pair = await findSamPair(opts.packDirs);
    if (pair) return { mask: await segmentSam(pair, image, points), method: 'sam' };
  }
  return { mask: await segmentGrabCut(image, points, opts.previous, opts.grabcut), method: 'grabcut' };
}

function checkInputs(image: RgbImage, points: ClickPoint[], previous: Uint8Array | undefined) {
  const { width, height, rgb } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new UserError(`image size ${width}x${height} is not a positive integer size`);
  if (rgb.length !== width * height * 3)
    throw new UserError(
      `image pixels: expected ${width}x${height}x3 = ${width * height * 3} bytes, got ${rgb.length}`,
    );
  for (const p of points)
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y) || p.x < 0 || p.y < 0 || p.x >= width || p.y >= height)
      throw new UserError(`click (${p.x}, ${p.y}) is outside the ${width}x${height} image`);
  if (previous && previous.length !== width * height)
    throw new UserError(
      `previous mask has ${previous.length} pixels but the image is ${width}x${height} (${width * height})`,
    );
}

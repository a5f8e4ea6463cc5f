// The object crop of SAM 3D's `crop_around_mask_with_padding` / `compute_mask_bbox` and the
// full-image `pad_to_square_centered`, with Python's integer semantics (architecture doc 1.4 b/c).
import { UserError } from '../errors.ts';
import type { ImageCHW } from './resize.ts';

/** Inclusive pixel bounds of the non-zero mask pixels, or null for an empty mask. */
export interface MaskBBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Crop rectangle in image pixels: columns [x0, x1), rows [y0, y1); may extend past the image. */
export interface CropBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function maskBBox(mask: ArrayLike<number>, width: number, height: number): MaskBBox | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (mask[row + x] !== 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1, y1 };
}

/** Throws the user-facing errors for masks SAM 3D cannot crop around (empty, or under 3 px across). */
export function checkMaskBBox(bbox: MaskBBox | null, what = 'mask'): MaskBBox {
  if (!bbox)
    throw new UserError(`${what} is empty (no pixel is at least 50% white); paint the object white on black`);
  const w = bbox.x1 - bbox.x0;
  const h = bbox.y1 - bbox.y0;
  // The reference rejects x1-x0 < 2 or y1-y0 < 2 (inclusive bounds, no +1).
  if (w < 2 || h < 2)
    throw new UserError(
      `${what} is too small: the object spans ${w + 1}x${h + 1} px; it must span at least 3x3 px`,
    );
  return bbox;
}

/**
 * The crop box of compute_mask_bbox: centre of the inclusive bbox, side int(factor·max(w,h,2)) with
 * w = x1-x0 (no +1), half = side//2, corners int(c∓half) truncated toward zero.
 */
/** Python int() of a float: truncation toward zero (+0 turns -0 into 0). */
const pyInt = (x: number): number => Math.trunc(x) + 0;

export function cropBox(mask: ArrayLike<number>, width: number, height: number, factor: number): CropBox {
  const b = checkMaskBBox(maskBBox(mask, width, height));
  const cx = (b.x0 + b.x1) / 2;
  const cy = (b.y0 + b.y1) / 2;
  const size = pyInt(Math.max(b.x1 - b.x0, b.y1 - b.y0, 2) * factor);
  const half = Math.floor(size / 2);
  return { x0: pyInt(cx - half), y0: pyInt(cy - half), x1: pyInt(cx + half), y1: pyInt(cy + half) };
}

/** torchvision crop: out-of-image pixels are `fill` (0 in the reference, for pointmaps too). */
export function cropCHW(img: ImageCHW, box: CropBox, fill = 0): ImageCHW {
  const { data, c, h, w } = img;
  const ow = box.x1 - box.x0;
  const oh = box.y1 - box.y0;
  const out = new Float32Array(c * oh * ow).fill(fill);
  for (let ch = 0; ch < c; ch++)
    for (let y = Math.max(0, -box.y0); y < oh; y++) {
      const sy = box.y0 + y;
      if (sy >= h) break;
      for (let x = Math.max(0, -box.x0); x < ow; x++) {
        const sx = box.x0 + x;
        if (sx >= w) break;
        out[(ch * oh + y) * ow + x] = data[(ch * h + sy) * w + sx];
      }
    }
  return { data: out, c, h: oh, w: ow };
}

/** Padding that makes a w×h image square: diff//2 on the left/top, the rest right/bottom. */
export function squarePadding(w: number, h: number): { side: number; left: number; top: number } {
  const side = Math.max(w, h);
  return { side, left: (side - w) >> 1, top: (side - h) >> 1 };
}

/** pad_to_square_centered (and the crop's own square padding, which uses the same split). */
export function padToSquareCentered(img: ImageCHW, fill = 0): ImageCHW {
  const { h, w } = img;
  const { side, left, top } = squarePadding(w, h);
  return padCHW(img, left, top, side - w - left, side - h - top, fill);
}

/** Constant padding (torch.nn.functional.pad, mode='constant'). */
export function padCHW(
  img: ImageCHW,
  left: number,
  top: number,
  right: number,
  bottom: number,
  fill = 0,
): ImageCHW {
  const { data, c, h, w } = img;
  const ow = w + left + right;
  const oh = h + top + bottom;
  const out = new Float32Array(c * oh * ow).fill(fill);
  for (let ch = 0; ch < c; ch++)
    for (let y = 0; y < h; y++)
      out.set(data.subarray((ch * h + y) * w, (ch * h + y + 1) * w), (ch * oh + y + top) * ow + left);
  return { data: out, c, h: oh, w: ow };
}

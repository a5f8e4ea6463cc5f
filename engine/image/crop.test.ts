import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.ts';
import { cropBox, cropCHW, maskBBox, padToSquareCentered } from './crop.ts';

/** A w×h mask with the inclusive rectangle [x0,x1]×[y0,y1] set. */
function rectMask(w: number, h: number, x0: number, y0: number, x1: number, y1: number): Uint8Array {
  const m = new Uint8Array(w * h);
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) m[y * w + x] = 1;
  return m;
}

describe('cropBox (compute_mask_bbox semantics)', () => {
  // Expected boxes computed with the Python expressions of compute_mask_bbox.
  it.each([
    // [w, h, bbox x0,y0,x1,y1, factor, expected box]
    [37, 45, [0, 0, 13, 20], 1.2, [-5, -2, 18, 22]], // int(-5.5) = -5: truncation toward zero, 23 wide
    [20, 20, [5, 5, 7, 7], 1.2, [5, 5, 7, 7]], // smallest allowed bbox: size int(2.4) = 2
    [20, 20, [3, 10, 8, 13], 1.2, [2, 8, 8, 14]], // half-pixel centre in both axes
    [10, 10, [0, 0, 2, 2], 3, [-2, -2, 4, 4]],
    [50, 30, [40, 10, 49, 20], 1.2, [38, 9, 50, 21]], // right border: box ends at W
    [10, 10, [1, 1, 4, 5], 1.2, [0, 1, 4, 5]],
    [10, 10, [0, 3, 3, 7], 1.1, [0, 3, 3, 7]], // int(-0.5) = 0 (floor would give -1): 3x4 crop
  ])('%ix%i mask bbox %j ×%d → %j', (w, h, b, factor, expected) => {
    const m = rectMask(w, h, b[0], b[1], b[2], b[3]);
    const box = cropBox(m, w, h, factor);
    expect([box.x0, box.y0, box.x1, box.y1]).toEqual(expected);
  });

  it('uses only the extreme pixels (holes and stray pixels count)', () => {
    const m = new Uint8Array(30 * 20);
    m[2 * 30 + 7] = 1;
    m[15 * 30 + 21] = 255; // any non-zero value is object
    expect(maskBBox(m, 30, 20)).toEqual({ x0: 7, y0: 2, x1: 21, y1: 15 });
    // cx = 14, cy = 8.5, size = int(14·1.2) = 16, half = 8
    expect(cropBox(m, 30, 20, 1.2)).toEqual({ x0: 6, y0: 0, x1: 22, y1: 16 });
  });

  it('rejects empty and thin masks with UserErrors', () => {
    expect(() => cropBox(new Uint8Array(100), 10, 10, 1.2)).toThrow(UserError);
    expect(() => cropBox(new Uint8Array(100), 10, 10, 1.2)).toThrow(/mask is empty/);
    // x1 - x0 = 1 < 2 (two columns): the reference's BoundingBoxError.
    expect(() => cropBox(rectMask(10, 10, 3, 2, 4, 8), 10, 10, 1.2)).toThrow(
      /spans 2x7 px; it must span at least 3x3/,
    );
    expect(() => cropBox(rectMask(10, 10, 3, 2, 8, 3), 10, 10, 1.2)).toThrow(/spans 6x2 px/);
  });
});

describe('cropCHW and padToSquareCentered', () => {
  const img = { c: 2, h: 3, w: 4, data: Float32Array.from({ length: 24 }, (_, i) => i + 1) };

  it('fills out-of-image pixels with 0 on every side', () => {
    const out = cropCHW(img, { x0: -1, y0: -2, x1: 5, y1: 4 }, 0);
    expect([out.c, out.h, out.w]).toEqual([2, 6, 6]);
    const ch1 = Array.from(out.data.subarray(36, 72));
    // prettier-ignore
    expect(ch1).toEqual([
      0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0,
      0, 13, 14, 15, 16, 0,
      0, 17, 18, 19, 20, 0,
      0, 21, 22, 23, 24, 0,
      0, 0, 0, 0, 0, 0,
    ]);
  });

  it('crops inside the image without padding', () => {
    const out = cropCHW(img, { x0: 1, y0: 1, x1: 3, y1: 3 });
    expect(Array.from(out.data)).toEqual([6, 7, 10, 11, 18, 19, 22, 23]);
  });

  it('pads diff//2 on the left/top and the rest on the right/bottom', () => {
    const wide = padToSquareCentered({ c: 1, h: 2, w: 5, data: new Float32Array(10).fill(1) });
    expect([wide.h, wide.w]).toEqual([5, 5]);
    // diff 3: one row on top, two at the bottom
    expect(
      Array.from(wide.data)
        .map((v, i) => (v ? Math.floor(i / 5) : -1))
        .filter((r) => r >= 0),
    ).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    const tall = padToSquareCentered({ c: 1, h: 4, w: 3, data: new Float32Array(12).fill(1) }, NaN);
    // diff 1: nothing on the left, one NaN column on the right
    for (let y = 0; y < 4; y++) {
      expect(tall.data[y * 4]).toBe(1);
      expect(tall.data[y * 4 + 3]).toBeNaN();
    }
  });
});

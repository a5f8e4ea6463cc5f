import { describe, expect, it } from 'vitest';
import { resizeAreaU8 } from './resize-area.ts';

describe('resizeAreaU8 (cv2.INTER_AREA)', () => {
  it('averages whole blocks on an integer shrink, rounding half to even', () => {
    // 4×2 → 2×1: blocks [10, 11, 20, 21] = 15.5 → 16, [1, 2, 3, 4]… = 2.5 → 2.
    const src = Uint8Array.from([10, 11, 1, 2, 20, 21, 3, 4]);
    expect(Array.from(resizeAreaU8(src, 4, 2, 2, 1))).toEqual([16, 2]);
  });

  it('weights partial pixels by their overlap on a fractional shrink', () => {
    // 3 → 2: out0 = (a + b/2)/1.5, out1 = (b/2 + c)/1.5.
    const src = Uint8Array.from([30, 60, 90]);
    expect(Array.from(resizeAreaU8(src, 3, 1, 2, 1))).toEqual([40, 80]);
  });

  it('keeps constants constant when shrinking, enlarging or both', () => {
    const c = new Uint8Array(37 * 23).fill(201);
    for (const [ow, oh] of [
      [16, 16],
      [64, 64],
      [16, 64],
      [37, 23],
    ]) {
      expect(resizeAreaU8(c, 37, 23, ow, oh).every((v) => v === 201)).toBe(true);
    }
  });

  it('enlarges with the area-mode linear weights (nearest-like with a blend at cell edges)', () => {
    // 2 → 4 (scale ½): dx0 → s0; dx1 → s0 (f = 2 − 2 = 0); dx2 → s1; dx3 → s1 (border).
    expect(Array.from(resizeAreaU8(Uint8Array.from([0, 200]), 2, 1, 4, 1))).toEqual([0, 0, 200, 200]);
    // 2 → 3: dx1 → s0 with f = 2 − 1.5 = 0.5 → 100.
    expect(Array.from(resizeAreaU8(Uint8Array.from([0, 200]), 2, 1, 3, 1))).toEqual([0, 100, 200]);
  });
});

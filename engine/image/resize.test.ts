import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff, readSafetensors } from '../../tests/support/safetensors.ts';
import {
  aaAxisWeights,
  nearestIndex,
  resizeBilinearAntialias,
  resizeNearest,
  type ImageCHW,
} from './resize.ts';

const FIXTURE = fileURLToPath(new URL('../../resources/fixtures/image/resize.safetensors', import.meta.url));
// Written by scripts/gen-image-fixtures.py with torch 1.13 (CPU). Our float32 emulation follows the
// kernel's order of operations, so the difference is a few ulps at most; 1e-6 leaves room for FMA
// contraction in torch's vectorised build.
const TOL = 1e-6;

function u8ToImage(t: { shape: number[]; data: ArrayLike<number> }): ImageCHW {
  const [c, h, w] = t.shape;
  return { c, h, w, data: Float32Array.from(t.data, (v) => Math.fround(v / 255)) };
}

describe('resize parity with torch.nn.functional.interpolate', () => {
  const fx = readSafetensors(FIXTURE);
  const cases = Object.keys(fx)
    .filter((k) => k.endsWith('.input'))
    .map((k) => k.slice(0, -'.input'.length));

  it('has the expected cases', () => {
    expect(cases.sort()).toEqual(['down_130x130', 'down_97x83', 'mixed_40x100', 'up_20x30']);
  });

  it.each(cases)('%s: bilinear antialias', (name) => {
    const input = u8ToImage(fx[`${name}.input`]);
    const ref = fx[`${name}.bilinear_aa`];
    const out = resizeBilinearAntialias(input, ref.shape[1], ref.shape[2]);
    expect([out.c, out.h, out.w]).toEqual(ref.shape);
    expect(maxAbsDiff(out.data, ref.data)).toBeLessThanOrEqual(TOL);
  });

  it.each(cases)('%s: nearest (legacy floor indexing)', (name) => {
    const t = fx[`${name}.input`];
    const [, h, w] = t.shape;
    const ch0: ImageCHW = { c: 1, h, w, data: Float32Array.from(t.data.subarray(0, h * w)) };
    const ref = fx[`${name}.nearest`];
    const out = resizeNearest(ch0, ref.shape[1], ref.shape[2]);
    expect(Array.from(out.data)).toEqual(Array.from(ref.data));
  });
});

describe('resize properties', () => {
  it('upscaling is plain bilinear (align_corners=False, clamped edges)', () => {
    const inW = 7;
    const outW = 19;
    const row = Float32Array.from({ length: inW }, (_, i) => Math.sin(i) + 2);
    const out = resizeBilinearAntialias({ c: 1, h: 1, w: inW, data: row }, 1, outW);
    for (let o = 0; o < outW; o++) {
      const s = Math.min(Math.max((o + 0.5) * (inW / outW) - 0.5, 0), inW - 1);
      const i0 = Math.floor(s);
      const i1 = Math.min(i0 + 1, inW - 1);
      const t = s - i0;
      expect(out.data[o]).toBeCloseTo(row[i0] * (1 - t) + row[i1] * t, 5);
    }
  });

  it('weights are normalised and the same size is the identity', () => {
    for (const [i, o] of [
      [97, 56],
      [518, 518],
      [20, 56],
      [1000, 518],
      [3, 1],
    ]) {
      const aw = aaAxisWeights(i, o);
      for (let k = 0; k < o; k++) {
        let s = 0;
        for (let j = 0; j < aw.count[k]; j++) s += aw.weights[k * aw.taps + j];
        expect(s).toBeCloseTo(1, 6);
      }
    }
    const img: ImageCHW = { c: 2, h: 5, w: 4, data: Float32Array.from({ length: 40 }, (_, i) => i / 40) };
    expect(Array.from(resizeBilinearAntialias(img, 5, 4).data)).toEqual(Array.from(img.data));
  });

  it('nearest index is floor(dst·float32(in/out)) with the exact 1× and 2× cases', () => {
    expect([0, 1, 2, 3, 4, 5].map((d) => nearestIndex(d, 3, 6))).toEqual([0, 0, 1, 1, 2, 2]);
    expect([0, 1, 2, 3].map((d) => nearestIndex(d, 4, 4))).toEqual([0, 1, 2, 3]);
    expect([0, 1, 2].map((d) => nearestIndex(d, 10, 3))).toEqual([0, 3, 6]);
    // 1000/518 rounded to float32: 517·scale lands just below 998 in float32 arithmetic.
    const scale = Math.fround(1000 / 518);
    expect(nearestIndex(517, 1000, 518)).toBe(Math.floor(Math.fround(517 * scale)));
  });
});

// The depth stage's host maths (architecture doc 1.3 and 1.4 a): the Levenberg–Marquardt shift solve
// against scipy, focal/shift recovery on synthetic pinhole pointmaps, the lower-median normalisation,
// the token grid and bicubic resize, and the tiny depth graph against PyTorch.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  bicubicAAWeights,
  fitSamples,
  focalForShift,
  intrinsicsFromFocal,
  levenbergMarquardt1D,
  lowerMedian,
  normalisePointmap,
  postprocessDepth,
  recoverFocalShift,
  resizeBicubicAntialiasRGB,
  tokenGrid,
  viewPlaneUV,
  type FitSamples,
} from '../engine/depth/index.ts';
import type { DepthConfig } from '../engine/pack/manifest.ts';

const FIX = path.resolve(__dirname, '../resources/fixtures/depth-tiny');

/** The deterministic problem the scipy reference values below were computed on (float64). */
function problem(noise: number): FitSamples {
  const n = 50;
  const uv = new Float64Array(2 * n);
  const xy = new Float64Array(2 * n);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    uv[2 * i] = Math.cos(i * 0.37) * 0.5;
    uv[2 * i + 1] = Math.sin(i * 0.61) * 0.4;
    const zi = 1.5 + 0.5 * Math.sin(i * 1.3);
    const k = (zi / 1.1) * (1 + noise * Math.sin(i * 2.1));
    xy[2 * i] = uv[2 * i] * k;
    xy[2 * i + 1] = uv[2 * i + 1] * k;
    z[i] = zi - 0.8;
  }
  return { uv, xy, z };
}

describe('Levenberg–Marquardt shift solve', () => {
  // scipy 1.10 least_squares(fn, x0=0, ftol=1e-3, method='lm') on problem(noise): x, nfev, status, focal.
  const scipy = [
    { noise: 0, x: 0.7999999999999999, nfev: 15, status: 3, focal: 1.0999999999999999 },
    { noise: 0.05, x: 0.7887126598980484, nfev: 11, status: 2, focal: 1.0883486969647544 },
    { noise: 0.3, x: 0.7125389471989122, nfev: 11, status: 2, focal: 0.980716929219176 },
  ];
  for (const ref of scipy) {
    it(`matches scipy's MINPACK lmdif (noise ${ref.noise})`, () => {
      const s = problem(ref.noise);
      const r = levenbergMarquardt1D(
        (x, out) => {
          const f = focalForShift(s, x);
          let sq = 0;
          for (let i = 0; i < s.z.length; i++)
            for (let c = 0; c < 2; c++) {
              const v = (f * s.xy[2 * i + c]) / (s.z[i] + x) - s.uv[2 * i + c];
              out[2 * i + c] = v;
              sq += v * v;
            }
          return Math.sqrt(sq);
        },
        100,
        0,
        { ftol: 1e-3 },
      );
      // Same iterates; the forward-difference Jacobian (step 1.5e-8) amplifies summation-order rounding
      // (numpy's pairwise sums vs ours) to ~1e-8, which can also flip which tolerance test ends the run (ftol, xtol or both).
      expect(Math.abs(r.x - ref.x)).toBeLessThan(1e-7);
      expect(Math.abs(r.nfev - ref.nfev)).toBeLessThanOrEqual(2);
      expect([1, 2, 3]).toContain(r.info);
      expect(Math.abs(focalForShift(s, r.x) - ref.focal)).toBeLessThan(1e-7);
    });
  }

  it('recovers a known shift and focal from a synthetic pinhole pointmap', () => {
    const [H, W, f, shift] = [90, 120, 1.7, 1.5];
    const { u, v } = viewPlaneUV(W, H);
    const pts = new Float32Array(H * W * 3);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const z = 3 + 0.8 * Math.sin(x / 17) * Math.cos(y / 11); // z − shift stays > 0
        const i = (y * W + x) * 3;
        pts[i] = (u[x] * z) / f;
        pts[i + 1] = (v[y] * z) / f;
        pts[i + 2] = z - shift;
      }
    const valid = (i: number) => i % W > 10; // some pixels invalid
    const s = fitSamples(pts, W, H, valid, 64, 64);
    expect(s.z.length).toBeLessThan(64 * 64);
    const r = recoverFocalShift(s, { ftol: 1e-3 });
    expect(r.shift).toBeCloseTo(shift, 4);
    expect(r.focal).toBeCloseTo(f, 4);
    const K = intrinsicsFromFocal(r.focal, W, H);
    const a = W / H;
    expect(K[0]).toBeCloseTo(((f / 2) * Math.sqrt(1 + a * a)) / a, 4);
    expect(K[4]).toBeCloseTo((f / 2) * Math.sqrt(1 + a * a), 4);
    expect([K[2], K[5], K[8]]).toEqual([0.5, 0.5, 1]);
  });

  it('falls back to focal 1, shift 0 with fewer than 2 samples', () => {
    const r = recoverFocalShift(
      { uv: new Float64Array(2), xy: new Float64Array(2), z: new Float64Array(1) },
      { ftol: 1e-3 },
    );
    expect([r.focal, r.shift]).toEqual([1, 0]);
  });
});

describe('host post-processing', () => {
  const cfg: DepthConfig = {
    numTokens: 2500,
    patch: 14,
    maskThreshold: 0.5,
    fitSize: [64, 64],
    ftol: 1e-3,
    xtol: 1e-8,
    gtol: 1e-8,
    frame: 'pytorch3d',
  };
  it('adds the shift to z, makes invalid pixels infinite and flips x, y', () => {
    const [H, W] = [4, 5];
    const { u, v } = viewPlaneUV(W, H);
    const pts = new Float32Array(H * W * 3);
    const mask = new Float32Array(H * W).fill(1);
    mask[7] = 0.5; // not > threshold
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const z = 2 + 0.1 * x;
        const i = (y * W + x) * 3;
        pts.set([u[x] * z, v[y] * z, z - 1], i);
      }
    const r = postprocessDepth(pts, mask, W, H, cfg);
    expect(r.shift).toBeCloseTo(1, 4);
    expect(r.focal).toBeCloseTo(1, 4);
    expect(r.validPixels).toBe(H * W - 1);
    expect(Array.from(r.points.subarray(21, 24))).toEqual([-Infinity, -Infinity, Infinity]);
    expect(r.points[0]).toBe(-pts[0]);
    expect(r.points[1]).toBe(-pts[1]);
    expect(r.points[2]).toBeCloseTo(pts[2] + 1, 4);
    const cv = postprocessDepth(pts, mask, W, H, { ...cfg, frame: 'opencv' });
    expect(cv.points[0]).toBe(pts[0]);
    expect(Array.from(cv.points.subarray(21, 24))).toEqual([Infinity, Infinity, Infinity]);
  });
});

describe('lower-median pointmap normalisation', () => {
  it('lowerMedian is torch.nanmedian: lower of the two middles, NaN ignored, ±inf counted', () => {
    expect(lowerMedian([3, 1, 2, 4])).toBe(2);
    expect(lowerMedian([5, NaN, 1])).toBe(1);
    expect(lowerMedian([Infinity, -Infinity, 0])).toBe(0);
    expect(lowerMedian([Infinity, Infinity, 1])).toBe(Infinity);
    expect(lowerMedian([-Infinity, -Infinity, 1, NaN])).toBe(-Infinity);
    expect(lowerMedian([NaN, NaN])).toBeNaN();
    expect(lowerMedian([7])).toBe(7);
    const big = Array.from({ length: 1001 }, (_, i) => (i * 7919) % 1001);
    expect(lowerMedian(big)).toBe(500);
  });

  it('matches a hand-computed case with NaN and inf pixels', () => {
    // 6 pixels; object = pixels 0..3.
    const P = Float32Array.from([
      1,
      2,
      3, // 0
      3,
      0,
      5, // 1
      NaN,
      4,
      1, // 2  (NaN in x: ignored for x's median, the pixel's deviation is NaN)
      -Infinity,
      6,
      9, // 3  (counts as a value)
      10,
      10,
      10, // 4  (background)
      Infinity,
      Infinity,
      Infinity, // 5  (background, invalid)
    ]);
    const mask = Uint8Array.from([1, 1, 1, 1, 0, 0]);
    const r = normalisePointmap(P, mask);
    // x over object: [1, 3, −inf] (NaN dropped) → sorted [−inf, 1, 3] → index 1 → 1
    // y: [2, 0, 4, 6] → [0, 2, 4, 6] → index 1 → 2;  z: [3, 5, 1, 9] → [1, 3, 5, 9] → 3
    expect(r.shift).toEqual([1, 2, 3]);
    // max_c |P − shift| per pixel: 0:0, 1:max(2,2,2)=2, 2:NaN, 3:inf, 4:9, 5:inf
    // all pixels, NaN dropped: [0, 2, 9, inf, inf] → index 2 → 9
    expect(r.scale).toBe(9);
    expect(r.warnings).toEqual([]);
    expect(Array.from(r.points.subarray(3, 6))).toEqual([2 / 9, -2 / 9, 2 / 9].map(Math.fround));
    expect(r.points[6]).toBeNaN();
    expect(r.points[9]).toBe(-Infinity);
    expect(r.points[15]).toBe(Infinity);
  });

  it('falls back to scale 1, shift 0 when no object pixel is finite', () => {
    const P = Float32Array.from([Infinity, Infinity, Infinity, 1, 2, 3]);
    const r = normalisePointmap(P, Uint8Array.from([1, 0]));
    expect([r.scale, ...r.shift]).toEqual([1, 0, 0, 0]);
    expect(r.warnings.length).toBe(1);
  });

  it('warns and uses the finite pixels when the all-pixel median is infinite', () => {
    const inf = Infinity;
    const P = Float32Array.from([0, 0, 1, 0, 0, 3, 0, 0, 5, ...new Array(12).fill(inf)]);
    const r = normalisePointmap(P, Uint8Array.from([1, 1, 1, 0, 0, 0, 0]));
    expect(r.shift).toEqual([0, 0, 3]);
    // deviations [2, 0, 2, inf ×4] → lower median inf; finite ones [0, 2, 2] → 2
    expect(r.scale).toBe(2);
    expect(r.warnings.length).toBe(1);
  });
});

describe('token grid and resize', () => {
  it('tokenGrid follows MoGe: f = sqrt(n·14²/(H·W)), int(H·f), int(W·f)', () => {
    expect(tokenGrid(518, 518, 2500, 14)).toEqual([700, 700]);
    expect(tokenGrid(3000, 4000, 2500, 14)).toEqual([606, 808]);
    expect(tokenGrid(72, 96, 2500, 14)).toEqual([606, 808]);
  });

  it('bicubic antialias weights sum to 1 and are symmetric for an integer factor', () => {
    const w = bicubicAAWeights(40, 10);
    for (let o = 0; o < 10; o++) {
      let s = 0;
      for (let k = 0; k < w.count[o]; k++) s += w.weights[o * w.taps + k];
      expect(s).toBeCloseTo(1, 6);
    }
    const o = 5;
    const n = w.count[o];
    for (let k = 0; k < n; k++)
      expect(w.weights[o * w.taps + k]).toBeCloseTo(w.weights[o * w.taps + n - 1 - k], 6);
  });

  it('a constant photo stays constant', () => {
    const rgb = new Uint8Array(37 * 23 * 3).fill(200);
    const out = resizeBicubicAntialiasRGB(rgb, 23, 37, 11, 17);
    for (const v of out) expect(v).toBeCloseTo(200 / 255, 5);
  });
});

describe('tiny depth graph (resources/fixtures/depth-tiny) vs PyTorch', () => {
  it('onnxruntime reproduces the reference outputs', async () => {
    const ref = JSON.parse(readFileSync(path.join(FIX, 'reference.json'), 'utf8'));
    const s = await ort.InferenceSession.create(path.join(FIX, 'depth.onnx'));
    const out = await s.run({
      image: new ort.Tensor('float32', Float32Array.from(ref.image.data), ref.image.shape),
      out_hw: new ort.Tensor('int64', BigInt64Array.from(ref.out_hw.map(BigInt)), [2]),
    });
    for (const name of ['points_affine', 'mask_raw']) {
      expect(out[name].dims).toEqual(ref[name].shape);
      const got = out[name].data as Float32Array;
      let worst = 0;
      for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - ref[name].data[i]));
      expect(worst, name).toBeLessThanOrEqual(1e-5);
    }
    await s.release();
  });
});

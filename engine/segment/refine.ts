// Full-resolution edge refinement of a mask found on a downscaled copy. Near the coarse boundary
// (within `band` working pixels), each full-resolution pixel, lightly smoothed (3×3 mean), goes to the
// nearer of two local mean colours: the object's and the background's, averaged over a
// (2·window+1)² neighbourhood of working pixels that are at least one pixel inside their side. A
// blended edge pixel thus falls on the side it is closer to, which puts the edge where the photo has
// it (to a fraction of a working pixel) instead of on the working grid. Where the two means are closer
// than `minContrast` there is no edge to find and the coarse boundary stays. A 3×3 majority vote over
// the band removes isolated flips. Elsewhere the upsampled coarse mask is kept.
import type { RgbImage } from './types.ts';

export interface RefineParams {
  band: number;
  window: number;
  /** Least distance (RGB) between the two local means for a pixel to be refined. */
  minContrast: number;
}

/** Refines `up` (full-res 0/1, the upsampled coarse mask) in place and returns it. */
export function refineEdges(
  image: RgbImage,
  work: { rgb: Uint8Array; w: number; h: number },
  coarse: Uint8Array,
  up: Uint8Array,
  { band, window, minContrast }: RefineParams,
): Uint8Array {
  const { w, h } = work;
  const { width: W, height: H, rgb: full } = image;
  if (w === W && h === H) return up;
  const n = w * h;
  // Sample masks: pixels whose 4-neighbours all share their label (no blended edge colours).
  const fgS = new Uint8Array(n);
  const bgS = new Uint8Array(n);
  const edge = new Uint8Array(n);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const v = coarse[i];
      const same =
        (x === 0 || coarse[i - 1] === v) &&
        (x === w - 1 || coarse[i + 1] === v) &&
        (y === 0 || coarse[i - w] === v) &&
        (y === h - 1 || coarse[i + w] === v);
      if (!same) edge[i] = 1;
      else if (v) fgS[i] = 1;
      else bgS[i] = 1;
    }
  const stride = w + 1;
  const integral = (f: (i: number) => number) => {
    const s = new Float64Array((w + 1) * (h + 1));
    for (let y = 0; y < h; y++) {
      let row = 0;
      for (let x = 0; x < w; x++) {
        row += f(y * w + x);
        s[(y + 1) * stride + x + 1] = s[y * stride + x + 1] + row;
      }
    }
    return s;
  };
  const boxSum = (s: Float64Array, x: number, y: number, r: number) => {
    const x0 = Math.max(0, x - r);
    const y0 = Math.max(0, y - r);
    const x1 = Math.min(w, x + r + 1);
    const y1 = Math.min(h, y + r + 1);
    return s[y1 * stride + x1] - s[y0 * stride + x1] - s[y1 * stride + x0] + s[y0 * stride + x0];
  };
  const edgeI = integral((i) => edge[i]);
  const inBand = new Uint8Array(n);
  let any = false;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      if (boxSum(edgeI, x, y, band) > 0) {
        inBand[y * w + x] = 1;
        any = true;
      }
  if (!any) return up;
  const fgN = integral((i) => fgS[i]);
  const bgN = integral((i) => bgS[i]);
  const fgC = [0, 1, 2].map((c) => integral((i) => fgS[i] * work.rgb[i * 3 + c]));
  const bgC = [0, 1, 2].map((c) => integral((i) => bgS[i] * work.rgb[i * 3 + c]));

  // Local means per band working pixel (NaN where one side has no samples in the window).
  const fgMean = new Float32Array(n * 3).fill(NaN);
  const bgMean = new Float32Array(n * 3).fill(NaN);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!inBand[i]) continue;
      const nf = boxSum(fgN, x, y, window);
      const nb = boxSum(bgN, x, y, window);
      if (nf === 0 || nb === 0) continue;
      const f = [0, 1, 2].map((c) => boxSum(fgC[c], x, y, window) / nf);
      const b = [0, 1, 2].map((c) => boxSum(bgC[c], x, y, window) / nb);
      // Where both sides look alike the photo has no edge to snap to: keep the coarse boundary.
      if ((f[0] - b[0]) ** 2 + (f[1] - b[1]) ** 2 + (f[2] - b[2]) ** 2 < minContrast * minContrast) continue;
      for (let c = 0; c < 3; c++) {
        fgMean[i * 3 + c] = f[c];
        bgMean[i * 3 + c] = b[c];
      }
    }

  // Classify band pixels at full resolution: each working pixel covers a block of full pixels.
  const label = new Int8Array(W * H).fill(-1); // -1: not in the band
  const colStart = blockStarts(W, w);
  const rowStart = blockStarts(H, h);
  const members: number[] = [];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!inBand[i] || Number.isNaN(fgMean[i * 3])) continue;
      for (let Y = rowStart[y]; Y < rowStart[y + 1]; Y++)
        for (let X = colStart[x]; X < colStart[x + 1]; X++) {
          let r = 0;
          let g = 0;
          let b = 0;
          let cnt = 0;
          for (let yy = Math.max(0, Y - 1); yy <= Math.min(H - 1, Y + 1); yy++)
            for (let xx = Math.max(0, X - 1); xx <= Math.min(W - 1, X + 1); xx++) {
              const p = (yy * W + xx) * 3;
              r += full[p];
              g += full[p + 1];
              b += full[p + 2];
              cnt++;
            }
          r /= cnt;
          g /= cnt;
          b /= cnt;
          const df = (r - fgMean[i * 3]) ** 2 + (g - fgMean[i * 3 + 1]) ** 2 + (b - fgMean[i * 3 + 2]) ** 2;
          const db = (r - bgMean[i * 3]) ** 2 + (g - bgMean[i * 3 + 1]) ** 2 + (b - bgMean[i * 3 + 2]) ** 2;
          label[Y * W + X] = df < db ? 1 : 0;
          members.push(Y * W + X);
        }
    }
  // 3×3 majority over the band (pixels outside it vote with the coarse mask).
  const voted = new Int8Array(members.length);
  members.forEach((I, k) => {
    const X = I % W;
    const Y = (I - X) / W;
    let on = 0;
    let cnt = 0;
    for (let yy = Math.max(0, Y - 1); yy <= Math.min(H - 1, Y + 1); yy++)
      for (let xx = Math.max(0, X - 1); xx <= Math.min(W - 1, X + 1); xx++) {
        const J = yy * W + xx;
        on += label[J] < 0 ? up[J] : label[J];
        cnt++;
      }
    voted[k] = on * 2 > cnt ? 1 : on * 2 < cnt ? 0 : label[I];
  });
  members.forEach((I, k) => (up[I] = voted[k]));
  return up;
}

/** starts[x]..starts[x+1]: the full-resolution indices X with floor(X·small/big) = x. */
function blockStarts(big: number, small: number): Int32Array {
  const starts = new Int32Array(small + 1).fill(big);
  for (let X = big - 1; X >= 0; X--) starts[Math.min(small - 1, Math.floor((X * small) / big))] = X;
  for (let x = small - 1; x >= 0; x--) if (starts[x] > starts[x + 1]) starts[x] = starts[x + 1];
  starts[small] = big;
  return starts;
}

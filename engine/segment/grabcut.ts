// The classical click segmenter: OpenCV's GrabCut on a resized copy of the photo, seeded by the
// clicks.
//
// 1. The photo is resized so its long side is `workSide` (cached per photo): area-averaged when
//    larger, upsampled (nearest) when smaller, so small photos get the same pixel-scale rules as
//    large ones. GrabCut and the rules below see perceptual features (colour.ts): Lab with the
//    lightness weighted down, so shading is a small change and a hue/chroma change a large one.
// 2. Each click seeds a colour-gated region (pixels within a small radius, connected to the click
//    through colours close to the click's): definite foreground for positive clicks, definite
//    background for negative ones.
// 3. "Probably foreground": the initial object guess of init.ts (the region a click reaches without
//    crossing a contour, won against the image border; plus pattern elements of a textured object),
//    and the previous mask. Everything else is "probably background".
// 4. The two colour GMMs are initialised here by a deterministic k-means (OpenCV's own initialisation
//    draws from its global RNG, so two identical calls could differ) and GrabCut runs in GC_EVAL mode
//    for `iterations` rounds of re-learning + min-cut.
// 5. With negative clicks, the foreground is split between positive and negative clicks by geodesic
//    distance (colour-weighted), so a negative click removes the whole touching part it lies in, not
//    only its seed.
// 6. A 3×3 closing joins parts split by a blended seam; thin spurs and rings (the blended outline of
//    a neighbouring object) are cut off by an opening; only components containing a positive click
//    (else overlapping the previous mask) are kept; holes are filled (unless a negative click lies
//    in one); the mask is resized to the photo (thresholded at 0.5) and, when the photo is larger
//    than the working copy, its edges are refined at full resolution against local object/background
//    colours (refine.ts).
import { perceptualFeatures } from './colour.ts';
import { initialObject, type InitParams } from './init.ts';
import {
  closeMask,
  colourRegion,
  dilate,
  erode,
  fillHoles,
  geodesicSplit,
  keepComponentsWith,
} from './mask-ops.ts';
import { loadOpenCv, type Cv } from './opencv.ts';
import { refineEdges } from './refine.ts';
import type { ClickPoint, RgbImage } from './types.ts';

export interface GrabCutParams extends InitParams {
  /** Long side of the working copy, px (larger photos are downscaled, smaller ones upsampled). */
  workSide: number;
  /** Perceptual features (colour.ts): weight of lightness against chroma, and units per Lab unit. */
  lightnessWeight: number;
  labScale: number;
  /** GrabCut rounds (GMM re-learning + min-cut). */
  iterations: number;
  /** Radius of a click's definite seed, as a fraction of the working long side. */
  seedRadius: number;
  /** Colour tolerance (feature distance) of a seed region. */
  seedTolerance: number;
  /** Colour scale of the geodesic split, in multiples of the median colour step (see geodesicSplit). */
  splitBeta: number;
  /** Full-resolution edge refinement: band half-width and colour window, in working pixels (0 = off). */
  refineBand: number;
  refineWindow: number;
  /** Least RGB distance between the local object and background colours for a refined edge. */
  refineMinContrast: number;
}

export const GRABCUT_DEFAULTS: GrabCutParams = {
  workSide: 256,
  lightnessWeight: 0.5,
  labScale: 1.25,
  iterations: 3,
  seedRadius: 0.03,
  seedTolerance: 15,
  // Initial object guess (init.ts).
  edgeTolerance: 6,
  ownColourTolerance: 18,
  maxFrameShare: 0.4,
  initBeta: 2,
  edgeCost: 1,
  frameWidth: 0.01,
  novelTolerance: 12,
  textureRadius: 0.03,
  maxTextureShare: 0.5,
  splitBeta: 2,
  refineBand: 2,
  refineWindow: 3,
  refineMinContrast: 20,
};

const K = 5; // GMM components per class (OpenCV's fixed count)
const MAX_KMEANS_SAMPLES = 20000;

interface WorkImage {
  width: number;
  height: number;
  w: number;
  h: number;
  /** The working copy, RGB bytes. */
  rgb: Uint8Array;
  /** Its perceptual features (colour.ts), what GrabCut and the geodesic steps see. */
  feat: Uint8Array;
  lightnessWeight: number;
  labScale: number;
}

const workCache = new WeakMap<Uint8Array, WorkImage[]>();

/**
 * The working copy: the photo resized so its long side is `workSide`: area-averaged when shrinking,
 * nearest-neighbour when growing (no new blended colours). Small photos are upsampled on purpose:
 * GrabCut's smoothness term and the seed, edge and closing sizes work in pixels, and on a 96-px photo
 * a one-pixel blend between the object and its background is a large part of the object.
 */
function workImage(cv: Cv, image: RgbImage, p: GrabCutParams): WorkImage {
  const { width, height } = image;
  const s = p.workSide / Math.max(width, height);
  const w = Math.max(1, Math.round(width * s));
  const h = Math.max(1, Math.round(height * s));
  const list = workCache.get(image.rgb) ?? [];
  const hit = list.find(
    (c) =>
      c.width === width &&
      c.height === height &&
      c.w === w &&
      c.h === h &&
      c.lightnessWeight === p.lightnessWeight &&
      c.labScale === p.labScale,
  );
  if (hit) return hit;
  let rgb: Uint8Array;
  if (w === width && h === height) rgb = image.rgb.slice();
  else {
    const src = new cv.Mat(height, width, cv.CV_8UC3);
    const dst = new cv.Mat();
    try {
      src.data.set(image.rgb);
      cv.resize(src, dst, new cv.Size(w, h), 0, 0, w < width ? cv.INTER_AREA : cv.INTER_NEAREST);
      rgb = dst.data.slice();
    } finally {
      src.delete();
      dst.delete();
    }
  }
  const feat = perceptualFeatures(rgb, { lightnessWeight: p.lightnessWeight, scale: p.labScale });
  const entry = { width, height, w, h, rgb, feat, lightnessWeight: p.lightnessWeight, labScale: p.labScale };
  list.push(entry);
  workCache.set(image.rgb, list);
  return entry;
}

/** Resizes a 0/1 mask with OpenCV (area when shrinking, bilinear when growing) and thresholds at 0.5. */
function resizeMask(cv: Cv, mask: Uint8Array, w: number, h: number, ow: number, oh: number): Uint8Array {
  if (w === ow && h === oh) return mask.slice();
  const src = new cv.Mat(h, w, cv.CV_8UC1);
  const dst = new cv.Mat();
  try {
    const d = src.data;
    for (let i = 0; i < mask.length; i++) d[i] = mask[i] ? 255 : 0;
    const shrink = ow * oh < w * h;
    cv.resize(src, dst, new cv.Size(ow, oh), 0, 0, shrink ? cv.INTER_AREA : cv.INTER_LINEAR);
    const r = dst.data;
    const out = new Uint8Array(ow * oh);
    for (let i = 0; i < out.length; i++) out[i] = r[i] >= 128 ? 1 : 0;
    return out;
  } finally {
    src.delete();
    dst.delete();
  }
}

export async function segmentGrabCut(
  image: RgbImage,
  points: ClickPoint[],
  previous: Uint8Array | undefined,
  params: Partial<GrabCutParams> = {},
): Promise<Uint8Array> {
  const p = { ...GRABCUT_DEFAULTS, ...params };
  const { cv } = await loadOpenCv();
  const { width, height } = image;
  const work = workImage(cv, image, p);
  const { w, h, feat } = work;
  const n = w * h;
  const sx = w / width;
  const sy = h / height;
  const toWork = (pt: ClickPoint) => {
    const x = Math.min(w - 1, Math.max(0, Math.floor(pt.x * sx)));
    const y = Math.min(h - 1, Math.max(0, Math.floor(pt.y * sy)));
    return { x, y, i: y * w + x };
  };

  // Trimap: 0 BGD, 1 FGD, 2 PR_BGD, 3 PR_FGD (OpenCV's GrabCutClasses).
  const tri = new Uint8Array(n).fill(cv.GC_PR_BGD);
  let prev: Uint8Array | undefined;
  if (previous) {
    prev = resizeMask(cv, previous, width, height, w, h);
    for (let i = 0; i < n; i++) if (prev[i]) tri[i] = cv.GC_PR_FGD;
  }
  const radius = Math.max(1, Math.round(p.seedRadius * Math.max(w, h)));
  const posSeeds: number[] = [];
  const negSeeds: number[] = [];
  const posClicks: { x: number; y: number; i: number }[] = [];
  const negClicks: number[] = [];
  // Negative seeds first: they block the positive clicks' regions.
  const blocked = new Uint8Array(n);
  for (const pt of points) {
    if (pt.positive) continue;
    const c = toWork(pt);
    negClicks.push(c.i);
    for (const q of colourRegion(feat, w, h, c.x, c.y, radius, p.seedTolerance)) {
      tri[q] = cv.GC_BGD;
      blocked[q] = 1;
      negSeeds.push(q);
    }
  }
  for (const pt of points) {
    if (!pt.positive) continue;
    const c = toWork(pt);
    posClicks.push(c);
    for (const q of colourRegion(feat, w, h, c.x, c.y, radius, p.seedTolerance, blocked)) {
      tri[q] = cv.GC_FGD;
      posSeeds.push(q);
    }
  }
  // A click pixel always keeps its own label, whatever region of another click covers it.
  for (const i of negClicks) tri[i] = cv.GC_BGD;
  for (const c of posClicks) tri[c.i] = cv.GC_FGD;

  const keepSeeds = posClicks.length ? posClicks.map((c) => c.i) : prevPixels(prev);
  if (keepSeeds.length === 0) return new Uint8Array(width * height);

  if (posSeeds.length) {
    const guess = initialObject(feat, w, h, posSeeds, posClicks, negSeeds, blocked, p);
    for (let i = 0; i < n; i++) if (guess[i] && tri[i] === cv.GC_PR_BGD) tri[i] = cv.GC_PR_FGD;
  }

  // Both classes need samples; with none for the background, the border is "probably background".
  let hasBg = false;
  for (let i = 0; i < n && !hasBg; i++) hasBg = (tri[i] & 1) === 0;
  if (!hasBg)
    for (let i = 0; i < n; i++) if (isBorder(i, w, h) && tri[i] !== cv.GC_FGD) tri[i] = cv.GC_PR_BGD;
  for (let i = 0; i < n && !hasBg; i++) hasBg = (tri[i] & 1) === 0;

  let fg: Uint8Array = new Uint8Array(n);
  if (hasBg) {
    const img = new cv.Mat(h, w, cv.CV_8UC3);
    const mask = new cv.Mat(h, w, cv.CV_8UC1);
    const bgd = new cv.Mat(1, 13 * K, cv.CV_64FC1);
    const fgd = new cv.Mat(1, 13 * K, cv.CV_64FC1);
    try {
      img.data.set(feat);
      mask.data.set(tri);
      bgd.data64F.set(initGmm(feat, tri, 0));
      fgd.data64F.set(initGmm(feat, tri, 1));
      cv.grabCut(img, mask, new cv.Rect(0, 0, w, h), bgd, fgd, p.iterations, cv.GC_EVAL);
      const m = mask.data;
      for (let i = 0; i < n; i++) fg[i] = m[i] & 1;
    } finally {
      img.delete();
      mask.delete();
      bgd.delete();
      fgd.delete();
    }
  } else fg.fill(1);

  if (negSeeds.length && posSeeds.length) fg = geodesicSplit(fg, feat, w, h, posSeeds, negSeeds, p.splitBeta);
  fg = closeMask(fg, w, h, blocked);
  // Thin spurs and rings (one or two working pixels wide) are blended edges of a neighbouring object
  // or of the background, not object: the parts kept are those of the 3×3 opening that contain a
  // click, grown back to the unopened mask within one pixel (so the object keeps its own outline).
  // If the opening removes every click, the unopened mask is kept.
  const opened = keepComponentsWith(dilate(erode(fg, w, h, 1), w, h, 1), w, h, keepSeeds);
  if (opened.some((v) => v)) {
    const near = dilate(opened, w, h, 1);
    for (let i = 0; i < n; i++) fg[i] &= near[i];
  }
  fg = keepComponentsWith(fg, w, h, keepSeeds);
  fillHoles(fg, w, h, negClicks);
  const up = resizeMask(cv, fg, w, h, width, height);
  // Edges are refined at full resolution only when the working copy is smaller than the photo.
  if (p.refineBand <= 0 || w >= width) return up;
  return refineEdges(image, work, fg, up, {
    band: p.refineBand,
    window: p.refineWindow,
    minContrast: p.refineMinContrast,
  });
}

function prevPixels(prev: Uint8Array | undefined): number[] {
  const out: number[] = [];
  if (prev) for (let i = 0; i < prev.length; i++) if (prev[i]) out.push(i);
  return out;
}

function isBorder(i: number, w: number, h: number): boolean {
  const x = i % w;
  const y = (i - x) / w;
  return x === 0 || y === 0 || x === w - 1 || y === h - 1;
}

/**
 * An OpenCV GMM model (1×65 doubles: 5 weights, 5×3 means, 5×3×3 covariances) for the pixels of one
 * class (cls 1: FGD/PR_FGD, cls 0: BGD/PR_BGD), from a deterministic k-means: centres start at the
 * means of luminance quintiles, then 8 Lloyd rounds on at most 20k evenly strided samples.
 */
export function initGmm(rgb: Uint8Array, tri: Uint8Array, cls: 0 | 1): Float64Array {
  let count = 0;
  for (let i = 0; i < tri.length; i++) if ((tri[i] & 1) === cls) count++;
  const stride = Math.max(1, Math.ceil(count / MAX_KMEANS_SAMPLES));
  const samples: number[] = [];
  for (let i = 0, k = 0; i < tri.length; i++) {
    if ((tri[i] & 1) !== cls) continue;
    if (k++ % stride === 0) samples.push(rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2]);
  }
  const m = samples.length / 3;
  const order = Array.from({ length: m }, (_, i) => i);
  const lum = (i: number) => 299 * samples[i * 3] + 587 * samples[i * 3 + 1] + 114 * samples[i * 3 + 2];
  order.sort((a, b) => lum(a) - lum(b) || a - b);
  const centres = new Float64Array(K * 3);
  for (let k = 0; k < K; k++) {
    const a = Math.floor((k * m) / K);
    const b = Math.max(a + 1, Math.floor(((k + 1) * m) / K));
    let cnt = 0;
    for (let j = a; j < Math.min(b, m); j++, cnt++)
      for (let c = 0; c < 3; c++) centres[k * 3 + c] += samples[order[j] * 3 + c];
    for (let c = 0; c < 3; c++) centres[k * 3 + c] = cnt ? centres[k * 3 + c] / cnt : 0;
  }
  const assign = new Int32Array(m);
  for (let round = 0; round < 8; round++) {
    for (let i = 0; i < m; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let k = 0; k < K; k++) {
        const d =
          (samples[i * 3] - centres[k * 3]) ** 2 +
          (samples[i * 3 + 1] - centres[k * 3 + 1]) ** 2 +
          (samples[i * 3 + 2] - centres[k * 3 + 2]) ** 2;
        if (d < bestD) {
          bestD = d;
          best = k;
        }
      }
      assign[i] = best;
    }
    const sum = new Float64Array(K * 3);
    const cnt = new Float64Array(K);
    for (let i = 0; i < m; i++) {
      const k = assign[i];
      cnt[k]++;
      for (let c = 0; c < 3; c++) sum[k * 3 + c] += samples[i * 3 + c];
    }
    for (let k = 0; k < K; k++)
      if (cnt[k]) for (let c = 0; c < 3; c++) centres[k * 3 + c] = sum[k * 3 + c] / cnt[k];
  }
  // Model layout (OpenCV GMM): coefs[K], means[K*3], covs[K*9].
  const model = new Float64Array(13 * K);
  const cnt = new Float64Array(K);
  const cov = new Float64Array(K * 9);
  for (let i = 0; i < m; i++) {
    const k = assign[i];
    cnt[k]++;
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 3; b++)
        cov[k * 9 + a * 3 + b] +=
          (samples[i * 3 + a] - centres[k * 3 + a]) * (samples[i * 3 + b] - centres[k * 3 + b]);
  }
  for (let k = 0; k < K; k++) {
    model[k] = m ? cnt[k] / m : 0;
    for (let c = 0; c < 3; c++) model[K + k * 3 + c] = centres[k * 3 + c];
    for (let e = 0; e < 9; e++) {
      const diag = e % 4 === 0 ? 0.01 : 0; // OpenCV's own variance floor keeps the matrix invertible
      model[4 * K + k * 9 + e] = (cnt[k] ? cov[k * 9 + e] / cnt[k] : e % 4 === 0 ? 1 : 0) + diag;
    }
  }
  return model;
}

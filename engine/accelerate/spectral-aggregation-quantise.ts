// Voxel-coordinate quantisation shared by spectral aggregation and the uniform-merge baseline
// (Fast-SAM3D inference_utils.downsample_with_feature_fusion, fusion 'max'), with the placement fix.
//
// Centre convention. A voxel c sits at p = (c + ½)/res − ½ in the canonical [−½, ½]³ frame, and the
// pipeline multiplies the pose scale by the factor f, which scales p about the frame origin, i.e. about
// the grid centre g = (res − 1)/2 in voxel indices. The published rule shrinks the voxel box about the
// box's own centre C, so an off-centre object is re-grown about the wrong point and lands (f − 1)(C − g)
// voxels away from where it should. We keep the published per-axis mapping (so voxel counts and shapes
// match the reference exactly) and then translate each axis by the whole number of voxels that puts the
// mapped box centre closest to g + (C − g)/f, where scaling about g would put it. The placement error is
// then at most half a voxel of the aggregated grid. `centre: 'box'` skips that shift (published behaviour).
import { roundHalfEven } from '../geometry/occupancy.ts';
import type { AggregationInput } from './aggregation.ts';

/** N at or above which the reference forces f = 2 (its max_coords), and the cap on the output count. */
export const AGG_MAX_COORDS = 42000;
/** N below which the reference forces f = 1 (its min_coords). */
export const AGG_MIN_COORDS = 2048;

export type CentreMode = 'grid' | 'box';

export type QuantiseOptions = {
  /** Requested factor (≥ 1); the count overrides below may replace it. */
  factor: number;
  res: number;
  centre: CentreMode;
  /** Values in [0,1); used only when more than maxCoords voxels survive. */
  uniform: () => number;
  /** Default 42000; N ≥ maxCoords forces `forcedFactor`, and more than maxCoords outputs are subsampled. */
  maxCoords?: number;
  /** Default 2048; N < minCoords forces f = 1. */
  minCoords?: number;
  /** Default 2. */
  forcedFactor?: number;
};

export type QuantiseResult = {
  /** Sorted unique (x,y,z) rows inside [0, res). */
  coords: Int32Array;
  /** Max of the member scores per output voxel (null when no scores were given). */
  scores: Float32Array | null;
  /** The factor actually used (multiplies the pose scale). */
  factor: number;
  /** Whole-voxel translation applied per axis by the centre fix (zeros for 'box'). */
  shift: [number, number, number];
};

const f32 = Math.fround;

/**
 * The reference's count limits for one aggregation call: its 42000 (lowered if the pack's mesh decoder
 * takes fewer voxels), 2048, and the pack's downsample factor (2) as the forced factor.
 */
export function aggregationLimits(
  i: AggregationInput,
  referenceCompat = false,
): Required<Pick<QuantiseOptions, 'maxCoords' | 'minCoords' | 'forcedFactor'>> {
  // The caps are set for SAM 3D's 64³ grid. Surface voxel counts grow with area, so a pack on another
  // grid gets them scaled by (res/64)²; without that a 16³ pack would never aggregate at all.
  const s = referenceCompat ? 1 : (i.res / 64) ** 2;
  return {
    maxCoords: Math.min(Math.round(AGG_MAX_COORDS * s), i.maxVoxels),
    minCoords: Math.round(AGG_MIN_COORDS * s),
    forcedFactor: i.downsampleFactor,
  };
}

/** The factor the reference uses for N voxels and a requested factor. */
export function effectiveFactor(
  n: number,
  factor: number,
  o: Pick<QuantiseOptions, 'maxCoords' | 'minCoords' | 'forcedFactor'> = {},
): number {
  let f = factor;
  if (n >= (o.maxCoords ?? AGG_MAX_COORDS)) f = o.forcedFactor ?? 2;
  if (n < (o.minCoords ?? AGG_MIN_COORDS)) f = 1;
  return f;
}

export function quantiseVoxels(
  coords: Int32Array,
  scores: Float32Array | null,
  o: QuantiseOptions,
): QuantiseResult {
  const n = coords.length / 3;
  const { res } = o;
  if (scores && scores.length !== n)
    throw new Error(`quantiseVoxels: ${scores.length} scores for ${n} voxels`);
  if (!(o.factor >= 1)) throw new Error(`quantiseVoxels: factor must be ≥ 1, got ${o.factor}`);
  const maxCoords = o.maxCoords ?? AGG_MAX_COORDS;
  const f = effectiveFactor(n, o.factor, o);
  const shift: [number, number, number] = [0, 0, 0];
  if (n === 0)
    return { coords: new Int32Array(0), scores: scores ? new Float32Array(0) : null, factor: f, shift };

  const mapped = new Int32Array(n * 3);
  const g = (res - 1) / 2;
  for (let a = 0; a < 3; a++) {
    let cmin = Infinity,
      cmax = -Infinity;
    for (let i = 0; i < n; i++) {
      const c = coords[3 * i + a];
      if (c < 0 || c >= res) throw new Error(`quantiseVoxels: coordinate ${c} outside [0, ${res})`);
      if (c < cmin) cmin = c;
      if (c > cmax) cmax = c;
    }
    // Float32 step by step, as torch computes it, so the published voxel counts come out exactly.
    const size = f32(f32(cmax - cmin) + 1);
    const target = f32(size / f32(f));
    const offset = f32(f32(size - target) / 2);
    const tmin = f32(cmin + offset);
    const tmax = f32(f32(tmin + target) - 1);
    const lo = Math.trunc(tmin),
      hi = Math.trunc(tmax);
    const span = f32(cmax - cmin);
    const scale = f32(target - 1);
    let mlo = Infinity,
      mhi = -Infinity;
    for (let i = 0; i < n; i++) {
      let v = roundHalfEven(f32(f32(f32(f32(coords[3 * i + a] - cmin) / span) * scale) + tmin));
      if (Number.isNaN(v)) v = lo; // one-voxel-thick axis: 0/0, pinned by the clamp
      v = Math.min(Math.max(v, lo), hi);
      mapped[3 * i + a] = v;
      if (v < mlo) mlo = v;
      if (v > mhi) mhi = v;
    }
    if (o.centre === 'grid' && f !== 1) {
      const want = g + ((cmin + cmax) / 2 - g) / f;
      let s = roundHalfEven(want - (mlo + mhi) / 2);
      // Never leave the grid (cannot trigger for f > 1: the shrunk box moves towards the centre).
      s = Math.min(Math.max(s, -mlo), res - 1 - mhi);
      shift[a] = s;
      for (let i = 0; i < n; i++) mapped[3 * i + a] += s;
    }
  }

  // Unique rows in lexicographic order with max-fused scores, through a dense res³ table.
  const cells = res * res * res;
  const seen = new Uint8Array(cells);
  const best = scores ? new Float32Array(cells).fill(-Infinity) : null;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const k = (mapped[3 * i] * res + mapped[3 * i + 1]) * res + mapped[3 * i + 2];
    if (!seen[k]) {
      seen[k] = 1;
      m++;
    }
    if (best && scores![i] > best[k]) best[k] = scores![i];
  }
  let outCoords = new Int32Array(m * 3);
  let outScores = best ? new Float32Array(m) : null;
  for (let k = 0, r = 0; k < cells; k++) {
    if (!seen[k]) continue;
    outCoords[3 * r] = Math.floor(k / (res * res));
    outCoords[3 * r + 1] = Math.floor(k / res) % res;
    outCoords[3 * r + 2] = k % res;
    if (outScores) outScores[r] = best![k];
    r++;
  }

  if (m > maxCoords) {
    // The reference keeps a randperm subset; we draw a uniform subset and keep voxel order.
    const perm = new Int32Array(m);
    for (let i = 0; i < m; i++) perm[i] = i;
    for (let i = 0; i < maxCoords; i++) {
      const j = i + Math.floor(o.uniform() * (m - i));
      const t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    const chosen = perm.subarray(0, maxCoords).sort();
    const c2 = new Int32Array(maxCoords * 3);
    const s2 = outScores ? new Float32Array(maxCoords) : null;
    for (let i = 0; i < maxCoords; i++) {
      c2.set(outCoords.subarray(3 * chosen[i], 3 * chosen[i] + 3), 3 * i);
      if (s2) s2[i] = outScores![chosen[i]];
    }
    outCoords = c2;
    outScores = s2;
  }
  return { coords: outCoords, scores: outScores, factor: f, shift };
}

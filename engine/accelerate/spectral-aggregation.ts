// Fast-SAM3D mechanism 3, spectral-aware token aggregation: pick a coarsening factor from how much
// high-frequency content the object has (2D: its texture in the crop; 3D: the stage-1 logits), then merge
// the stage-1 voxels onto a grid that many times coarser. Stage 2 and both decoders see fewer tokens and
// the pose scale is multiplied by the factor. See spectral-aggregation-quantise.ts for the centre fix.
import { analyzeVoxelFrequency } from '../spectral/hfer3d.ts';
import { hfer2dFromCrop } from '../spectral/hfer2d.ts';
import type { AggregationPolicy } from './aggregation.ts';
import { parseMeshSpectralKnobs, type MeshSpectralKnobs } from './knobs.ts';
import { aggregationLimits, quantiseVoxels } from './spectral-aggregation-quantise.ts';

/** Conservative, middle and aggressive factors of calculate_adaptive_factor. */
export const SPECTRAL_FACTORS = { high: 1.25, mid: 1.5, low: 2.0 } as const;
/** The grid the factors were chosen on: SAM 3D's 64³ occupancy grid. */
export const FACTOR_GRID_RES = 64;

/**
 * The rule's factor f coarsens an object on the 64³ grid to 64/f voxels across. On a res³ grid we keep
 * that resolution, f·res/64 (at least 1): on a 32³ pack every factor of the rule is ≤ 1, because the grid
 * is already as coarse as the rule's most aggressive choice; applying f unchanged there lost ~18 F1
 * points against the full run (README, "Measured on the nano pack").
 */
export function gridFactor(f: number, res: number): number {
  return Math.max(1, (f * res) / FACTOR_GRID_RES);
}
const W2D = 0.9;
const W3D = 0.1;

export type AdaptiveFactor = {
  factor: number;
  /** 0.9·h2 + 0.1·h3; null when either HFER is 0 (the reference then falls back to f = 1). */
  score: number | null;
};

/** calculate_adaptive_factor: score ≥ high → 1.25, low < score < high → 1.5, score ≤ low → 2.0. */
export function adaptiveFactor(h2: number, h3: number, high: number, low: number): AdaptiveFactor {
  if (h2 === 0 || h3 === 0) return { factor: 1, score: null };
  const score = h2 * W2D + h3 * W3D;
  if (score >= high) return { factor: SPECTRAL_FACTORS.high, score };
  if (score > low) return { factor: SPECTRAL_FACTORS.mid, score };
  return { factor: SPECTRAL_FACTORS.low, score };
}

export type SpectralDecision = {
  /** null when not measured: on a grid where every factor of the rule maps to 1 it cannot matter. */
  hfer2d: number | null;
  hfer3d: number;
  score: number | null;
  /** From the factor rule (a 64³-grid factor), before the grid scaling and the voxel-count overrides. */
  requestedFactor: number;
  /** Used (multiplies the pose scale). */
  factor: number;
  voxelsIn: number;
  voxelsOut: number;
  shift: [number, number, number];
};

export type SpectralAggregationKnobs = Partial<MeshSpectralKnobs> & {
  /** The published behaviour: re-grow about the box centre (objects off the grid centre shift), and the
   *  rule's factor and the 42000/2048 caps as they are on any grid. */
  referenceCompat?: boolean;
  /** Sees every decision (reports, benchmarks). */
  onDecision?: (d: SpectralDecision) => void;
};

export function spectralAggregation(knobs: SpectralAggregationKnobs = {}): AggregationPolicy {
  // Validates 0 ≤ low ≤ high ≤ 1 up front (UserError naming the knob).
  const { mesh_spectral_threshold_low: low, mesh_spectral_threshold_high: high } = parseMeshSpectralKnobs({
    mesh_spectral_threshold_low: knobs.mesh_spectral_threshold_low,
    mesh_spectral_threshold_high: knobs.mesh_spectral_threshold_high,
  });
  const centre = knobs.referenceCompat ? 'box' : 'grid';
  return {
    name: 'spectral-aggregation',
    aggregate(i) {
      // The 3D analysis always runs: its per-voxel scores feed stage-2 carving. The 2D ratio (~20 ms on our
      // machine) only picks the factor, so a grid that maps every factor to 1 skips it.
      const freq = analyzeVoxelFrequency(i.logits, i.res, i.coords);
      const factorMatters = knobs.referenceCompat || gridFactor(SPECTRAL_FACTORS.low, i.res) > 1;
      const h2 = factorMatters ? hfer2dFromCrop(i.imageCrop, i.maskCrop, i.imageSize) : null;
      const { factor: requested, score } =
        h2 === null ? { factor: 1, score: null } : adaptiveFactor(h2, freq.hfer, high, low);
      const q = quantiseVoxels(i.coords, freq.scores, {
        factor: knobs.referenceCompat ? requested : gridFactor(requested, i.res),
        res: i.res,
        centre,
        uniform: i.uniform,
        ...aggregationLimits(i, knobs.referenceCompat),
      });
      knobs.onDecision?.({
        hfer2d: h2,
        hfer3d: freq.hfer,
        score,
        requestedFactor: requested,
        factor: q.factor,
        voxelsIn: i.coords.length / 3,
        voxelsOut: q.coords.length / 3,
        shift: q.shift,
      });
      return { coords: q.coords, downsampleFactor: q.factor, spatialScores: q.scores ?? undefined };
    },
  };
}

// "Uniform Merge" baseline of the Fast-SAM3D results table: the same voxel quantisation as spectral
// aggregation with one fixed factor for every object, no spectral analysis and no per-voxel scores
// (the repository has no code for it; this follows the algorithm note, section 5).
import { UserError } from '../errors.ts';
import type { AggregationPolicy } from './aggregation.ts';
import { aggregationLimits, quantiseVoxels } from './spectral-aggregation-quantise.ts';

export type UniformMergeKnobs = {
  /** Coarsening factor ≥ 1 (1 keeps the set except for the reference's ≥ 42000 override). */
  factor: number;
  /** Re-grow about the box centre like the published code. */
  referenceCompat?: boolean;
};

export function uniformMerge(knobs: UniformMergeKnobs): AggregationPolicy {
  const { factor } = knobs;
  if (typeof factor !== 'number' || !Number.isFinite(factor) || factor < 1) {
    throw new UserError(`uniform merge factor must be a finite number ≥ 1, got ${String(factor)}`);
  }
  const centre = knobs.referenceCompat ? 'box' : 'grid';
  return {
    name: 'uniform-merge',
    aggregate(i) {
      const q = quantiseVoxels(i.coords, null, {
        factor,
        res: i.res,
        centre,
        uniform: i.uniform,
        ...aggregationLimits(i, knobs.referenceCompat),
      });
      return { coords: q.coords, downsampleFactor: q.factor };
    },
  };
}

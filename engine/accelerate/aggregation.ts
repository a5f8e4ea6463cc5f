// The step between stage 1 and stage 2 that decides which voxels stage 2 works on. The reference
// behaviour only caps very large sets; Fast-SAM3D's spectral aggregation implements the same
// interface and may also hand per-voxel scores to the stage-2 policy.
import { capVoxels } from '../geometry/occupancy.ts';

export type AggregationInput = {
  /** Surface voxels after pruning, sorted (x,y,z), on the occupancy grid. */
  coords: Int32Array;
  /** Stage-1 occupancy logits, res³ (x,y,z). */
  logits: Float32Array;
  res: number;
  maxVoxels: number;
  downsampleFactor: number;
  /** The object crop (RGB CHW and mask) the run was conditioned on. */
  imageCrop: Float32Array;
  maskCrop: Float32Array;
  imageSize: number;
  uniform: () => number;
};

export type AggregationResult = {
  coords: Int32Array;
  /** Multiplies the decoded pose scale (coordinates were compressed by this factor). */
  downsampleFactor: number;
  spatialScores?: Float32Array;
};

export interface AggregationPolicy {
  readonly name: string;
  aggregate(input: AggregationInput): AggregationResult;
}

/** SAM 3D's own rule: downsample by the pack's factor only above the voxel cap. */
export function referenceCap(): AggregationPolicy {
  return {
    name: 'reference-cap',
    aggregate: (i) => capVoxels(i.coords, i.maxVoxels, i.downsampleFactor, i.uniform),
  };
}

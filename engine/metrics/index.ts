// Mesh fidelity metrics for accelerated-vs-full comparisons (reference doc section 6).
// `a` is the candidate (e.g. the accelerated run), `b` the reference (the full run).
import type { Pose } from '../geometry/pose.ts';
import { chamferFromDistances, fScoreFromDistances, pairDistances } from './chamfer.ts';
import { normalizePair, type NormalizationMode } from './normalize.ts';
import { DEFAULT_SAMPLES, DEFAULT_SEED, sampleSurface } from './sample.ts';
import type { TriMesh } from './types.ts';
import { DEFAULT_VOXEL_RES, voxelIoU, type VoxelMode } from './voxel-iou.ts';
import { orientedBoxIoU, posedBox } from './box-iou.ts';

export type { TriMesh, Vec3 } from './types.ts';
export {
  KdTree,
  chamferFromDistances,
  fScoreFromDistances,
  nearestDistances,
  pairDistances,
} from './chamfer.ts';
export {
  applySimilarity,
  normalizePair,
  unitCubeSimilarity,
  type NormalizationMode,
  type Similarity,
} from './normalize.ts';
export { sampleSurface, DEFAULT_SAMPLES, DEFAULT_SEED } from './sample.ts';
export {
  isClosed,
  unionGrid,
  voxelIoU,
  voxelizeSolid,
  voxelizeSurface,
  type VoxelGrid,
  type VoxelMode,
} from './voxel-iou.ts';
export { boxIntersectionVolume, boxVolume, orientedBoxIoU, posedBox, type OrientedBox } from './box-iou.ts';

export const DEFAULT_TAU = 0.05;

export interface CompareOptions {
  /** F-score threshold in normalised units (reference's longest bbox side = 1). */
  tau?: number;
  /** Surface samples per mesh. */
  samples?: number;
  /** Sampling seed; both meshes use it, so identical meshes give identical samples. */
  seed?: number;
  normalization?: NormalizationMode;
  voxelRes?: number;
  /** Force the vIoU occupancy mode; by default 'solid' when both meshes are closed. */
  voxelMode?: VoxelMode;
}

export interface MeshComparison {
  cdL1: number;
  cdL2: number;
  /** Percent 0..100. */
  f1: number;
  precision: number;
  recall: number;
  vIoU: number;
  vIoUMode: VoxelMode;
  tau: number;
  samples: number;
}

/** Chamfer (L1, L2), F-score at τ and volumetric IoU between candidate `a` and reference `b`. */
export function compareMeshes(a: TriMesh, b: TriMesh, opts: CompareOptions = {}): MeshComparison {
  const tau = opts.tau ?? DEFAULT_TAU;
  const samples = opts.samples ?? DEFAULT_SAMPLES;
  const seed = opts.seed ?? DEFAULT_SEED;
  const [na, nb] = normalizePair(a, b, opts.normalization ?? 'reference');
  const { dAB, dBA } = pairDistances(sampleSurface(na, samples, seed), sampleSurface(nb, samples, seed));
  const v = voxelIoU(na, nb, { res: opts.voxelRes ?? DEFAULT_VOXEL_RES, mode: opts.voxelMode });
  return {
    ...chamferFromDistances(dAB, dBA),
    ...fScoreFromDistances(dAB, dBA, tau),
    vIoU: v.iou,
    vIoUMode: v.mode,
    tau,
    samples,
  };
}

/** 3D IoU of the two meshes' canonical bounding boxes placed in the scene by their poses (layout metric). */
export function poseBoxIoU(meshA: TriMesh, poseA: Pose, meshB: TriMesh, poseB: Pose): number {
  return orientedBoxIoU(posedBox(meshA.vertices, poseA), posedBox(meshB.vertices, poseB));
}

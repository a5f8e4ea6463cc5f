// The record every run returns: the CLI summary, the UI and the benchmark all read this one shape.
import type { MaskGuideStats } from './geometry/mask-guide.ts';

export type StageTiming = { name: string; ms: number };

export type RunReport = {
  pack: { id: string; name: string; version: string };
  provider: { requested: string; used: Record<string, string> };
  seed: number;
  strategy: { stage1: string; stage2: string; aggregation: string };
  timings: StageTiming[];
  totalMs: number;
  evaluations: { stage1: number; stage2: number };
  tokens: {
    shape: number;
    layout: number;
    voxels: number;
    coarseVoxels: number;
    /** Voxel rows the stage-2 network processed, summed over every evaluation. */
    stage2Evaluated: number;
    cubes: number;
  };
  voxels: {
    /** Stage 1's voxels after the mask guide (when on), before pruning and aggregation. */
    occupied: number;
    afterPrune: number;
    downsampleFactor: number;
    /**
     * The mask guide (null when off): voxels carved and added, and the fitted voxel silhouette's IoU that
     * gates it (applied false below engine/geometry/mask-guide.ts MIN_LAYOUT_IOU).
     */
    maskGuide: MaskGuideStats | null;
  };
  mesh: { vertices: number; faces: number };
  pose: { quaternion: number[]; translation: number[]; scale: number; frame: string };
  /**
   * IoU of the posed, projected mesh with the input mask (with the reported pose), the same with the
   * network's own layout, the layout fit applied (null when off or no better), and the camera used.
   */
  silhouette: {
    iou: number;
    iouPredicted: number;
    layoutFit: { shiftPx: [number, number]; scaleFactor: number } | null;
    fovDeg: number;
    fovSource: 'override' | 'exif' | 'default';
  };
  notes: string[];
  /**
   * Present when the pack has a depth stage: MoGe's normalised intrinsics (3×3; fx, cx in image widths,
   * fy, cy in heights; principal point 0.5, 0.5). The pose is then in the depth model's metric units.
   */
  intrinsics?: number[][];
  depth?: {
    /** Token grid (h, w) the depth graph ran at. */
    grid: [number, number];
    /** Focal relative to half the image diagonal; recovered z shift. */
    focal: number;
    shift: number;
    /** Pointmap normalisation handed to the pose decoder (doc 1.4 a). */
    sceneScale: number;
    sceneShift: number[];
    validPixels: number;
    fitSamples: number;
  };
};

// The record every run returns: the CLI summary, the UI and the benchmark all read this one shape.
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
  voxels: { occupied: number; afterPrune: number; downsampleFactor: number };
  mesh: { vertices: number; faces: number };
  pose: { quaternion: number[]; translation: number[]; scale: number; frame: string };
  notes: string[];
};

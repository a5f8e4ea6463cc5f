// The one typed client through which the studio reaches the engine. Two transports implement it:
// Electron IPC (through the preload bridge) and a WebSocket to the browser-mode server. Nothing in the
// renderer imports engine code that touches Node; types only.

export type Point = { x: number; y: number; positive: boolean };

export type MeshData = {
  /** Canonical z-up frame of the decoders, row-major V×3. */
  vertices: Float32Array;
  faces: Uint32Array;
  /** V×3 in [0,1]. */
  colors: Float32Array;
};

export type Pose = {
  rotation: number[]; // 3×3 row-major, row-vector convention p·scale·R + t
  quaternion: number[]; // w, x, y, z
  translation: number[];
  scale: number;
};

export type StrategyInfo = {
  name: string;
  description: string;
  knobs: { name: string; value: number | boolean; min?: number; max?: number; step?: number; help: string }[];
};

export type PackInfo = { id: string; name: string; dir: string; builtIn: boolean; description: string };
export type SampleInfo = { name: string; width: number; height: number };

export type Hello = {
  version: string;
  packs: PackInfo[];
  samples: SampleInfo[];
  strategies: StrategyInfo[];
  providers: string[];
  settings: Settings;
};

/** provider: 'auto' (GPU if one starts, else CPU), 'cpu', 'cuda', 'dml', 'coreml' or 'webgpu'. */
export type Settings = { packDirs: string[]; activePack: string; provider: string; threads: number };

export type ImageRef = { imageId: string; width: number; height: number; name: string };

export type Progress = { runId: string; stage: string; step: number; of: number; elapsedMs: number };

/** Stage-1 occupancy while sampling runs: occupied voxel coordinates on the occupancy grid. */
export type OccupancyPreview = { runId: string; step: number; res: number; coords: Int32Array };

export type RunRequest = {
  imageId: string;
  /** Binary mask, width×height, 0/1. */
  mask: Uint8Array;
  strategy: string;
  knobs: Record<string, number | boolean>;
  seed: number;
  packId?: string;
  /** Edit stage 1's voxels by the mask before stage 2 (the engine's mask guide); absent means on. */
  maskGuide?: boolean;
  /**
   * Optional id chosen by the caller. When given, the engine uses it as the run's id, so progress and
   * preview events, cancel(runId) and RunResult.runId all carry it from the first event on. When absent
   * the engine makes one up (the studio then attributes events to its single run in flight).
   */
  runId?: string;
};

export type RunResult = {
  runId: string;
  mesh: MeshData;
  pose: Pose;
  /** The engine's RunReport (timings, evaluations, tokens, pose, provider, notes). */
  report: Record<string, unknown> & { totalMs: number };
  silhouetteIoU: number | null;
};

export type MetricsResult = {
  cdL1: number;
  cdL2: number;
  f1: number;
  vIoU: number;
  boxIoU: number;
  /** Per-vertex distance of run A's mesh to run B's surface (for the heat map). */
  distances: Float32Array;
};

export type ExportRequest = {
  runIds: string[];
  format: 'glb' | 'ply';
  /** Place every object by its layout (scene) instead of one canonical object. */
  scene: boolean;
  targetFaces?: number;
};

export type EngineEvent =
  | { type: 'progress'; progress: Progress }
  | { type: 'preview'; preview: OccupancyPreview }
  | { type: 'engine-restarted'; reason: string }
  | { type: 'warning'; message: string }
  /** Worth knowing, nothing to fix (e.g. provider 'auto' found no GPU and runs on CPU). */
  | { type: 'info'; message: string };

export interface EngineClient {
  hello(): Promise<Hello>;
  /** `mask` (width×height, 0/1) is present when the sample ships one. */
  openSample(name: string): Promise<ImageRef & { bytes: Uint8Array; mask?: Uint8Array }>;
  openImage(name: string, bytes: Uint8Array): Promise<ImageRef>;
  /** Mask from clicks (classical interactive segmentation, or SAM when the pack folder has it).
   *  `previous` (width×height, 0/1) is the object's current mask, refined by the new clicks. */
  segment(
    imageId: string,
    points: Point[],
    previous?: Uint8Array,
  ): Promise<{ mask: Uint8Array; width: number; height: number; method: string }>;
  /** Mask from an imported PNG (any size is rejected unless it matches the image). */
  importMask(imageId: string, png: Uint8Array): Promise<{ mask: Uint8Array; width: number; height: number }>;
  run(request: RunRequest): Promise<RunResult>;
  cancel(runId?: string): Promise<void>;
  metrics(runA: string, runB: string): Promise<MetricsResult>;
  export(request: ExportRequest): Promise<{ bytes: Uint8Array; suggestedName: string }>;
  updateSettings(settings: Partial<Settings>): Promise<Settings>;
  on(listener: (event: EngineEvent) => void): () => void;
}

// Studio state shapes. Everything the user made (photo, points, masks, runs) lives here, so an engine
// restart never loses it.
import type {
  Hello,
  ImageRef,
  MetricsResult,
  OccupancyPreview,
  Point,
  RunResult,
  Settings,
} from '../client/api';

export type KnobValue = number | boolean;
export type Knobs = Record<string, KnobValue>;

export type MaskState = {
  data: Uint8Array;
  width: number;
  height: number;
  source: 'clicks' | 'import';
  /** Segmentation method the engine used (or 'import'). */
  method: string;
};

/** What one undo step restores. */
export type Snapshot = { points: Point[]; mask: MaskState | null };

export type StudioObject = {
  id: string;
  name: string;
  color: string;
  points: Point[];
  mask: MaskState | null;
  /** Bumped on every mask change; a run remembers the version it used. */
  maskVersion: number;
  undo: Snapshot[];
  /** Run shown for this object in the viewer, scene and export. */
  activeRunId: string | null;
  /** Bumped on every point change; a segment answer for an older sequence is dropped. */
  segmentSeq: number;
  /** Time the pending segment request started, or null. */
  segmentingSince: number | null;
};

export type StageProgress = { name: string; step: number; of: number; startMs: number; endMs: number };

export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled';

export type StudioRun = {
  id: string;
  objectId: string;
  objectName: string;
  color: string;
  strategy: string;
  knobs: Knobs;
  seed: number;
  packId?: string;
  /** Whether the engine's mask guide edited stage 1's voxels (absent on runs from before it: on). */
  maskGuide?: boolean;
  maskVersion: number;
  createdAt: number;
  finishedAt: number | null;
  status: RunStatus;
  stages: StageProgress[];
  preview: OccupancyPreview | null;
  result: RunResult | null;
  /** The id the engine knows the run by (metrics, export). */
  engineRunId: string | null;
  error: string | null;
};

export type Photo = { ref: ImageRef; url: string; bytes: Uint8Array; mime: string };

export type Toast = { id: number; kind: 'error' | 'warning' | 'info'; message: string };

export type EngineStatus = 'connecting' | 'ready' | 'restarting' | 'offline';

export type Shading = 'color' | 'normals' | 'matcap';

export type ViewerSettings = {
  mode: 'object' | 'scene';
  shading: Shading;
  wireframe: boolean;
  grid: boolean;
};

/** The export panel's choices; the File › Export GLB… menu item exports with them too. */
export type ExportSettings = {
  format: 'glb' | 'ply';
  scope: 'selected' | 'scene';
  simplify: boolean;
  faces: number;
};

export type MetricsEntry =
  { state: 'pending' } | { state: 'done'; value: MetricsResult } | { state: 'failed'; error: string };

export type StudioState = {
  engine: { status: EngineStatus; hello: Hello | null; error: string | null };
  /** Set when the engine restarted; the banner shows until dismissed. */
  restart: { reason: string; at: number } | null;
  settings: Settings | null;
  photo: Photo | null;
  objects: StudioObject[];
  selectedObjectId: string | null;
  /** Tool for a plain left click. Shift-click or right-click always adds a negative point. */
  tool: 'positive' | 'negative';
  strategy: string;
  /** User overrides per strategy, on top of the StrategyInfo defaults. */
  knobOverrides: Record<string, Knobs>;
  seed: number;
  /** The engine's mask guide for new runs (RunRequest.maskGuide). */
  maskGuide: boolean;
  runs: StudioRun[];
  /** Run shown in the single-object viewer (may belong to an earlier photo's object). */
  viewRunId: string | null;
  /** Centre area: the photo + 3D workspace, or the compare view. */
  workspace: 'edit' | 'compare';
  viewer: ViewerSettings;
  compare: { a: string | null; b: string | null };
  metrics: Record<string, MetricsEntry>;
  toasts: Toast[];
  exportSettings: ExportSettings;
  exporting: boolean;
  /** The settings popover (also opened by the shell's File › Settings menu item). */
  settingsOpen: boolean;
  /** The engine's latest informational message (e.g. provider 'auto' found no GPU and runs on CPU). */
  engineNote: string | null;
  /** Counters for ids and names. */
  counters: { object: number; run: number; toast: number };
};

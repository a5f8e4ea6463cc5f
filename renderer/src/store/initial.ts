import type { StudioState } from './types';

export function initialState(): StudioState {
  return {
    engine: { status: 'connecting', hello: null, error: null },
    restart: null,
    settings: null,
    photo: null,
    objects: [],
    selectedObjectId: null,
    tool: 'positive',
    strategy: 'fast-sam3d',
    knobOverrides: {},
    seed: 42,
    maskGuide: true,
    runs: [],
    viewRunId: null,
    workspace: 'edit',
    viewer: { mode: 'object', shading: 'color', wireframe: false, grid: true },
    compare: { a: null, b: null },
    metrics: {},
    toasts: [],
    exportSettings: { format: 'glb', scope: 'selected', simplify: false, faces: 20000 },
    exporting: false,
    settingsOpen: false,
    engineNote: null,
    counters: { object: 0, run: 0, toast: 0 },
  };
}

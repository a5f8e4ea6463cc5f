// Pure transitions for runs: start, progress, preview, finish, reopen, history.
import type { OccupancyPreview, Progress, RunResult } from '../client/api';
import { selectedObject } from './objects-logic';
import type { Knobs, StageProgress, StudioRun, StudioState } from './types';

export type RunSpec = {
  objectId: string;
  strategy: string;
  knobs: Knobs;
  seed: number;
  packId?: string;
  maskGuide: boolean;
};

export function runById(s: StudioState, id: string | null | undefined): StudioRun | null {
  return id ? (s.runs.find((r) => r.id === id) ?? null) : null;
}

export function runningRun(s: StudioState): StudioRun | null {
  return s.runs.find((r) => r.status === 'running') ?? null;
}

/** Adds a run in 'running' state; returns the new state and the run id. */
export function startRun(s: StudioState, spec: RunSpec, now: number): { state: StudioState; id: string } {
  const obj = s.objects.find((o) => o.id === spec.objectId);
  if (!obj) throw new Error('no such object');
  const n = s.counters.run + 1;
  const id = `run-${n}-${now.toString(36)}`;
  const run: StudioRun = {
    id,
    objectId: obj.id,
    objectName: obj.name,
    color: obj.color,
    strategy: spec.strategy,
    knobs: spec.knobs,
    seed: spec.seed,
    packId: spec.packId,
    maskGuide: spec.maskGuide,
    maskVersion: obj.maskVersion,
    createdAt: now,
    finishedAt: null,
    status: 'running',
    stages: [],
    preview: null,
    result: null,
    engineRunId: null,
    error: null,
  };
  return { state: { ...s, runs: [...s.runs, run], counters: { ...s.counters, run: n } }, id };
}

/**
 * The run an engine event belongs to: matched by our id or the engine's; an event with an unknown id
 * goes to the single run in flight (an engine that ignores RunRequest.runId).
 */
export function resolveEventRun(s: StudioState, engineRunId: string): StudioRun | null {
  const exact = s.runs.find((r) => r.id === engineRunId || r.engineRunId === engineRunId);
  if (exact) return exact.status === 'running' ? exact : null;
  const running = s.runs.filter((r) => r.status === 'running');
  return running.length === 1 ? running[0] : null;
}

function mapRun(s: StudioState, id: string, f: (r: StudioRun) => StudioRun): StudioState {
  return { ...s, runs: s.runs.map((r) => (r.id === id ? f(r) : r)) };
}

/** Stage list from progress events: a new stage starts where the previous one ended. */
export function mergeStage(stages: StageProgress[], p: Progress): StageProgress[] {
  const last = stages[stages.length - 1];
  if (last && last.name === p.stage) {
    return [...stages.slice(0, -1), { ...last, step: p.step, of: p.of, endMs: p.elapsedMs }];
  }
  const start = last ? last.endMs : 0;
  return [...stages, { name: p.stage, step: p.step, of: p.of, startMs: start, endMs: p.elapsedMs }];
}

export function applyProgress(s: StudioState, p: Progress): StudioState {
  const run = resolveEventRun(s, p.runId);
  if (!run) return s;
  return mapRun(s, run.id, (r) => ({ ...r, stages: mergeStage(r.stages, p) }));
}

export function applyPreview(s: StudioState, preview: OccupancyPreview): StudioState {
  const run = resolveEventRun(s, preview.runId);
  if (!run) return s;
  return mapRun(s, run.id, (r) => ({ ...r, preview }));
}

/** A finished run becomes its object's active run and is shown in the viewer. */
export function finishRun(s: StudioState, id: string, result: RunResult, now: number): StudioState {
  const run = runById(s, id);
  if (!run) return s;
  let next = mapRun(s, id, (r) => ({
    ...r,
    status: 'done',
    result,
    engineRunId: result.runId,
    finishedAt: now,
    preview: null,
  }));
  next = {
    ...next,
    objects: next.objects.map((o) => (o.id === run.objectId ? { ...o, activeRunId: id } : o)),
  };
  if (next.selectedObjectId === run.objectId || !next.objects.some((o) => o.id === run.objectId)) {
    next = { ...next, viewRunId: id };
  }
  return next;
}

export function failRun(
  s: StudioState,
  id: string,
  error: string,
  cancelled: boolean,
  now: number,
): StudioState {
  return mapRun(s, id, (r) =>
    r.status !== 'running'
      ? r
      : { ...r, status: cancelled ? 'cancelled' : 'failed', error, finishedAt: now, preview: null },
  );
}

/** Reopen a run from the history: select its object (if it still exists) and show the run. */
export function reopenRun(s: StudioState, id: string): StudioState {
  const run = runById(s, id);
  if (!run || run.status !== 'done') return s;
  const exists = s.objects.some((o) => o.id === run.objectId);
  const objects = exists
    ? s.objects.map((o) => (o.id === run.objectId ? { ...o, activeRunId: id } : o))
    : s.objects;
  return {
    ...s,
    objects,
    selectedObjectId: exists ? run.objectId : s.selectedObjectId,
    viewRunId: id,
    workspace: 'edit',
  };
}

export function removeRun(s: StudioState, id: string): StudioState {
  const runs = s.runs.filter((r) => r.id !== id);
  const objects = s.objects.map((o) => (o.activeRunId === id ? { ...o, activeRunId: null } : o));
  const compare = { a: s.compare.a === id ? null : s.compare.a, b: s.compare.b === id ? null : s.compare.b };
  return { ...s, runs, objects, compare, viewRunId: s.viewRunId === id ? null : s.viewRunId };
}

function sameKnobs(a: Knobs, b: Knobs): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

/** A finished run with exactly these settings on the object's current mask, to reuse in a comparison. */
export function findReusableRun(s: StudioState, spec: RunSpec): StudioRun | null {
  const obj = s.objects.find((o) => o.id === spec.objectId);
  if (!obj) return null;
  const hits = s.runs.filter(
    (r) =>
      r.status === 'done' &&
      r.objectId === obj.id &&
      r.maskVersion === obj.maskVersion &&
      r.strategy === spec.strategy &&
      r.seed === spec.seed &&
      r.packId === spec.packId &&
      (r.maskGuide ?? true) === spec.maskGuide &&
      sameKnobs(r.knobs, spec.knobs),
  );
  return hits[hits.length - 1] ?? null;
}

/** Runs placed in the scene view and scene export: each object's active finished run. */
export function sceneRuns(s: StudioState): StudioRun[] {
  const out: StudioRun[] = [];
  for (const o of s.objects) {
    const r = runById(s, o.activeRunId);
    if (r?.status === 'done' && r.result) out.push(r);
  }
  return out;
}

/** The run the single-object viewer shows. */
export function viewRun(s: StudioState): StudioRun | null {
  return runById(s, s.viewRunId ?? selectedObject(s)?.activeRunId);
}

/** The most recently finished run (what "used: …" in the settings and the engine chip refers to). */
export function lastFinishedRun(s: StudioState): StudioRun | null {
  let best: StudioRun | null = null;
  for (const r of s.runs)
    if (r.status === 'done' && r.result && (r.finishedAt ?? 0) >= (best?.finishedAt ?? -Infinity)) best = r;
  return best;
}

import { describe, expect, it } from 'vitest';
import type { Hello, RunResult } from '../client/api';
import { initialState } from './initial';
import * as M from './misc-logic';
import * as O from './objects-logic';
import * as R from './runs-logic';
import type { MaskState, StudioState } from './types';

const mask = (v: number): MaskState => ({
  data: new Uint8Array([v, 0, 0, v]),
  width: 2,
  height: 2,
  source: 'clicks',
  method: 'test',
});

const photo = () => ({
  ref: { imageId: 'img-1', width: 2, height: 2, name: 'a.png' },
  url: 'blob:x',
  bytes: new Uint8Array(4),
  mime: 'image/png',
});

const hello: Hello = {
  version: '0',
  packs: [],
  samples: [],
  providers: ['cpu'],
  settings: { packDirs: [], activePack: 'test', provider: 'cpu', threads: 2 },
  strategies: [
    { name: 'full', description: '', knobs: [] },
    {
      name: 'fast-sam3d',
      description: '',
      knobs: [
        { name: 'ss_cache_stride', value: 3, min: 1, max: 6, step: 1, help: '' },
        { name: 'ss_cache', value: true, help: '' },
      ],
    },
  ],
};

const result = (runId: string): RunResult => ({
  runId,
  mesh: { vertices: new Float32Array(9), faces: new Uint32Array(3), colors: new Float32Array(9) },
  pose: { rotation: [1, 0, 0, 0, 1, 0, 0, 0, 1], quaternion: [1, 0, 0, 0], translation: [0, 0, 3], scale: 1 },
  report: { totalMs: 1000 },
  silhouetteIoU: null,
});

function withPhoto(): StudioState {
  return O.setPhoto(initialState(), photo());
}

describe('objects, points and undo', () => {
  it('a new photo starts with one selected object', () => {
    const s = withPhoto();
    expect(s.objects).toHaveLength(1);
    expect(s.selectedObjectId).toBe(s.objects[0].id);
  });

  it('adds points, applies only the latest segment answer, and undoes step by step', () => {
    let s = withPhoto();
    const id = s.selectedObjectId!;
    s = O.addPoint(s, { x: 1, y: 1, positive: true }, 0);
    const seq1 = s.objects[0].segmentSeq;
    s = O.addPoint(s, { x: 0, y: 1, positive: false }, 1);
    const seq2 = s.objects[0].segmentSeq;
    expect(s.objects[0].points).toHaveLength(2);
    expect(s.objects[0].segmentingSince).toBe(1);

    // A stale answer (first click) arrives after the second click: ignored.
    s = O.applySegment(s, id, seq1, mask(1));
    expect(s.objects[0].mask).toBeNull();
    s = O.applySegment(s, id, seq2, mask(1));
    expect(s.objects[0].mask?.data[0]).toBe(1);
    expect(s.objects[0].segmentingSince).toBeNull();

    s = O.undo(s, id);
    expect(s.objects[0].points).toHaveLength(1);
    expect(s.objects[0].mask).toBeNull(); // the mask before the second click
    s = O.undo(s, id);
    expect(s.objects[0].points).toHaveLength(0);
    const again = O.undo(s, id);
    expect(again.objects[0].points).toHaveLength(0);
  });

  it('clear and import are undoable and bump the mask version', () => {
    let s = withPhoto();
    const id = s.selectedObjectId!;
    s = O.addPoint(s, { x: 1, y: 1, positive: true }, 0);
    s = O.applySegment(s, id, s.objects[0].segmentSeq, mask(1));
    const v = s.objects[0].maskVersion;
    s = O.clearObject(s, id);
    expect(s.objects[0].mask).toBeNull();
    expect(s.objects[0].maskVersion).toBe(v + 1);
    s = O.undo(s, id);
    expect(s.objects[0].points).toHaveLength(1);
    expect(s.objects[0].mask).not.toBeNull();
    s = O.importMask(s, id, { ...mask(1), source: 'import' });
    expect(s.objects[0].points).toHaveLength(0);
    expect(s.objects[0].mask?.source).toBe('import');
  });

  it('several objects: colours differ, points go to the selected one, removal reselects', () => {
    let s = withPhoto();
    s = O.addObject(s);
    const [a, b] = s.objects;
    expect(a.color).not.toBe(b.color);
    expect(s.selectedObjectId).toBe(b.id);
    s = O.addPoint(s, { x: 0, y: 0, positive: true }, 0);
    expect(s.objects[1].points).toHaveLength(1);
    expect(s.objects[0].points).toHaveLength(0);
    s = O.selectObject(s, a.id);
    s = O.addPoint(s, { x: 1, y: 0, positive: true }, 0);
    expect(s.objects[0].points).toHaveLength(1);
    s = O.removeObject(s, a.id);
    expect(s.objects.map((o) => o.id)).toEqual([b.id]);
    expect(s.selectedObjectId).toBe(b.id);
  });

  it('a click with no object creates one', () => {
    let s = withPhoto();
    s = O.removeObject(s, s.objects[0].id);
    s = O.addPoint(s, { x: 0, y: 0, positive: true }, 0);
    expect(s.objects).toHaveLength(1);
    expect(s.objects[0].points).toHaveLength(1);
  });
});

describe('runs and history', () => {
  function ready(): { s: StudioState; id: string } {
    let s = M.engineReady(withPhoto(), hello);
    const obj = s.objects[0].id;
    s = O.applySegment(O.addPoint(s, { x: 0, y: 0, positive: true }, 0), obj, 1, mask(1));
    const started = R.startRun(
      s,
      { objectId: obj, strategy: 'full', knobs: {}, seed: 7, packId: 'test', maskGuide: true },
      100,
    );
    return { s: started.state, id: started.id };
  }

  it('tracks stages from progress events and attributes unknown ids to the run in flight', () => {
    const r = ready();
    const id = r.id;
    let s = r.s;
    s = R.applyProgress(s, { runId: 'engine-xyz', stage: 'condition', step: 1, of: 2, elapsedMs: 50 });
    s = R.applyProgress(s, { runId: id, stage: 'condition', step: 2, of: 2, elapsedMs: 80 });
    s = R.applyProgress(s, { runId: id, stage: 'stage1', step: 3, of: 25, elapsedMs: 200 });
    const run = R.runById(s, id)!;
    expect(run.stages).toEqual([
      { name: 'condition', step: 2, of: 2, startMs: 0, endMs: 80 },
      { name: 'stage1', step: 3, of: 25, startMs: 80, endMs: 200 },
    ]);
    s = R.applyPreview(s, { runId: id, step: 3, res: 16, coords: new Int32Array([1, 2, 3]) });
    expect(R.runById(s, id)!.preview?.res).toBe(16);
  });

  it('a finished run becomes the object’s active run, the viewed run and is reusable', () => {
    const r = ready();
    const id = r.id;
    let s = r.s;
    s = R.finishRun(s, id, result('engine-1'), 500);
    const run = R.runById(s, id)!;
    expect(run.status).toBe('done');
    expect(run.engineRunId).toBe('engine-1');
    expect(run.preview).toBeNull();
    expect(s.objects[0].activeRunId).toBe(id);
    expect(R.viewRun(s)?.id).toBe(id);
    expect(R.sceneRuns(s).map((r) => r.id)).toEqual([id]);
    const spec = {
      objectId: s.objects[0].id,
      strategy: 'full',
      knobs: {},
      seed: 7,
      packId: 'test',
      maskGuide: true,
    };
    expect(R.findReusableRun(s, spec)?.id).toBe(id);
    expect(R.findReusableRun(s, { ...spec, seed: 8 })).toBeNull();
    // A run with the mask guide is not the run without it (and runs recorded before the switch had it on).
    expect(R.findReusableRun(s, { ...spec, maskGuide: false })).toBeNull();
    const legacy = { ...s, runs: s.runs.map((x) => ({ ...x, maskGuide: undefined })) };
    expect(R.findReusableRun(legacy, spec)?.id).toBe(id);
    // A new mask makes the old run stale.
    const s2 = O.clearObject(s, s.objects[0].id);
    expect(R.findReusableRun(s2, spec)).toBeNull();
  });

  it('failed and cancelled runs keep their state; events for finished runs are ignored', () => {
    const r = ready();
    const id = r.id;
    let s = r.s;
    s = R.failRun(s, id, 'Cancelled', true, 300);
    expect(R.runById(s, id)!.status).toBe('cancelled');
    const after = R.applyProgress(s, { runId: id, stage: 'stage2', step: 1, of: 2, elapsedMs: 1 });
    expect(after).toBe(s);
  });

  it('reopens a run from an earlier photo without an object', () => {
    const r = ready();
    const id = r.id;
    let s = r.s;
    s = R.finishRun(s, id, result('e1'), 1);
    s = O.setPhoto(s, photo()); // new photo: objects replaced, history kept
    expect(s.viewRunId).toBeNull();
    s = R.reopenRun(s, id);
    expect(s.viewRunId).toBe(id);
    expect(R.viewRun(s)?.id).toBe(id);
    s = R.removeRun(s, id);
    expect(s.runs).toHaveLength(0);
    expect(s.viewRunId).toBeNull();
  });
});

describe('knobs and compare selection', () => {
  it('overrides sit on top of the strategy defaults and reset', () => {
    let s = M.engineReady(initialState(), hello);
    expect(s.strategy).toBe('fast-sam3d');
    expect(M.effectiveKnobs(s)).toEqual({ ss_cache_stride: 3, ss_cache: true });
    s = M.setKnob(s, 'ss_cache_stride', 5);
    expect(M.effectiveKnobs(s).ss_cache_stride).toBe(5);
    s = M.setKnob(s, 'ss_cache_stride', 3); // back to the default: no override left
    expect(s.knobOverrides['fast-sam3d']).toEqual({});
    s = M.setKnob(s, 'ss_cache', false);
    s = M.resetKnobs(s);
    expect(M.effectiveKnobs(s).ss_cache).toBe(true);
    expect(M.effectiveKnobs(s, 'full')).toEqual({});
  });

  it('toggles fill A then B, remove, and roll over', () => {
    let s = initialState();
    s = M.toggleCompare(s, 'r1');
    expect(s.compare).toEqual({ a: 'r1', b: null });
    s = M.toggleCompare(s, 'r2');
    expect(s.compare).toEqual({ a: 'r1', b: 'r2' });
    s = M.toggleCompare(s, 'r3');
    expect(s.compare).toEqual({ a: 'r2', b: 'r3' });
    s = M.toggleCompare(s, 'r2');
    expect(s.compare).toEqual({ a: 'r3', b: null });
    s = M.swapCompare(M.toggleCompare(s, 'r4'));
    expect(s.compare).toEqual({ a: 'r4', b: 'r3' });
  });

  it('toasts are one line, de-duplicated and capped', () => {
    let s = initialState();
    s = M.pushToast(s, 'error', 'bad\n  thing');
    s = M.pushToast(s, 'error', 'bad thing');
    expect(s.toasts.map((t) => t.message)).toEqual(['bad thing']);
    for (let i = 0; i < 10; i++) s = M.pushToast(s, 'info', `m${i}`);
    expect(s.toasts).toHaveLength(4);
    s = M.dismissToast(s, s.toasts[0].id);
    expect(s.toasts).toHaveLength(3);
  });

  it('engine status: restarting after a crash, ready again on engine-restarted, work untouched', () => {
    let s = M.engineReady(withPhoto(), hello);
    s = O.addPoint(s, { x: 1, y: 1, positive: true }, 0);
    s = M.engineRestarting(s);
    expect(s.engine.status).toBe('restarting');
    s = M.engineRestarted(s, 'out of memory', 5);
    expect(s.engine.status).toBe('ready');
    expect(s.restart).toEqual({ reason: 'out of memory', at: 5 });
    expect(s.objects[0].points).toHaveLength(1);
    expect(s.photo?.ref.imageId).toBe('img-1');
  });

  it('seed is clamped to a non-negative 31-bit integer', () => {
    expect(M.setSeed(initialState(), -5).seed).toBe(0);
    expect(M.setSeed(initialState(), 12.7).seed).toBe(12);
    expect(M.setSeed(initialState(), NaN).seed).toBe(42);
  });
});

// Pure transitions for the photo, its objects, points, masks and undo. No DOM, no engine.
import type { Point } from '../client/api';
import { objectColor } from './colors';
import type { MaskState, Photo, Snapshot, StudioObject, StudioState } from './types';

const UNDO_LIMIT = 100;

export function selectedObject(s: StudioState): StudioObject | null {
  return s.objects.find((o) => o.id === s.selectedObjectId) ?? null;
}

function mapObject(s: StudioState, id: string, f: (o: StudioObject) => StudioObject): StudioState {
  return { ...s, objects: s.objects.map((o) => (o.id === id ? f(o) : o)) };
}

function snapshot(o: StudioObject): Snapshot {
  return { points: o.points, mask: o.mask };
}

function pushUndo(o: StudioObject): Snapshot[] {
  return [...o.undo, snapshot(o)].slice(-UNDO_LIMIT);
}

/** A new photo replaces the objects; runs stay in the history. */
export function setPhoto(s: StudioState, photo: Photo): StudioState {
  const cleared: StudioState = { ...s, photo, objects: [], selectedObjectId: null };
  return addObject(cleared);
}

export function addObject(s: StudioState): StudioState {
  const n = s.counters.object + 1;
  const obj: StudioObject = {
    id: `obj-${n}`,
    name: `Object ${n}`,
    color: objectColor(n - 1),
    points: [],
    mask: null,
    maskVersion: 0,
    undo: [],
    activeRunId: null,
    segmentSeq: 0,
    segmentingSince: null,
  };
  return {
    ...s,
    objects: [...s.objects, obj],
    selectedObjectId: obj.id,
    viewRunId: null,
    counters: { ...s.counters, object: n },
  };
}

export function removeObject(s: StudioState, id: string): StudioState {
  const objects = s.objects.filter((o) => o.id !== id);
  if (s.selectedObjectId !== id) return { ...s, objects };
  const next = objects[objects.length - 1] ?? null;
  return { ...s, objects, selectedObjectId: next?.id ?? null, viewRunId: next?.activeRunId ?? null };
}

export function selectObject(s: StudioState, id: string): StudioState {
  const o = s.objects.find((x) => x.id === id);
  return o ? { ...s, selectedObjectId: id, viewRunId: o.activeRunId } : s;
}

/** Adds a point to the selected object (creating one if needed); the caller then segments. */
export function addPoint(s: StudioState, point: Point, now: number): StudioState {
  const base = selectedObject(s) ? s : addObject(s);
  const id = base.selectedObjectId!;
  return mapObject(base, id, (o) => ({
    ...o,
    undo: pushUndo(o),
    points: [...o.points, point],
    segmentSeq: o.segmentSeq + 1,
    segmentingSince: now,
  }));
}

/** Applies a segment answer if it is for the object's latest point set. */
export function applySegment(s: StudioState, id: string, seq: number, mask: MaskState): StudioState {
  const o = s.objects.find((x) => x.id === id);
  if (!o || o.segmentSeq !== seq) return s;
  return mapObject(s, id, (x) => ({ ...x, mask, maskVersion: x.maskVersion + 1, segmentingSince: null }));
}

/** A failed segment request: stop the spinner (the caller reports the error). */
export function segmentFailed(s: StudioState, id: string, seq: number): StudioState {
  const o = s.objects.find((x) => x.id === id);
  if (!o || o.segmentSeq !== seq) return s;
  return mapObject(s, id, (x) => ({ ...x, segmentingSince: null }));
}

export function importMask(s: StudioState, id: string, mask: MaskState): StudioState {
  return mapObject(s, id, (o) => ({
    ...o,
    undo: pushUndo(o),
    points: [],
    mask,
    maskVersion: o.maskVersion + 1,
    segmentSeq: o.segmentSeq + 1,
    segmentingSince: null,
  }));
}

export function clearObject(s: StudioState, id: string): StudioState {
  return mapObject(s, id, (o) =>
    o.points.length === 0 && !o.mask
      ? o
      : {
          ...o,
          undo: pushUndo(o),
          points: [],
          mask: null,
          maskVersion: o.maskVersion + 1,
          segmentSeq: o.segmentSeq + 1,
          segmentingSince: null,
        },
  );
}

export function undo(s: StudioState, id: string): StudioState {
  return mapObject(s, id, (o) => {
    const prev = o.undo[o.undo.length - 1];
    if (!prev) return o;
    return {
      ...o,
      undo: o.undo.slice(0, -1),
      points: prev.points,
      mask: prev.mask,
      maskVersion: o.maskVersion + 1,
      segmentSeq: o.segmentSeq + 1,
      segmentingSince: null,
    };
  });
}

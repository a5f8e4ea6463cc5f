// The pipeline as a library: determinism per seed, progress reporting, cancellation.
import { afterAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../engine/errors.ts';
import { loadPack } from '../engine/pack/load.ts';
import { SessionCache } from '../engine/pack/sessions.ts';
import { runPipeline, type Progress } from '../engine/pipeline.ts';
import { SAMPLE_MASK, SAMPLE_PHOTO, TEST_PACK } from './support/paths.ts';

const pack = loadPack(TEST_PACK);
const sessions = new SessionCache(pack, { threads: 1 });
afterAll(() => sessions.dispose());
const base = { image: SAMPLE_PHOTO, mask: SAMPLE_MASK, pack, sessions };

describe('pipeline', () => {
  it('is deterministic for a seed and differs across seeds', async () => {
    const a = await runPipeline({ ...base, seed: 3 });
    const b = await runPipeline({ ...base, seed: 3 });
    const c = await runPipeline({ ...base, seed: 4 });
    expect(a.mesh.faces.length).toBeGreaterThan(0);
    expect(Buffer.from(a.mesh.vertices.buffer).equals(Buffer.from(b.mesh.vertices.buffer))).toBe(true);
    expect(Array.from(a.mesh.faces)).toEqual(Array.from(b.mesh.faces));
    expect(a.report.pose).toEqual(b.report.pose);
    expect(Array.from(c.slat.subarray(0, 16))).not.toEqual(Array.from(a.slat.subarray(0, 16)));
  });

  it('reports progress per stage up to every step', async () => {
    const seen: Progress[] = [];
    const r = await runPipeline({ ...base, onProgress: (p) => seen.push(p) });
    const stages = [...new Set(seen.map((p) => p.stage))];
    expect(stages).toEqual(['preprocess', 'condition', 'stage1', 'stage2', 'decode']);
    const s1 = seen.filter((p) => p.stage === 'stage1');
    expect(s1.map((p) => p.step)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(s1.every((p) => p.of === 25)).toBe(true);
    expect(r.report.evaluations).toEqual({ stage1: 44, stage2: 38 });
    expect(r.report.tokens.voxels).toBe(r.coords.length / 3);
  });

  it('reports the silhouette IoU with the camera it used (default field of view, or an override)', async () => {
    const a = await runPipeline({ ...base });
    expect(a.report.silhouette.fovSource).toBe('default');
    expect(a.report.silhouette.fovDeg).toBe(60);
    expect(a.report.silhouette.iou).toBeGreaterThanOrEqual(0);
    expect(a.report.silhouette.iou).toBeLessThanOrEqual(1);
    const b = await runPipeline({ ...base, fovDeg: 30 });
    expect(b.report.silhouette).toMatchObject({ fovSource: 'override', fovDeg: 30 });
    // (The values themselves are checked on analytic scenes in engine/metrics/silhouette.test.ts; the
    // test pack's random layout puts the camera next to a huge object, so here both cover the frame.)
  });

  it('stops with CancelledError when aborted mid stage 2', async () => {
    const ac = new AbortController();
    const run = runPipeline({
      ...base,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.stage === 'stage2' && p.step === 5) ac.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    // The shared sessions survive a cancelled run.
    const again = await runPipeline({ ...base });
    expect(again.mesh.faces.length).toBeGreaterThan(0);
  });
});

// End to end with a depth stage: the test pack plus the tiny depth graph (resources/fixtures/depth-tiny).
// The run must feed pointmaps with weight 1, report MoGe-style intrinsics, and decode the pose with the
// pointmap's scene scale and shift (translation = σ·t + shift, scale = σ·mean(exp s)·downsample).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPack } from '../engine/pack/load.ts';
import type { StageName } from '../engine/pack/manifest.ts';
import { SessionCache } from '../engine/pack/sessions.ts';
import { runPipeline } from '../engine/pipeline.ts';
import { SAMPLE_MASK, SAMPLE_PHOTO, TEST_PACK } from './support/paths.ts';

const FIX = path.resolve(__dirname, '../resources/fixtures/depth-tiny');
const tiny = JSON.parse(readFileSync(path.join(FIX, 'stage.json'), 'utf8'));

class RecordingSessions extends SessionCache {
  weights: number[] = [];
  pointmapFinite = 0;
  override async run(stage: StageName, feeds: Record<string, ort.Tensor>) {
    if (stage === 'ss_condition') {
      this.weights.push((feeds.pointmap_weight.data as Float32Array)[0]);
      for (const v of feeds.pointmap_crop.data as Float32Array)
        if (Number.isFinite(v) && v !== 0) this.pointmapFinite++;
    }
    return super.run(stage, feeds);
  }
}

function packWithDepth(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fsam3d-depth-pack-'));
  cpSync(TEST_PACK, dir, { recursive: true });
  cpSync(path.join(FIX, 'depth.onnx'), path.join(dir, 'depth.onnx'));
  const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  m.depth = tiny.depth;
  m.stages.depth = tiny.stage;
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m, null, 2));
  return dir;
}

describe('pipeline with a depth stage', async () => {
  const dir = packWithDepth();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const pack = loadPack(dir);

  const run = async (p: typeof pack) => {
    const sessions = new RecordingSessions(p, { threads: 1 });
    const latents = new Map<string, Float32Array>();
    const stages: string[] = [];
    const warnings: string[] = [];
    const r = await runPipeline({
      image: SAMPLE_PHOTO,
      mask: SAMPLE_MASK,
      pack: p,
      sessions,
      seed: 3,
      layoutFit: false, // the pose exactly as decoded (the layout fit would move it)
      onProgress: (pr) => stages.push(pr.stage),
      onWarning: (w) => warnings.push(w),
      onArtifact: (name, data) => {
        if (name.startsWith('ss_latent.')) latents.set(name.slice(10), data as Float32Array);
      },
    });
    await sessions.dispose();
    return { r, sessions, latents, stages, warnings };
  };
  const withDepth = await run(pack);
  const without = await run(loadPack(TEST_PACK));

  it('runs the depth stage and feeds the pointmaps with weight 1', () => {
    expect(withDepth.sessions.weights).toEqual([1]);
    expect(withDepth.sessions.pointmapFinite).toBeGreaterThan(0);
    expect(without.sessions.weights).toEqual([0]);
    expect(withDepth.stages).toContain('depth');
    expect(withDepth.r.report.timings.map((t) => t.name).slice(0, 2)).toEqual(['preprocess', 'depth']);
    expect(withDepth.r.report.provider.used.depth).toBe('cpu');
    expect(withDepth.warnings).toEqual([]);
  });

  it('recovers the synthetic camera and reports MoGe intrinsics', () => {
    const d = withDepth.r.report.depth!;
    const K = withDepth.r.report.intrinsics!;
    const { focal, shift } = tiny.truth;
    expect(d.shift).toBeCloseTo(shift, 1);
    expect(d.focal).toBeCloseTo(focal, 1);
    const [W, H] = [96, 72];
    const a = W / H;
    expect(K[0][0]).toBeCloseTo(((d.focal / 2) * Math.sqrt(1 + a * a)) / a, 5);
    expect(K[1][1]).toBeCloseTo((d.focal / 2) * Math.sqrt(1 + a * a), 5);
    expect([K[0][2], K[1][2], K[2]]).toEqual([0.5, 0.5, [0, 0, 1]]);
    expect(d.grid).toEqual([
      Math.trunc(H * Math.sqrt((300 * 196) / (H * W))),
      Math.trunc(W * Math.sqrt((300 * 196) / (H * W))),
    ]);
    // The scene is in front of the camera (z ≈ 2 m): the normalisation shift is its object median.
    expect(d.sceneShift[2]).toBeGreaterThan(1.5);
    expect(d.sceneShift[2]).toBeLessThan(2.5);
    expect(d.sceneScale).toBeGreaterThan(0);
    expect(without.r.report.intrinsics).toBeUndefined();
    expect(without.r.report.depth).toBeUndefined();
  });

  it('decodes the pose with the scene scale and shift', () => {
    const { r, latents } = withDepth;
    const d = r.report.depth!;
    const t = latents.get('translation')!;
    const s = latents.get('scale')!;
    for (let i = 0; i < 3; i++)
      expect(r.pose.translation[i]).toBeCloseTo(d.sceneScale * t[i] + d.sceneShift[i], 5);
    const mean = (Math.exp(s[0]) + Math.exp(s[1]) + Math.exp(s[2])) / 3;
    expect(r.pose.scale).toBeCloseTo(d.sceneScale * mean * r.report.voxels.downsampleFactor, 5);
    // Without depth the pose stays in normalised units: σ = 1, shift = 0.
    const t0 = without.latents.get('translation')!;
    for (let i = 0; i < 3; i++) expect(without.r.pose.translation[i]).toBeCloseTo(t0[i], 5);
    expect(r.pose.translation[2]).not.toBeCloseTo(without.r.pose.translation[2], 2);
  });
});

// Our GLBs in Blender 3.4 (Debian's `blender`, headless, stock glTF importer): upright (+Z up in
// Blender), vertex colours imported, the expected size in metres.
//
// Frames: the canonical mesh is z-up; the GLB is y-up ((x, y, z) ↦ (x, z, −y)); Blender's importer turns
// glTF y-up into its +Z up ((x, y, z) ↦ (x, −z, y)). So a canonical point must land in Blender at the
// same (x, y, z). A box that is tall along canonical z, off-centre in x and y and red on top / blue at
// the bottom makes that unambiguous: lying down, upside down or mirrored all change its bounding box or
// which colour is on top.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeGlb, Z_UP_TO_Y_UP, type ExportMesh } from '../engine/export/index.ts';
import { exportGlb } from '../engine/host/export.ts';
import { runPipeline } from '../engine/pipeline.ts';
import { atomicWrite } from '../engine/export/atomic-write.ts';
import { ALLOW_MISSING, REPO } from './harness.ts';

const BLENDER = process.env.FSAM3D_BLENDER || 'blender';
const SCRIPT = path.join(REPO, 'e2e', 'blender_inspect.py');

function blenderProblem(): string | null {
  const r = spawnSync(BLENDER, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status === 0 && /Blender \d/.test(r.stdout)) return null;
  return (
    `e2e: Blender not runnable as \`${BLENDER}\` (${r.error?.message ?? `exit ${r.status}`}). ` +
    'Install it (Debian: apt-get install -y blender) or set FSAM3D_BLENDER=/path/to/blender.'
  );
}

type Inspected = {
  mesh_objects: number;
  vertices: number;
  bbox_min: number[];
  bbox_max: number[];
  dimensions: number[];
  color_attributes: { name: string; domain: string; data_type: string }[];
  vertex_colors_legacy: string[];
  top_color?: number[];
  bottom_color?: number[];
  color_spread?: number[];
  material_uses_vertex_color: boolean;
  numpy_bool_shim: boolean;
};

function inspectInBlender(files: string[]): { blender: string; files: Inspected[] } {
  const r = spawnSync(
    BLENDER,
    ['-b', '--factory-startup', '-noaudio', '--python-exit-code', '3', '--python', SCRIPT, '--', ...files],
    { encoding: 'utf8', timeout: 120_000 },
  );
  const line = r.stdout.split('\n').find((l) => l.startsWith('FSAM3D_JSON '));
  if (r.status !== 0 || !line)
    throw new Error(`blender failed (exit ${r.status}):\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  return JSON.parse(line.slice('FSAM3D_JSON '.length));
}

/** Box x ∈ [0, 0.2], y ∈ [0, 0.3], z ∈ [−0.5, 0.5] (canonical, z-up); top corners red, bottom blue. */
function tallBox(): ExportMesh {
  const X = [0, 0.2];
  const Y = [0, 0.3];
  const Z = [-0.5, 0.5];
  const v: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < 8; i++) {
    const top = (i >> 2) & 1;
    v.push(X[i & 1], Y[(i >> 1) & 1], Z[top]);
    c.push(top, 0, 1 - top);
  }
  // prettier-ignore
  const f = [
    0, 2, 1, 1, 2, 3,  4, 5, 6, 5, 7, 6,  0, 1, 4, 1, 5, 4,
    2, 6, 3, 3, 6, 7,  0, 4, 2, 2, 4, 6,  1, 3, 5, 3, 7, 5,
  ];
  return { vertices: new Float32Array(v), faces: new Uint32Array(f), colors: new Float32Array(c) };
}

function bounds(v: Float32Array): { min: number[]; max: number[] } {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < v.length; i += 3)
    for (let k = 0; k < 3; k++) {
      min[k] = Math.min(min[k], v[i + k]);
      max[k] = Math.max(max[k], v[i + k]);
    }
  return { min, max };
}

const problem = blenderProblem();
const describeBlender = problem && ALLOW_MISSING ? describe.skip : describe;

describeBlender(`GLB in Blender 3.4${problem && ALLOW_MISSING ? ` (skipped: ${problem})` : ''}`, () => {
  let dir: string;
  let box: Inspected;
  let run: Inspected;
  let runBounds: { min: number[]; max: number[] };
  let version: string;

  beforeAll(async () => {
    if (problem) throw new Error(problem); // CI installs Blender: a missing one is a failure there
    dir = mkdtempSync(path.join(os.tmpdir(), 'fsam3d-e2e-blender-'));
    // 1. The box through the engine's GLB writer (what `fsam3d run --out` writes).
    const boxGlb = path.join(dir, 'box.glb');
    await writeGlb(boxGlb, tallBox(), { zUpToYUp: Z_UP_TO_Y_UP });
    // 2. A real run of the bundled test pack, exported the way the studio exports a shown object.
    const sample = path.join(REPO, 'resources', 'samples', 'test');
    const r = await runPipeline({
      image: path.join(sample, 'photo.png'),
      mask: path.join(sample, 'mask.png'),
      pack: path.join(REPO, 'resources', 'packs', 'test'),
      seed: 42,
    });
    runBounds = bounds(r.mesh.vertices);
    const runGlb = path.join(dir, 'run.glb');
    await atomicWrite(runGlb, await exportGlb([{ name: 'sample', mesh: r.mesh, pose: r.pose }], false));
    const out = inspectInBlender([boxGlb, runGlb]);
    version = out.blender;
    [box, run] = out.files;
    if (box.numpy_bool_shim)
      console.warn(
        `Blender ${version}: its glTF importer needed the np.bool shim (numpy ≥ 1.24 with the 3.4 importer, ` +
          'KhronosGroup/glTF-Blender-IO#1844); users of this Blender must import with Shading: Flat or Smooth',
      );
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is Blender 3.x with one mesh object per file', () => {
    expect(version).toMatch(/^3\./);
    expect(box.mesh_objects).toBe(1);
    expect(run.mesh_objects).toBe(1);
  });

  it('the tall box stands upright along Blender +Z, 1 m tall, not mirrored, red on top', () => {
    const close = (a: number[], b: number[]) => a.forEach((x, i) => expect(x).toBeCloseTo(b[i], 4));
    close(box.dimensions, [0.2, 0.3, 1.0]);
    close(box.bbox_min, [0, 0, -0.5]);
    close(box.bbox_max, [0.2, 0.3, 0.5]);
    expect(box.top_color![0]).toBeGreaterThan(0.9); // red
    expect(box.top_color![2]).toBeLessThan(0.1);
    expect(box.bottom_color![2]).toBeGreaterThan(0.9); // blue
    expect(box.bottom_color![0]).toBeLessThan(0.1);
  });

  it('the test-pack mesh keeps its canonical frame and size and has vertex colours', () => {
    // Same bounding box as the canonical z-up mesh: upright, unmirrored, metres.
    run.bbox_min.forEach((x, i) => expect(x).toBeCloseTo(runBounds.min[i], 3));
    run.bbox_max.forEach((x, i) => expect(x).toBeCloseTo(runBounds.max[i], 3));
    const longest = Math.max(...run.dimensions);
    expect(longest).toBeGreaterThan(0.3); // the canonical object spans most of the 1 m unit cube
    expect(longest).toBeLessThanOrEqual(1.001);
    expect(run.color_attributes.length + run.vertex_colors_legacy.length).toBeGreaterThan(0);
    expect(Math.max(...run.color_spread!)).toBeGreaterThan(0.05); // real colours, not one flat value
    expect(run.material_uses_vertex_color).toBe(true);
  });
});

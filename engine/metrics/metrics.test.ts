import { describe, expect, it } from 'vitest';
import { Rng } from '../sampling/rng.ts';
import { boxMesh, icosphere, zPose } from './test-shapes.ts';
import {
  compareMeshes,
  fScoreFromDistances,
  isClosed,
  normalizePair,
  orientedBoxIoU,
  pairDistances,
  poseBoxIoU,
  sampleSurface,
  unitCubeSimilarity,
  voxelIoU,
  voxelizeSolid,
  unionGrid,
  KdTree,
  type OrientedBox,
  type TriMesh,
} from './index.ts';

const unitCube = (): OrientedBox => ({
  center: [0, 0, 0],
  halfAxes: [
    [0.5, 0, 0],
    [0, 0.5, 0],
    [0, 0, 0.5],
  ],
});

/** Two spheres of radius r, centres d apart: ∫ over u = cos θ (uniform on [−1, 1]) of the surface gap. */
function sphereGap(r: number, d: number, tau: number) {
  const n = 100000;
  let l1 = 0,
    l2 = 0;
  for (let i = 0; i < n; i++) {
    const u = -1 + (2 * (i + 0.5)) / n;
    const g = Math.abs(Math.sqrt(r * r + d * d - 2 * r * d * u) - r);
    l1 += g;
    l2 += g * g;
  }
  // |s − r| < τ  ⇔  u in an interval (s² = r² + d² − 2rdu); its share of [−1, 1].
  const lo = (r * r + d * d - (r + tau) ** 2) / (2 * r * d),
    hi = (r * r + d * d - (r - tau) ** 2) / (2 * r * d);
  const within = (100 * (Math.min(1, hi) - Math.max(-1, lo))) / 2;
  const lens = (Math.PI * (4 * r + d) * (2 * r - d) ** 2) / 12;
  const ball = (4 / 3) * Math.PI * r ** 3;
  return { cdL1: l1 / n, cdL2: l2 / n, within, vIoU: lens / (2 * ball - lens) };
}

describe('sampling', () => {
  it('is deterministic per seed and stays on the surface', () => {
    const s = icosphere(2, 2);
    const a = sampleSurface(s, 500, 7),
      b = sampleSurface(s, 500, 7),
      c = sampleSurface(s, 500, 8);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (let i = 0; i < 500; i++) {
      const r = Math.hypot(a[3 * i], a[3 * i + 1], a[3 * i + 2]);
      expect(r).toBeLessThanOrEqual(2 + 1e-6);
      expect(r).toBeGreaterThan(1.9);
    }
  });

  it('is area-weighted: a 3×1 and a 1×1 square get samples ∝ area', () => {
    const m: TriMesh = {
      vertices: [0, 0, 0, 3, 0, 0, 3, 1, 0, 0, 1, 0, 10, 0, 0, 11, 0, 0, 11, 1, 0, 10, 1, 0],
      faces: [0, 1, 2, 0, 2, 3, 4, 5, 6, 4, 6, 7],
    };
    const p = sampleSurface(m, 8000, 1);
    let big = 0;
    for (let i = 0; i < 8000; i++) if (p[3 * i] < 5) big++;
    expect(big / 8000).toBeCloseTo(0.75, 1);
  });
});

describe('nearest neighbours', () => {
  it('k-d tree matches brute force', () => {
    const rng = new Rng(3);
    const pts = Array.from({ length: 3 * 700 }, () => rng.uniform());
    const tree = new KdTree(pts);
    for (let q = 0; q < 100; q++) {
      const [x, y, z] = [rng.uniform() * 1.4 - 0.2, rng.uniform(), rng.uniform()];
      let best = Infinity;
      for (let i = 0; i < 700; i++)
        best = Math.min(best, (pts[3 * i] - x) ** 2 + (pts[3 * i + 1] - y) ** 2 + (pts[3 * i + 2] - z) ** 2);
      expect(tree.nearestSq(x, y, z)).toBe(best);
    }
  });
});

describe('compareMeshes', () => {
  it('identical meshes: CD 0, F1 100, vIoU 1', () => {
    const s = icosphere(3, 1.3, [0.2, -0.1, 0.4]);
    const r = compareMeshes(s, s, { samples: 4000 });
    expect(r).toMatchObject({
      cdL1: 0,
      cdL2: 0,
      f1: 100,
      precision: 100,
      recall: 100,
      vIoU: 1,
      vIoUMode: 'solid',
    });
  });

  it('offset unit spheres match the analytic chamfer, F-score and lens-volume IoU', () => {
    const d = 0.5;
    const a = icosphere(4, 1, [0, 0, 0]),
      b = icosphere(4, 1, [d, 0, 0]);
    const L = unitCubeSimilarity(b.vertices).size; // reference longest side: all lengths are divided by it
    const want = sphereGap(1 / L, d / L, 0.05);
    const r = compareMeshes(a, b, { samples: 20000 });
    expect(r.cdL1).toBeGreaterThan(want.cdL1 * 0.97);
    expect(r.cdL1).toBeLessThan(want.cdL1 * 1.03);
    expect(r.cdL2).toBeGreaterThan(want.cdL2 * 0.97);
    expect(r.cdL2).toBeLessThan(want.cdL2 * 1.03);
    expect(Math.abs(r.precision - want.within)).toBeLessThan(1.5);
    expect(Math.abs(r.recall - want.within)).toBeLessThan(1.5);
    expect(r.vIoUMode).toBe('solid');
    expect(Math.abs(r.vIoU - want.vIoU)).toBeLessThan(0.01);
  });

  it('F1 is monotone in τ', () => {
    const [na, nb] = normalizePair(icosphere(3, 1), icosphere(3, 1.1, [0.3, 0, 0]));
    const { dAB, dBA } = pairDistances(sampleSurface(na, 3000, 0), sampleSurface(nb, 3000, 0));
    let prev = -1;
    for (const tau of [0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 2]) {
      const f = fScoreFromDistances(dAB, dBA, tau).f1;
      expect(f).toBeGreaterThanOrEqual(prev);
      prev = f;
    }
    expect(fScoreFromDistances(dAB, dBA, 0).f1).toBe(0);
    expect(prev).toBe(100);
  });

  it('is deterministic per seed', () => {
    const a = icosphere(2, 1),
      b = icosphere(2, 1, [0.2, 0, 0]);
    const r1 = compareMeshes(a, b, { samples: 2000, seed: 5 });
    expect(compareMeshes(a, b, { samples: 2000, seed: 5 })).toEqual(r1);
    expect(compareMeshes(a, b, { samples: 2000, seed: 6 }).cdL1).not.toBe(r1.cdL1);
  });

  it('reference normalisation keeps scale drift; independent removes it', () => {
    const a = icosphere(2, 2),
      b = icosphere(2, 1);
    expect(compareMeshes(a, b, { samples: 2000 }).cdL1).toBeGreaterThan(0.2); // radii 1 vs 0.5 after /2
    expect(compareMeshes(a, b, { samples: 2000, normalization: 'independent' }).cdL1).toBeLessThan(1e-6);
  });
});

describe('voxel IoU', () => {
  it('fills every centre of a grid-filling cube (rays through shared diagonals counted once)', () => {
    const [c] = normalizePair(boxMesh([-1, -1, -1], [1, 1, 1]), boxMesh([-1, -1, -1], [1, 1, 1]));
    const occ = voxelizeSolid(c, unionGrid(c, c, 64));
    expect(occ.reduce((s, x) => s + x, 0)).toBe(64 ** 3);
  });

  it('solid sphere volume matches 4/3 π r³', () => {
    const s = icosphere(4, 0.5);
    const g = unionGrid(s, s, 64);
    const n = voxelizeSolid(s, g).reduce((acc, x) => acc + x, 0);
    expect((n * g.voxel ** 3) / ((4 / 3) * Math.PI * 0.125)).toBeCloseTo(1, 1);
  });

  it('a second, inner shell (FlexiCubes on a surface band) leaves the solid unchanged; an open cavity stays empty', () => {
    const outer = icosphere(4, 0.5);
    const inner = icosphere(3, 0.44);
    const both = {
      vertices: Float32Array.from([...Array.from(outer.vertices), ...Array.from(inner.vertices)]),
      faces: Uint32Array.from([
        ...Array.from(outer.faces),
        ...Array.from(inner.faces, (f) => f + outer.vertices.length / 3),
      ]),
    };
    const g = unionGrid(outer, outer, 64);
    const count = (a: Uint8Array) => a.reduce((acc, x) => acc + x, 0);
    const single = voxelizeSolid(outer, g);
    const double = voxelizeSolid(both, g);
    let differ = 0;
    for (let i = 0; i < single.length; i++) differ += single[i] ^ double[i];
    expect(differ / count(single)).toBeLessThan(0.01);
    expect(voxelIoU(outer, both).iou).toBeGreaterThan(0.99);
    // A U of three touching boxes: the gap between its arms is open to the outside and must stay empty.
    const u = [
      boxMesh([0, 0, 0], [1, 1, 0.3]),
      boxMesh([0, 0, 0.3], [0.25, 1, 1]),
      boxMesh([0.75, 0, 0.3], [1, 1, 1]),
    ];
    const merged = {
      vertices: Float32Array.from(u.flatMap((m) => Array.from(m.vertices))),
      faces: Uint32Array.from(u.flatMap((m, k) => Array.from(m.faces, (f) => f + 8 * k))),
    };
    const gu = unionGrid(merged, merged, 64);
    const vol = count(voxelizeSolid(merged, gu)) * gu.voxel ** 3;
    expect(vol).toBeCloseTo(0.3 + 2 * 0.25 * 0.7, 1); // the open gap between the arms stays empty
  });

  it('translated boxes: IoU 0.75/1.25', () => {
    const r = voxelIoU(boxMesh([0.25, 0, 0], [1.25, 1, 1]), boxMesh([0, 0, 0], [1, 1, 1]));
    expect(r.mode).toBe('solid');
    expect(Math.abs(r.iou - 0.6)).toBeLessThan(0.02);
  });

  it('open meshes fall back to surface voxels', () => {
    const s = icosphere(2, 1);
    const f = Array.from(s.faces);
    const keep: number[] = [];
    for (let t = 0; t < f.length; t += 3) {
      const z = s.vertices[3 * f[t] + 2] + s.vertices[3 * f[t + 1] + 2] + s.vertices[3 * f[t + 2] + 2];
      if (z > 0) keep.push(f[t], f[t + 1], f[t + 2]);
    }
    const dome: TriMesh = { vertices: s.vertices, faces: keep };
    expect(isClosed(s)).toBe(true);
    expect(isClosed(dome)).toBe(false);
    const r = compareMeshes(dome, dome, { samples: 1000 });
    expect(r.vIoUMode).toBe('surface');
    expect(r.vIoU).toBe(1);
  });
});

describe('oriented box IoU', () => {
  it('identical boxes: 1', () => {
    expect(orientedBoxIoU(unitCube(), unitCube())).toBeCloseTo(1, 12);
    const m = boxMesh([0, 0, 0], [1, 2, 3]);
    expect(poseBoxIoU(m, zPose(0.7, [1, 2, 3], 1.5), m, zPose(0.7, [1, 2, 3], 1.5))).toBeCloseTo(1, 12);
  });

  it('45° about z: 1/√2', () => {
    const m = boxMesh([-0.5, -0.5, -0.5], [0.5, 0.5, 0.5]);
    expect(poseBoxIoU(m, zPose(Math.PI / 4), m, zPose(0))).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('translated, nested and disjoint boxes', () => {
    const m = boxMesh([0, 0, 0], [1, 1, 1]); // off-centre canonical box: its centre is posed too
    expect(poseBoxIoU(m, zPose(0, [0.5, 0, 0]), m, zPose(0))).toBeCloseTo(1 / 3, 12);
    expect(poseBoxIoU(m, zPose(0, [0.5, 0.5, 0.5]), m, zPose(0))).toBeCloseTo(1 / 15, 12);
    expect(poseBoxIoU(m, zPose(0, [0.25, 0.25, 0.25], 0.5), m, zPose(0))).toBeCloseTo(1 / 8, 12);
    expect(poseBoxIoU(m, zPose(0.3, [3, 0, 0]), m, zPose(0))).toBe(0);
  });

  it('general rotation agrees with Monte Carlo and is symmetric', () => {
    const rot = (ax: number[], ang: number): number[] => {
      const [x, y, z] = ax.map((v) => v / Math.hypot(...ax)),
        c = Math.cos(ang),
        s = Math.sin(ang),
        t = 1 - c;
      // Row-vector form (transpose of the column-vector Rodrigues matrix).
      return [
        t * x * x + c,
        t * x * y + s * z,
        t * x * z - s * y,
        t * x * y - s * z,
        t * y * y + c,
        t * y * z + s * x,
        t * x * z + s * y,
        t * y * z - s * x,
        t * z * z + c,
      ];
    };
    const R = rot([1, 2, 0.5], 0.9);
    const half = [0.72, 0.32, 0.3];
    const a: OrientedBox = {
      center: [0.2, -0.1, 0.15],
      halfAxes: [0, 1, 2].map((k) => [0, 1, 2].map((j) => half[k] * R[3 * k + j])) as OrientedBox['halfAxes'],
    };
    const b = unitCube();
    const iou = orientedBoxIoU(a, b);
    expect(orientedBoxIoU(b, a)).toBeCloseTo(iou, 10);
    // Monte Carlo over b: fraction of b inside a gives |a∩b|.
    const rng = new Rng(11);
    const inv = (p: number[]): boolean =>
      a.halfAxes.every((h) => {
        const hh = h[0] * h[0] + h[1] * h[1] + h[2] * h[2];
        const dp =
          ((p[0] - a.center[0]) * h[0] + (p[1] - a.center[1]) * h[1] + (p[2] - a.center[2]) * h[2]) / hh;
        return Math.abs(dp) <= 1;
      });
    let hit = 0;
    const n = 100000;
    for (let i = 0; i < n; i++)
      if (inv([rng.uniform() - 0.5, rng.uniform() - 0.5, rng.uniform() - 0.5])) hit++;
    const inter = hit / n;
    const va = 8 * half[0] * half[1] * half[2];
    expect(Math.abs(iou - inter / (1 + va - inter))).toBeLessThan(0.01);
  });
});

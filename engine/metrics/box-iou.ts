// Exact 3D IoU of two oriented boxes: box A (a convex polyhedron) is clipped by the 6 face planes of
// box B, and the volume of the result is summed as pyramids from an interior point to each face.
import type { Pose } from '../geometry/pose.ts';
import type { Vec3 } from './types.ts';
import { bbox } from './normalize.ts';

/** centre + three edge half-vectors; corners are centre ± h0 ± h1 ± h2 (need not be orthogonal). */
export interface OrientedBox {
  center: Vec3;
  halfAxes: [Vec3, Vec3, Vec3];
}

interface Face {
  pts: Vec3[];
  /** Unit outward normal. */
  n: Vec3;
}

const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const unit = (a: Vec3): Vec3 => {
  const l = Math.hypot(a[0], a[1], a[2]);
  return l > 0 ? [a[0] / l, a[1] / l, a[2] / l] : [0, 0, 0];
};

export function boxVolume(b: OrientedBox): number {
  return 8 * Math.abs(dot(b.halfAxes[0], cross(b.halfAxes[1], b.halfAxes[2])));
}

function corner(b: OrientedBox, s0: number, s1: number, s2: number): Vec3 {
  const [h0, h1, h2] = b.halfAxes;
  return [0, 1, 2].map((k) => b.center[k] + s0 * h0[k] + s1 * h1[k] + s2 * h2[k]) as Vec3;
}

function boxFaces(b: OrientedBox): Face[] {
  const faces: Face[] = [];
  for (let ax = 0; ax < 3; ax++) {
    const u = (ax + 1) % 3;
    for (const s of [-1, 1]) {
      const sg = (k: number, su: number, sw: number): number => (k === ax ? s : k === u ? su : sw);
      const pts: Vec3[] = [
        [-1, -1],
        [1, -1],
        [1, 1],
        [-1, 1],
      ].map(([su, sw]) => corner(b, sg(0, su, sw), sg(1, su, sw), sg(2, su, sw)));
      // Outward: the face normal pointing away from the box centre.
      let n = unit(cross(sub(pts[1], pts[0]), sub(pts[3], pts[0])));
      if (dot(n, sub(pts[0], b.center)) < 0) n = [-n[0], -n[1], -n[2]];
      faces.push({ pts, n });
    }
  }
  return faces;
}

/** Keep the part of the convex polyhedron with n·p ≤ d; adds the cap face on the plane. */
function clip(faces: Face[], n: Vec3, d: number, eps: number): Face[] {
  let outside = false,
    inside = false;
  for (const f of faces)
    for (const p of f.pts) {
      const s = dot(n, p) - d;
      if (s > eps) outside = true;
      else inside = true;
    }
  // Untouched, or nothing left. Skipping the no-op case also avoids a duplicate cap on a shared face.
  if (!outside) return faces;
  if (!inside) return [];
  const out: Face[] = [];
  const cap: Vec3[] = [];
  for (const f of faces) {
    const pts: Vec3[] = [];
    for (let i = 0; i < f.pts.length; i++) {
      const p = f.pts[i],
        q = f.pts[(i + 1) % f.pts.length];
      const sp = dot(n, p) - d,
        sq = dot(n, q) - d;
      if (sp <= eps) {
        pts.push(p);
        if (sp >= -eps) cap.push(p);
      }
      if (sp <= eps !== sq <= eps && Math.abs(sp - sq) > 0) {
        const t = sp / (sp - sq);
        const x: Vec3 = [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]), p[2] + t * (q[2] - p[2])];
        pts.push(x);
        cap.push(x);
      }
    }
    if (pts.length >= 3) out.push({ pts, n: f.n });
  }
  if (cap.length >= 3) {
    // Order the cap's points by angle around their centroid within the plane.
    const c = cap
      .reduce<Vec3>((s, p) => [s[0] + p[0], s[1] + p[1], s[2] + p[2]], [0, 0, 0])
      .map((x) => x / cap.length) as Vec3;
    const e1 = unit(Math.abs(n[0]) < 0.9 ? cross(n, [1, 0, 0]) : cross(n, [0, 1, 0]));
    const e2 = cross(n, e1);
    const ang = (p: Vec3): number => Math.atan2(dot(sub(p, c), e2), dot(sub(p, c), e1));
    out.push({ pts: cap.sort((p, q) => ang(p) - ang(q)), n });
  }
  return out;
}

/** Volume of a convex polyhedron: Σ area(face) · dist(interior point, face plane) / 3. Orientation-free. */
function convexVolume(faces: Face[]): number {
  const all = faces.flatMap((f) => f.pts);
  if (all.length < 4) return 0;
  const c = all
    .reduce<Vec3>((s, p) => [s[0] + p[0], s[1] + p[1], s[2] + p[2]], [0, 0, 0])
    .map((x) => x / all.length) as Vec3;
  let vol = 0;
  for (const f of faces) {
    let area: Vec3 = [0, 0, 0];
    for (let i = 1; i + 1 < f.pts.length; i++) {
      const t = cross(sub(f.pts[i], f.pts[0]), sub(f.pts[i + 1], f.pts[0]));
      area = [area[0] + t[0], area[1] + t[1], area[2] + t[2]];
    }
    const a = 0.5 * Math.hypot(area[0], area[1], area[2]);
    vol += (a * Math.abs(dot(f.n, sub(f.pts[0], c)))) / 3;
  }
  return vol;
}

/** Volume of the intersection of two oriented boxes. */
export function boxIntersectionVolume(a: OrientedBox, b: OrientedBox): number {
  const scale = Math.max(...a.halfAxes.flat().map(Math.abs), ...b.halfAxes.flat().map(Math.abs), 1e-30);
  const eps = 1e-12 * scale;
  let poly = boxFaces(a);
  for (const f of boxFaces(b)) {
    poly = clip(poly, f.n, dot(f.n, f.pts[0]), eps);
    if (poly.length === 0) return 0;
  }
  return convexVolume(poly);
}

/** IoU of two oriented boxes; 0 when both are degenerate (no volume). */
export function orientedBoxIoU(a: OrientedBox, b: OrientedBox): number {
  const inter = boxIntersectionVolume(a, b);
  const union = boxVolume(a) + boxVolume(b) - inter;
  return union > 0 ? Math.min(1, Math.max(0, inter / union)) : 0;
}

/**
 * The mesh's canonical axis-aligned bbox carried into the scene by its pose (p ↦ p·scale·R + t, row
 * vectors as in geometry/pose.ts): centre c ↦ c·sR + t, half-axis h_k e_k ↦ h_k s (row k of R).
 */
export function posedBox(vertices: ArrayLike<number>, pose: Pose): OrientedBox {
  const { min, max } = bbox(vertices);
  const R = pose.rotation,
    s = pose.scale,
    t = pose.translation;
  const c = [0, 1, 2].map((k) => (min[k] + max[k]) / 2) as Vec3;
  const center = [0, 1, 2].map((j) => s * (c[0] * R[j] + c[1] * R[3 + j] + c[2] * R[6 + j]) + t[j]) as Vec3;
  const halfAxes = [0, 1, 2].map((k) => {
    const h = (s * (max[k] - min[k])) / 2;
    return [h * R[3 * k], h * R[3 * k + 1], h * R[3 * k + 2]] as Vec3;
  }) as [Vec3, Vec3, Vec3];
  return { center, halfAxes };
}

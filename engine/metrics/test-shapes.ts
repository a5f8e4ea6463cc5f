// Analytic test shapes for the metrics tests (not used by the engine).
import type { Pose } from '../geometry/pose.ts';
import { matrixToQuaternion } from '../geometry/pose.ts';
import type { TriMesh, Vec3 } from './types.ts';

/** Icosphere: icosahedron subdivided `level` times, vertices projected onto the sphere. Outward CCW. */
export function icosphere(level: number, radius = 1, center: Vec3 = [0, 0, 0]): TriMesh {
  const t = (1 + Math.sqrt(5)) / 2;
  let verts: Vec3[] = [
    [-1, t, 0],
    [1, t, 0],
    [-1, -t, 0],
    [1, -t, 0],
    [0, -1, t],
    [0, 1, t],
    [0, -1, -t],
    [0, 1, -t],
    [t, 0, -1],
    [t, 0, 1],
    [-t, 0, -1],
    [-t, 0, 1],
  ];
  let faces = [
    0, 11, 5, 0, 5, 1, 0, 1, 7, 0, 7, 10, 0, 10, 11, 1, 5, 9, 5, 11, 4, 11, 10, 2, 10, 7, 6, 7, 1, 8, 3, 9, 4,
    3, 4, 2, 3, 2, 6, 3, 6, 8, 3, 8, 9, 4, 9, 5, 2, 4, 11, 6, 2, 10, 8, 6, 7, 9, 8, 1,
  ];
  const norm = (p: Vec3): Vec3 => {
    const l = Math.hypot(...p);
    return [p[0] / l, p[1] / l, p[2] / l];
  };
  verts = verts.map(norm);
  for (let s = 0; s < level; s++) {
    const mid = new Map<string, number>();
    const m = (a: number, b: number): number => {
      const key = a < b ? `${a}_${b}` : `${b}_${a}`;
      let i = mid.get(key);
      if (i === undefined) {
        const p = verts[a],
          q = verts[b];
        i = verts.push(norm([(p[0] + q[0]) / 2, (p[1] + q[1]) / 2, (p[2] + q[2]) / 2])) - 1;
        mid.set(key, i);
      }
      return i;
    };
    const next: number[] = [];
    for (let f = 0; f < faces.length; f += 3) {
      const [a, b, c] = [faces[f], faces[f + 1], faces[f + 2]];
      const ab = m(a, b),
        bc = m(b, c),
        ca = m(c, a);
      next.push(a, ab, ca, b, bc, ab, c, ca, bc, ab, bc, ca);
    }
    faces = next;
  }
  const vertices = new Float32Array(verts.length * 3);
  verts.forEach((p, i) => {
    for (let k = 0; k < 3; k++) vertices[3 * i + k] = p[k] * radius + center[k];
  });
  return { vertices, faces: Uint32Array.from(faces) };
}

/** Closed axis-aligned box [min, max], 12 triangles. */
export function boxMesh(min: Vec3, max: Vec3): TriMesh {
  const vertices = new Float32Array(24);
  for (let i = 0; i < 8; i++) {
    vertices[3 * i] = i & 1 ? max[0] : min[0];
    vertices[3 * i + 1] = i & 2 ? max[1] : min[1];
    vertices[3 * i + 2] = i & 4 ? max[2] : min[2];
  }
  // prettier-ignore
  const faces = Uint32Array.from([
    0, 2, 1, 1, 2, 3, 4, 5, 6, 5, 7, 6, // z−, z+
    0, 1, 4, 1, 5, 4, 2, 6, 3, 3, 6, 7, // y−, y+
    0, 4, 2, 2, 4, 6, 1, 3, 5, 3, 7, 5, // x−, x+
  ]);
  return { vertices, faces };
}

/** Pose rotating by `angle` about z, then scaling and translating (row-vector convention). */
export function zPose(angle: number, translation: Vec3 = [0, 0, 0], scale = 1): Pose {
  const c = Math.cos(angle),
    s = Math.sin(angle);
  // Row-vector p·R rotates by +angle when R = [[c, s, 0], [−s, c, 0], [0, 0, 1]].
  const rotation = [c, s, 0, -s, c, 0, 0, 0, 1];
  return { rotation, quaternion: matrixToQuaternion(rotation), translation, scale };
}

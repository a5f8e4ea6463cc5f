// The closed surface of a voxel set: every voxel face whose neighbour is empty, as two triangles wound
// outward, on shared grid-corner vertices (so the layout fit's outline raster sees a closed mesh).
import type { TriMesh } from '../metrics/types.ts';

/** `coords` (N×3 grid indices, res G) → mesh in the canonical frame: voxel (x, y, z) spans [x/G − ½, (x+1)/G − ½]. */
export function voxelSurfaceMesh(coords: ArrayLike<number>, G: number): TriMesh {
  const occ = new Uint8Array(G * G * G);
  for (let i = 0; i < coords.length; i += 3) occ[(coords[i] * G + coords[i + 1]) * G + coords[i + 2]] = 1;
  const C = G + 1;
  const vertexOf = new Int32Array(C * C * C).fill(-1);
  const vertices: number[] = [];
  const faces: number[] = [];
  const corner = (x: number, y: number, z: number) => {
    const k = (x * C + y) * C + z;
    if (vertexOf[k] < 0) {
      vertexOf[k] = vertices.length / 3;
      vertices.push(x / G - 0.5, y / G - 0.5, z / G - 0.5);
    }
    return vertexOf[k];
  };
  const p = [0, 0, 0];
  for (let i = 0; i < coords.length; i += 3) {
    for (let a = 0; a < 3; a++) {
      const b = (a + 1) % 3,
        c = (a + 2) % 3;
      for (const side of [0, 1]) {
        p[0] = coords[i];
        p[1] = coords[i + 1];
        p[2] = coords[i + 2];
        p[a] += side ? 1 : -1;
        if (p[a] >= 0 && p[a] < G && occ[(p[0] * G + p[1]) * G + p[2]]) continue;
        // The face's four corners: base, +b, +b+c, +c; e_b × e_c = e_a, so this order faces +a.
        p[a] = coords[i + a] + side;
        p[b] = coords[i + b];
        p[c] = coords[i + c];
        const q = [corner(p[0], p[1], p[2])];
        p[b]++;
        q.push(corner(p[0], p[1], p[2]));
        p[c]++;
        q.push(corner(p[0], p[1], p[2]));
        p[b]--;
        q.push(corner(p[0], p[1], p[2]));
        if (!side) q.reverse();
        faces.push(q[0], q[1], q[2], q[0], q[2], q[3]);
      }
    }
  }
  return { vertices: Float32Array.from(vertices), faces: Uint32Array.from(faces) };
}

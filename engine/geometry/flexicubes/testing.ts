// Helpers shared by the FlexiCubes tests: synthetic decoder rows and mesh checks.
import type { FlexiCubesInput, FlexiCubesLayout, FlexiCubesMesh } from './types.ts';

export const SAM_LAYOUT: FlexiCubesLayout = {
  sdf: [0, 8],
  deform: [8, 32],
  beta: [32, 44],
  alpha: [44, 52],
  gamma: [52, 53],
  color: [53, 101],
};

const logit = (p: number): number => Math.log(p / (1 - p));

/**
 * Decoder rows for an analytic sdf (in the [-0.5,0.5] frame) on a res³ grid: every voxel with a corner
 * below `band` is active, per-corner sdf/colour are the field's values (consistent across voxels),
 * weights and deform raw 0. Colour RGB = colorFn(p) passed through logit so sigmoid recovers it.
 */
export function analyticInput(
  res: number,
  sdf: (x: number, y: number, z: number) => number,
  band: number,
  colorFn: (x: number, y: number, z: number) => [number, number, number],
): FlexiCubesInput {
  const K = 101;
  const coords: number[] = [];
  const rows: number[][] = [];
  const p = (i: number): number => i / res - 0.5;
  for (let x = 0; x < res; x++)
    for (let y = 0; y < res; y++)
      for (let z = 0; z < res; z++) {
        const s: number[] = [];
        for (let j = 0; j < 8; j++) s.push(sdf(p(x + (j & 1)), p(y + ((j >> 1) & 1)), p(z + ((j >> 2) & 1))));
        if (Math.min(...s) >= band) continue;
        const row = new Array<number>(K).fill(0);
        for (let j = 0; j < 8; j++) {
          const cx = p(x + (j & 1));
          const cy = p(y + ((j >> 1) & 1));
          const cz = p(z + ((j >> 2) & 1));
          row[j] = s[j];
          const c = colorFn(cx, cy, cz);
          for (let k = 0; k < 3; k++) row[53 + 6 * j + k] = logit(c[k]);
        }
        coords.push(x, y, z);
        rows.push(row);
      }
  const feats = new Float32Array(rows.length * K);
  rows.forEach((r, i) => feats.set(r, i * K));
  return {
    coords: Int32Array.from(coords),
    feats,
    channels: K,
    res,
    sdfBias: 0,
    weightScale: 0.99,
    layout: SAM_LAYOUT,
  };
}

/** Undirected edge -> number of faces using it, plus directed-edge multiplicity (orientation check). */
export function edgeStats(mesh: FlexiCubesMesh): {
  undirected: Map<string, number>;
  directed: Map<string, number>;
} {
  const undirected = new Map<string, number>();
  const directed = new Map<string, number>();
  const f = mesh.faces;
  for (let t = 0; t < f.length; t += 3) {
    for (let k = 0; k < 3; k++) {
      const a = f[t + k];
      const b = f[t + ((k + 1) % 3)];
      const u = a < b ? `${a},${b}` : `${b},${a}`;
      undirected.set(u, (undirected.get(u) ?? 0) + 1);
      directed.set(`${a},${b}`, (directed.get(`${a},${b}`) ?? 0) + 1);
    }
  }
  return { undirected, directed };
}

/** Rotates each triangle so its smallest index comes first (keeps winding), then sorts the list. */
export function canonicalFaces(faces: ArrayLike<number>, map?: ArrayLike<number>): string[] {
  const out: string[] = [];
  for (let t = 0; t < faces.length; t += 3) {
    const v = [faces[t], faces[t + 1], faces[t + 2]].map((i) => (map ? map[i] : i));
    const m = v.indexOf(Math.min(...v));
    out.push(`${v[m]},${v[(m + 1) % 3]},${v[(m + 2) % 3]}`);
  }
  return out.sort();
}

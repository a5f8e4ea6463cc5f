// Volumetric IoU on a common res³ grid (default 64³), meshes already normalised (normalize.ts).
//
// Grid: the cube around the union of both meshes' bounding boxes (centred on it, side = its longest
// extent, res cells per side), so neither shape is clipped; for identical meshes under the reference
// normalisation this is exactly the unit cube [−0.5, 0.5]³.
//
// Occupancy ('solid'): a voxel is occupied when it cannot be reached from outside without crossing the
// mesh (voxelizeSolid: parity walls + surface voxels, exterior flood-filled), so a mesh with an inner
// shell (FlexiCubes on a surface band) is solid, not a thin layer. The parity of the crossings of a +z
// ray through the voxel-centre column gives the walls. The ray-triangle test uses edge functions that
// are evaluated identically for both triangles sharing an edge plus a top-left ownership rule, so a ray
// through an edge or vertex is counted exactly once (or an even number of times at a silhouette) and
// the parity stays right on closed meshes. 'solid' needs both meshes closed: every edge (after welding
// vertices with equal positions) used by an even number of faces. Otherwise parity is meaningless, and
// both meshes fall back to 'surface': voxels hit by a lattice of surface points at ≤ half-voxel spacing.
// Features thinner than a voxel vanish in 'solid'; if that empties both grids we also fall back.
import type { TriMesh, Vec3 } from './types.ts';
import { flood } from '../geometry/grid3.ts';
import { bbox } from './normalize.ts';

export const DEFAULT_VOXEL_RES = 64;

export type VoxelMode = 'solid' | 'surface';

export interface VoxelGrid {
  /** Corner of voxel (0, 0, 0). */
  origin: Vec3;
  /** Voxel edge length. */
  voxel: number;
  res: number;
}

export interface VoxelIoUResult {
  iou: number;
  mode: VoxelMode;
  grid: VoxelGrid;
  occupiedA: number;
  occupiedB: number;
}

/** Cube grid enclosing both meshes (see module comment). */
export function unionGrid(a: TriMesh, b: TriMesh, res = DEFAULT_VOXEL_RES): VoxelGrid {
  const ba = bbox(a.vertices),
    bb = bbox(b.vertices);
  const lo = [0, 1, 2].map((k) => Math.min(ba.min[k], bb.min[k]));
  const hi = [0, 1, 2].map((k) => Math.max(ba.max[k], bb.max[k]));
  const side = Math.max(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]) || 1;
  const origin = [0, 1, 2].map((k) => (lo[k] + hi[k]) / 2 - side / 2) as Vec3;
  return { origin, voxel: side / res, res };
}

/** True when every welded edge is shared by an even number of faces (a boundary-free mod-2 surface). */
export function isClosed(mesh: TriMesh): boolean {
  const v = mesh.vertices,
    f = mesh.faces;
  if (f.length === 0) return false;
  const weld = new Map<string, number>();
  const id = new Uint32Array(v.length / 3);
  for (let i = 0; i < id.length; i++) {
    const key = `${v[3 * i]},${v[3 * i + 1]},${v[3 * i + 2]}`;
    let w = weld.get(key);
    if (w === undefined) weld.set(key, (w = weld.size));
    id[i] = w;
  }
  const n = weld.size;
  const count = new Map<number, number>();
  for (let t = 0; t < f.length; t += 3) {
    for (let e = 0; e < 3; e++) {
      const p = id[f[t + e]],
        q = id[f[t + ((e + 1) % 3)]];
      if (p === q) continue; // degenerate edge of a collapsed face
      const key = p < q ? p * n + q : q * n + p;
      count.set(key, (count.get(key) ?? 0) + 1);
    }
  }
  for (const c of count.values()) if (c & 1) return false;
  return true;
}

/** Canonical 2D edge function: same bits for (u, v) and (v, u) up to sign, whichever triangle asks. */
function edgeFn(ux: number, uy: number, vx: number, vy: number, qx: number, qy: number): number {
  if (ux < vx || (ux === vx && uy < vy)) return (vx - ux) * (qy - uy) - (vy - uy) * (qx - ux);
  return -((ux - vx) * (qy - vy) - (uy - vy) * (qx - vx));
}

/** Voxels (index (i·res + j)·res + k for x, y, z) whose centre lies between crossings 2k and 2k+1 of the
 *  +z ray through its column: the inside of a closed mesh by parity. */
function voxelizeParity(mesh: TriMesh, grid: VoxelGrid): Uint8Array {
  const { origin, voxel, res } = grid;
  const v = mesh.vertices,
    f = mesh.faces;
  const hits: number[][] = Array.from({ length: res * res }, () => []);
  const cx = (i: number): number => origin[0] + (i + 0.5) * voxel;
  const cy = (j: number): number => origin[1] + (j + 0.5) * voxel;
  for (let t = 0; t < f.length; t += 3) {
    const a = 3 * f[t],
      b = 3 * f[t + 1],
      c = 3 * f[t + 2];
    const x0 = v[a],
      y0 = v[a + 1],
      z0 = v[a + 2];
    const x1 = v[b],
      y1 = v[b + 1],
      z1 = v[b + 2];
    const x2 = v[c],
      y2 = v[c + 1],
      z2 = v[c + 2];
    const area = (x1 - x0) * (y2 - y0) - (y1 - y0) * (x2 - x0);
    if (area === 0) continue; // parallel to the ray: its neighbours carry the crossing
    const s = area > 0 ? 1 : -1;
    // Ownership of a zero edge function by the CCW-normalised edge direction (top-left rule): the two
    // triangles on either side of a shared edge see opposite directions, so exactly one owns it.
    const owns = (ux: number, uy: number, vx: number, vy: number): boolean => {
      const dx = s * (vx - ux),
        dy = s * (vy - uy);
      return dy > 0 || (dy === 0 && dx < 0);
    };
    const own0 = owns(x1, y1, x2, y2),
      own1 = owns(x2, y2, x0, y0),
      own2 = owns(x0, y0, x1, y1);
    const i0 = Math.max(0, Math.floor((Math.min(x0, x1, x2) - origin[0]) / voxel - 0.5));
    const i1 = Math.min(res - 1, Math.ceil((Math.max(x0, x1, x2) - origin[0]) / voxel - 0.5));
    const j0 = Math.max(0, Math.floor((Math.min(y0, y1, y2) - origin[1]) / voxel - 0.5));
    const j1 = Math.min(res - 1, Math.ceil((Math.max(y0, y1, y2) - origin[1]) / voxel - 0.5));
    for (let i = i0; i <= i1; i++) {
      const qx = cx(i);
      for (let j = j0; j <= j1; j++) {
        const qy = cy(j);
        // w_k: edge opposite vertex k, positive inside after orientation normalisation.
        const w0 = s * edgeFn(x1, y1, x2, y2, qx, qy);
        const w1 = s * edgeFn(x2, y2, x0, y0, qx, qy);
        const w2 = s * edgeFn(x0, y0, x1, y1, qx, qy);
        if (w0 < 0 || w1 < 0 || w2 < 0) continue;
        if ((w0 === 0 && !own0) || (w1 === 0 && !own1) || (w2 === 0 && !own2)) continue;
        const sum = w0 + w1 + w2;
        hits[i * res + j].push((w0 * z0 + w1 * z1 + w2 * z2) / sum);
      }
    }
  }
  const occ = new Uint8Array(res * res * res);
  for (let col = 0; col < hits.length; col++) {
    const zs = hits[col];
    if (zs.length < 2) continue;
    zs.sort((p, q) => p - q);
    // Odd count can only come from rounding on a closed mesh; the unmatched last crossing is dropped.
    for (let m = 0; m + 1 < zs.length; m += 2) {
      const k0 = Math.max(0, Math.ceil((zs[m] - origin[2]) / voxel - 0.5));
      const k1 = Math.min(res - 1, Math.floor((zs[m + 1] - origin[2]) / voxel - 0.5));
      for (let k = k0; k <= k1; k++) occ[col * res + k] = 1;
    }
  }
  return occ;
}

/**
 * Solid occupancy: every voxel that cannot be reached from outside the grid without crossing the mesh.
 * Walls are the parity voxels plus the voxels the surface passes through; the exterior is flood-filled
 * (6-connected) from the grid's boundary. Why not parity alone: FlexiCubes on a surface band leaves a
 * second, inner shell a few cells inside the outer one (the reference's own meshes have it; its optional
 * post-processing removes such invisible faces), and parity then counts only the thin layer between the
 * two shells as inside. An enclosed cavity counts as solid; a cavity open to the outside (a mug) does not.
 */
export function voxelizeSolid(mesh: TriMesh, grid: VoxelGrid): Uint8Array {
  const { res } = grid;
  const last = res - 1;
  const parity = voxelizeParity(mesh, grid);
  const surf = voxelizeSurface(mesh, grid);
  const onBorder = (idx: number): boolean => {
    const k = idx % res,
      j = Math.floor(idx / res) % res,
      i = Math.floor(idx / (res * res));
    return i === 0 || j === 0 || k === 0 || i === last || j === last || k === last;
  };
  /** Calls fn with each 6-connected neighbour of a voxel inside the grid. */
  const eachNeighbour = (idx: number, fn: (n: number) => void) => {
    const k = idx % res,
      j = Math.floor(idx / res) % res,
      i = Math.floor(idx / (res * res));
    if (i > 0) fn(idx - res * res);
    if (i < last) fn(idx + res * res);
    if (j > 0) fn(idx - res);
    if (j < last) fn(idx + res);
    if (k > 0) fn(idx - 1);
    if (k < last) fn(idx + 1);
  };
  // The exterior: flooded from the border through everything that is neither parity nor surface.
  const outside = flood(
    parity.map((p, i) => p | surf[i]),
    res,
  );
  // Inside: parity voxels, and every voxel the flood did not reach except surface voxels (centre outside
  // the mesh by parity) that face the exterior, so the outer boundary is where parity puts it.
  const facesOutside = (idx: number) => {
    let any = onBorder(idx);
    if (!any) eachNeighbour(idx, (n) => (any ||= outside[n] === 1));
    return any;
  };
  const solid = new Uint8Array(parity.length);
  for (let i = 0; i < solid.length; i++)
    solid[i] = parity[i] || (!outside[i] && !(surf[i] && facesOutside(i))) ? 1 : 0;
  return solid;
}

/** Voxels containing a point of a barycentric lattice (spacing ≤ voxel/2) on each triangle. */
export function voxelizeSurface(mesh: TriMesh, grid: VoxelGrid): Uint8Array {
  const { origin, voxel, res } = grid;
  const v = mesh.vertices,
    f = mesh.faces;
  const occ = new Uint8Array(res * res * res);
  const cell = (x: number, k: number): number =>
    Math.min(res - 1, Math.max(0, Math.floor((x - origin[k]) / voxel)));
  const p = [0, 0, 0];
  for (let t = 0; t < f.length; t += 3) {
    const a = 3 * f[t],
      b = 3 * f[t + 1],
      c = 3 * f[t + 2];
    let longest = 0;
    for (const [u, w] of [
      [a, b],
      [b, c],
      [c, a],
    ]) {
      longest = Math.max(longest, Math.hypot(v[w] - v[u], v[w + 1] - v[u + 1], v[w + 2] - v[u + 2]));
    }
    const n = Math.max(1, Math.ceil(longest / (0.5 * voxel)));
    for (let i = 0; i <= n; i++) {
      for (let j = 0; i + j <= n; j++) {
        const wb = i / n,
          wc = j / n,
          wa = 1 - wb - wc;
        for (let k = 0; k < 3; k++) p[k] = wa * v[a + k] + wb * v[b + k] + wc * v[c + k];
        occ[(cell(p[0], 0) * res + cell(p[1], 1)) * res + cell(p[2], 2)] = 1;
      }
    }
  }
  return occ;
}

function iouOf(x: Uint8Array, y: Uint8Array): { iou: number; nx: number; ny: number; union: number } {
  let inter = 0,
    union = 0,
    nx = 0,
    ny = 0;
  for (let i = 0; i < x.length; i++) {
    nx += x[i];
    ny += y[i];
    inter += x[i] & y[i];
    union += x[i] | y[i];
  }
  return { iou: union > 0 ? inter / union : 0, nx, ny, union };
}

/** Volumetric IoU of two normalised meshes on their common union grid (see module comment). */
export function voxelIoU(
  a: TriMesh,
  b: TriMesh,
  opts: { res?: number; mode?: VoxelMode } = {},
): VoxelIoUResult {
  const grid = unionGrid(a, b, opts.res ?? DEFAULT_VOXEL_RES);
  let mode: VoxelMode = opts.mode ?? (isClosed(a) && isClosed(b) ? 'solid' : 'surface');
  if (mode === 'solid') {
    const r = iouOf(voxelizeSolid(a, grid), voxelizeSolid(b, grid));
    if (r.union > 0) return { iou: r.iou, mode, grid, occupiedA: r.nx, occupiedB: r.ny };
    mode = 'surface';
  }
  const r = iouOf(voxelizeSurface(a, grid), voxelizeSurface(b, grid));
  return { iou: r.iou, mode, grid, occupiedA: r.nx, occupiedB: r.ny };
}

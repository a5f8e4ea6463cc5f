// Shifted-window partition for the decoders' swin attention (docs/pack-format.md, "Windows").

export interface WindowPartition {
  /** W×Lw voxel rows per window, slots in ascending voxel index, padded with the sentinel N. */
  idx: Int32Array;
  /** W×Lw, 1 where idx holds a voxel. */
  valid: Uint8Array;
  /** inv[i] = window·Lw + slot of voxel i. */
  inv: Int32Array;
  /** W: number of non-empty windows. */
  windows: number;
  /** Lw: size of the largest window. */
  length: number;
}

/**
 * Window of voxel c: floor((c+s)/w) per axis, linearised (wx·ny + wy)·nz + wz with
 * n = floor(max(c+s)/w) + 1; windows in ascending key. Coordinates must be non-negative.
 */
export function windowPartition(coords: Int32Array, window: number, shift: number): WindowPartition {
  if (!Number.isInteger(window) || window < 1) throw new Error(`windowPartition: bad window ${window}`);
  if (!Number.isInteger(shift) || shift < 0) throw new Error(`windowPartition: bad shift ${shift}`);
  const n = coords.length / 3;
  let mx = 0,
    my = 0,
    mz = 0;
  for (let i = 0; i < n; i++) {
    const x = coords[3 * i],
      y = coords[3 * i + 1],
      z = coords[3 * i + 2];
    if (x < 0 || y < 0 || z < 0) throw new Error(`windowPartition: negative coordinate at row ${i}`);
    if (x > mx) mx = x;
    if (y > my) my = y;
    if (z > mz) mz = z;
  }
  const ny = Math.floor((my + shift) / window) + 1;
  const nz = Math.floor((mz + shift) / window) + 1;
  const key = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const wx = Math.floor((coords[3 * i] + shift) / window);
    const wy = Math.floor((coords[3 * i + 1] + shift) / window);
    const wz = Math.floor((coords[3 * i + 2] + shift) / window);
    key[i] = (wx * ny + wy) * nz + wz;
  }
  const sorted = key.slice().sort();
  const winOf = new Map<number, number>();
  let w = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) winOf.set(sorted[i], w++);

  const win = new Int32Array(n);
  const count = new Int32Array(w);
  const inv = new Int32Array(n);
  let lw = 0;
  for (let i = 0; i < n; i++) {
    const wi = winOf.get(key[i])!;
    win[i] = wi;
    inv[i] = count[wi]++; // slot for now; ascending i gives ascending slots
    if (count[wi] > lw) lw = count[wi];
  }
  const idx = new Int32Array(w * lw).fill(n);
  const valid = new Uint8Array(w * lw);
  for (let i = 0; i < n; i++) {
    const p = win[i] * lw + inv[i];
    idx[p] = i;
    valid[p] = 1;
    inv[i] = p;
  }
  return { idx, valid, inv, windows: w, length: lw };
}

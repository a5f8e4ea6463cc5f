// Shifted-window partition for the decoders' swin attention (docs/pack-format.md, "Windows").

export interface WindowPartition {
  /** W×Lw: the voxels of each row (one window, or several when packed), slots in ascending voxel index
   *  within a window, padded with the sentinel N. */
  idx: Int32Array;
  /** W×Lw, 1 where idx holds a voxel. */
  valid: Uint8Array;
  /** inv[i] = row·Lw + slot of voxel i. */
  inv: Int32Array;
  /** W: number of rows (one per non-empty window, unless packed). */
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

/**
 * The same windows packed into as few rows of the same length as first-fit by decreasing size gives: each
 * window's voxels stay together and in order inside one row. For graphs that separate windows by the
 * voxels' coordinates (manifest decoder.packedWindows): their attention costs rows·Lw², and one row per
 * window pads most rows to the largest window (4 to 15 times the slots on the nano samples).
 */
export function packWindows(p: WindowPartition): WindowPartition {
  const { length: L, windows: W } = p;
  const n = p.inv.length;
  const size = new Int32Array(W);
  for (let w = 0; w < W; w++) {
    let c = 0;
    while (c < L && p.valid[w * L + c]) c++;
    size[w] = c;
  }
  const order = Array.from({ length: W }, (_, w) => w).sort((a, b) => size[b] - size[a] || a - b);
  const fill: number[] = [];
  const at = new Int32Array(W); // first slot of window w in the packed rows (row·L + offset)
  for (const w of order) {
    let r = 0;
    while (r < fill.length && fill[r] + size[w] > L) r++;
    if (r === fill.length) fill.push(0);
    at[w] = r * L + fill[r];
    fill[r] += size[w];
  }
  const idx = new Int32Array(fill.length * L).fill(n);
  const valid = new Uint8Array(fill.length * L);
  const inv = new Int32Array(n);
  for (let w = 0; w < W; w++) {
    for (let s = 0; s < size[w]; s++) {
      const voxel = p.idx[w * L + s];
      idx[at[w] + s] = voxel;
      valid[at[w] + s] = 1;
      inv[voxel] = at[w] + s;
    }
  }
  return { idx, valid, inv, windows: fill.length, length: L };
}

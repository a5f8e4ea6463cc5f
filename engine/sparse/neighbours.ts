// 3×3×3 neighbour maps for submanifold sparse convolutions (docs/pack-format.md, "Neighbour maps").
import { VoxelHash } from './hash.ts';

/** Column of offset (dx,dy,dz) ∈ {-1,0,1}³: (dx+1)·9 + (dy+1)·3 + (dz+1). 13 is the centre. */
export function offsetIndex(dx: number, dy: number, dz: number): number {
  return (dx + 1) * 9 + (dy + 1) * 3 + (dz + 1);
}

/** OFFSETS[3k..3k+2] = (dx,dy,dz) of column k. */
export const OFFSETS: Int8Array = (() => {
  const o = new Int8Array(81);
  for (let k = 0; k < 27; k++) {
    o[3 * k] = Math.floor(k / 9) - 1;
    o[3 * k + 1] = (Math.floor(k / 3) % 3) - 1;
    o[3 * k + 2] = (k % 3) - 1;
  }
  return o;
})();

/**
 * nbr[i·27 + k] = row of voxel c_i + δ_k, or the sentinel n when that voxel is absent.
 * `coords` is N×3 in row order; `n` defaults to N (and must equal it when given).
 */
export function neighbourMap(
  coords: Int32Array,
  n: number = coords.length / 3,
  hash?: VoxelHash,
): Int32Array {
  if (n * 3 !== coords.length)
    throw new Error(`neighbourMap: n=${n} but coords hold ${coords.length / 3} rows`);
  const h = hash ?? new VoxelHash(coords, n);
  const nbr = new Int32Array(n * 27);
  for (let i = 0; i < n; i++) {
    const x = coords[3 * i],
      y = coords[3 * i + 1],
      z = coords[3 * i + 2];
    const row = i * 27;
    for (let k = 0; k < 27; k++) {
      const j = h.get(x + OFFSETS[3 * k], y + OFFSETS[3 * k + 1], z + OFFSETS[3 * k + 2]);
      nbr[row + k] = j < 0 ? n : j;
    }
  }
  return nbr;
}

// Synthetic inputs of the algorithm note's appendix A (shared by the spectral and aggregation tests).

/** res³ logits (x,y,z C order): 1 where pred(x,y,z), −1 elsewhere. */
export function gridLogits(res: number, pred: (x: number, y: number, z: number) => boolean): Float32Array {
  const out = new Float32Array(res * res * res).fill(-1);
  for (let x = 0; x < res; x++)
    for (let y = 0; y < res; y++)
      for (let z = 0; z < res; z++) if (pred(x, y, z)) out[(x * res + y) * res + z] = 1;
  return out;
}

/** Voxels with r0² ≤ |v − c|² < r1² (A.4 shell: c = (30,33,31), r 19–22 → 15850 voxels), sorted (x,y,z). */
export function shellCoords(c: readonly number[], r0: number, r1: number, res = 64): Int32Array {
  const rows: number[] = [];
  for (let x = 0; x < res; x++) {
    for (let y = 0; y < res; y++) {
      for (let z = 0; z < res; z++) {
        const d2 = (x - c[0]) ** 2 + (y - c[1]) ** 2 + (z - c[2]) ** 2;
        if (d2 >= r0 * r0 && d2 < r1 * r1) rows.push(x, y, z);
      }
    }
  }
  return Int32Array.from(rows);
}

/** Per-axis [min, max] of N×3 rows. */
export function bbox(coords: Int32Array): [number[], number[]] {
  const lo = [Infinity, Infinity, Infinity],
    hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < coords.length; i++) {
    lo[i % 3] = Math.min(lo[i % 3], coords[i]);
    hi[i % 3] = Math.max(hi[i % 3], coords[i]);
  }
  return [lo, hi];
}

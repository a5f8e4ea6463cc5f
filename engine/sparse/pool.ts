// Factor-2 pooling bookkeeping for the stage-2 denoiser (docs/pack-format.md, "Pooling").

export interface Pooling {
  /** M×3 coarse voxels: sorted unique (lexicographic x,y,z) of c >> 1. */
  coarse: Int32Array;
  /** parent[i] = coarse row of fine voxel i. */
  parent: Int32Array;
  /** M×8 fine children of each coarse voxel in ascending fine index, padded with the sentinel N. */
  children: Int32Array;
  /** 1/(count+1) with includeSelf (torch scatter_reduce "mean" with include_self=True), else 1/count. */
  scale: Float32Array;
}

/**
 * Pool a fine voxel set (N×3, non-negative) by 2. `includeSelf` mirrors the reference's
 * scatter_reduce(..., "mean") into zeros, which counts the zero it started from.
 */
export function poolBy2(coords: Int32Array, includeSelf: boolean): Pooling {
  const n = coords.length / 3;
  let mx = 0,
    my = 0,
    mz = 0;
  for (let i = 0; i < n; i++) {
    const x = coords[3 * i],
      y = coords[3 * i + 1],
      z = coords[3 * i + 2];
    if (x < 0 || y < 0 || z < 0) throw new Error(`poolBy2: negative coordinate at row ${i}`);
    if (x > mx) mx = x;
    if (y > my) my = y;
    if (z > mz) mz = z;
  }
  // Lexicographic key of the coarse coordinate; exact in float64 for any realistic grid.
  const ry = (my >> 1) + 1,
    rz = (mz >> 1) + 1;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    keys[i] = ((coords[3 * i] >> 1) * ry + (coords[3 * i + 1] >> 1)) * rz + (coords[3 * i + 2] >> 1);
  }
  const sorted = keys.slice().sort();
  let m = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[m++] = sorted[i];
  const unique = sorted.subarray(0, m);

  const coarse = new Int32Array(m * 3);
  for (let j = 0; j < m; j++) {
    const key = unique[j];
    const z = key % rz;
    const xy = (key - z) / rz;
    const y = xy % ry;
    coarse[3 * j] = (xy - y) / ry;
    coarse[3 * j + 1] = y;
    coarse[3 * j + 2] = z;
  }

  const parent = new Int32Array(n);
  const children = new Int32Array(m * 8).fill(n);
  const count = new Uint8Array(m);
  for (let i = 0; i < n; i++) {
    const key = keys[i];
    let lo = 0,
      hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (unique[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    parent[i] = lo;
    children[lo * 8 + count[lo]++] = i; // i ascends, so each list is sorted
  }
  const scale = new Float32Array(m);
  for (let j = 0; j < m; j++) scale[j] = 1 / (includeSelf ? count[j] + 1 : count[j]);
  return { coarse, parent, children, scale };
}

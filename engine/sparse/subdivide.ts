// One octree subdivision with its neighbour map derived from the parent map, no hashing
// (docs/pack-format.md, "Subdivision"; architecture notes 3.6).
import { offsetIndex } from './neighbours.ts';

export interface Subdivision {
  /** 8N×3: row 8i + 4a + 2b + c is 2·c_i + (a,b,c). */
  coords: Int32Array;
  /** 8N×27 neighbour map of the children, sentinel 8N. */
  nbr: Int32Array;
}

// For child slot o and offset column k: the parent's neighbour column and the neighbour's child slot.
// u = a + δ ∈ {-1..2}; parent offset floor(u/2) ∈ {-1,0,1}; slot u mod 2 (u & 1 is that for u = -1 too).
const TABLE: Int32Array = (() => {
  const t = new Int32Array(8 * 27 * 2); // row (o·27 + k): [parent column, child slot]
  for (let o = 0; o < 8; o++) {
    const a = [o >> 2, (o >> 1) & 1, o & 1];
    for (let k = 0; k < 27; k++) {
      const d = [Math.floor(k / 9) - 1, (Math.floor(k / 3) % 3) - 1, (k % 3) - 1];
      const u = [a[0] + d[0], a[1] + d[1], a[2] + d[2]];
      const p = u.map((v) => Math.floor(v / 2));
      t[(o * 27 + k) * 2] = offsetIndex(p[0], p[1], p[2]);
      t[(o * 27 + k) * 2 + 1] = 4 * (u[0] & 1) + 2 * (u[1] & 1) + (u[2] & 1);
    }
  }
  return t;
})();

/**
 * Subdivide N voxels (coords N×3) into 8N children. `parentNbr` is the N×27 neighbour map of the parent
 * set (sentinel N); a child's neighbour exists iff the parent cell containing it exists.
 */
export function subdivide(coords: Int32Array, parentNbr: Int32Array): Subdivision {
  const n = coords.length / 3;
  if (parentNbr.length !== n * 27) {
    throw new Error(`subdivide: parent map has ${parentNbr.length / 27} rows, coords ${n}`);
  }
  const out = new Int32Array(n * 24);
  for (let i = 0; i < n; i++) {
    const x = 2 * coords[3 * i],
      y = 2 * coords[3 * i + 1],
      z = 2 * coords[3 * i + 2];
    for (let o = 0; o < 8; o++) {
      const r = 3 * (8 * i + o);
      out[r] = x + (o >> 2);
      out[r + 1] = y + ((o >> 1) & 1);
      out[r + 2] = z + (o & 1);
    }
  }
  const sentinel = 8 * n;
  const nbr = new Int32Array(n * 8 * 27);
  const base = new Int32Array(27); // 8j of each parent neighbour, -1 when absent
  let w = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 27; k++) {
      const j = parentNbr[i * 27 + k];
      base[k] = j === n ? -1 : 8 * j;
    }
    for (let t = 0; t < 432; t += 2) {
      const b = base[TABLE[t]];
      nbr[w++] = b < 0 ? sentinel : b + TABLE[t + 1];
    }
  }
  return { coords: out, nbr };
}

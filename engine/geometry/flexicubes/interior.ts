// Which grid vertices count as outside the object. The decoder predicts sdf only on a band of cubes around
// the surface and the reference gives every other vertex sdf +1, so the band's inner side becomes a second,
// hidden surface, and where the band has a gap, or the decoder says "outside" across its whole thickness,
// the visible surface opens into that hidden one. Rule here:
//  1. close the active cubes (dilate by `seal`, flood from beyond the grid, grow the flood back by `seal`):
//     the cubes the flood misses are enclosed, and a vertex touching only enclosed cubes is inside;
//  2. outside: the positive vertices not inside by 1 that connect to beyond the grid through such
//     vertices (6-connected). Everything else is inside.
// So the enclosed region is solid, with no hidden shell around it, and a gap in the band narrower than
// 2·seal cubes is sealed; wider openings (a mug's mouth) are kept. Left as they are: "outside" layers the
// decoder predicts inside the band that reach the outside through a hole in it. Forcing the band's inner
// half inside removed those too (35 % fewer faces) but moved the surface off the ground truth: F1 42.7 →
// 35.3 on 24 held-out nano samples.

import { breadthFirst, dilate, flood } from '../grid3.ts';

export interface Interior {
  /** Whether the grid vertex with key (x·N + y)·N + z (N = res + 1) is outside. */
  isOutside(key: number): boolean;
  /** Index (into the vertex keys given) of the nearest decoded vertex within seal + 1 steps, else −1. */
  colourSource(key: number): number;
  /** Keys of the outside vertices next to an inside one (where the surface passes). */
  border: number[];
}

/**
 * The rule above for the active cubes `coords` on the res³ grid and the decoded vertices `vertexKeys` (grid
 * keys), of which `isNegative(i)` are negative. Works on a box around the active cubes with `seal + 2`
 * cubes of margin (everything beyond it is outside), so small objects cost little.
 */
export function findInterior(
  coords: Int32Array,
  res: number,
  seal: number,
  vertexKeys: Int32Array,
  isNegative: (i: number) => boolean,
): Interior {
  const N = res + 1;
  const pad = seal + 2; // the closing's dilation and the colour search stay inside the box
  const lo = [Infinity, Infinity, Infinity];
  let extent = 1;
  for (let r = 0; r < coords.length; r++) lo[r % 3] = Math.min(lo[r % 3], coords[r]);
  for (let r = 0; r < coords.length; r++) extent = Math.max(extent, coords[r] - lo[r % 3] + 1);
  // The box starts on a multiple of b and spans a multiple of b cubes, so b³ blocks map to coarse cells.
  const b = blockSize(coords, lo, extent, seal);
  const k = Math.log2(b);
  const o = lo.map((l) => Math.floor((l - pad) / b) * b);
  const S = Math.ceil(Math.max(...lo.map((l, a) => l + extent + pad - o[a])) / b) * b; // cubes per side
  const L = S + 1; // vertices per side
  const local = (key: number): number => {
    const x = Math.floor(key / (N * N)) - o[0],
      y = (Math.floor(key / N) % N) - o[1],
      z = (key % N) - o[2];
    return x < 0 || y < 0 || z < 0 || x > S || y > S || z > S ? -1 : (x * L + y) * L + z;
  };

  // 1. Enclosed cubes: the closing of the active ones, computed on the b-times coarser grid (exact: the
  //    active cubes are whole b³ blocks and the seal a multiple of b, so dilating and flooding blocks is
  //    dilating and flooding their cubes).
  const active = new Uint8Array(S * S * S);
  const s = S / b;
  const coarse = new Uint8Array(s * s * s);
  for (let r = 0; r < coords.length; r += 3) {
    const x = coords[r] - o[0],
      y = coords[r + 1] - o[1],
      z = coords[r + 2] - o[2];
    active[(x * S + y) * S + z] = 1;
    coarse[((x >> k) * s + (y >> k)) * s + (z >> k)] = 1;
  }
  const coarseOutside = dilate(flood(dilate(coarse, s, seal / b), s), s, seal / b);
  const cubeOutside = b === 1 ? coarseOutside : new Uint8Array(S * S * S);
  if (b > 1)
    for (let x = 0, i = 0; x < S; x++)
      for (let y = 0; y < S; y++)
        for (let z = 0; z < S; z++, i++)
          cubeOutside[i] = coarseOutside[((x >> k) * s + (y >> k)) * s + (z >> k)];
  // 2. Walls for the vertex flood: negative vertices and those touching only enclosed cubes.
  const walls = new Uint8Array(L * L * L);
  const sources = new Int32Array(vertexKeys.length);
  vertexKeys.forEach((key, i) => {
    sources[i] = local(key);
    if (isNegative(i)) walls[sources[i]] = 1;
  });
  for (let x = 1; x < S; x++)
    for (let y = 1; y < S; y++)
      for (let z = 1; z < S; z++) {
        let enclosed = true;
        for (let c = 0; c < 8 && enclosed; c++) {
          const i = ((x - (c & 1)) * S + y - ((c >> 1) & 1)) * S + z - (c >> 2);
          enclosed = !active[i] && !cubeOutside[i];
        }
        if (enclosed) walls[(x * L + y) * L + z] = 1;
      }
  // 3. Outside vertices, and those of them next to an inside one.
  const outside = flood(walls, L);
  const from = nearest(sources, L, seal + 1);
  const border: number[] = [];
  const inside = new Uint8Array(outside.length);
  for (let l = 0; l < outside.length; l++) inside[l] = outside[l] ^ 1;
  const nearInside = dilate(inside, L, 1);
  for (let l = 0; l < outside.length; l++) {
    if (!outside[l] || !nearInside[l]) continue;
    const lz = l % L,
      ly = ((l - lz) / L) % L;
    const [x, y, z] = [(l - lz - ly * L) / (L * L) + o[0], ly + o[1], lz + o[2]];
    if (x >= 0 && y >= 0 && z >= 0 && x <= res && y <= res && z <= res) border.push((x * N + y) * N + z);
  }
  return {
    isOutside: (key) => {
      const l = local(key);
      return l < 0 || outside[l] === 1;
    },
    colourSource: (key) => {
      const l = local(key);
      return l < 0 ? -1 : from[l];
    },
    border,
  };
}

/**
 * Multi-source breadth-first search on the side³ lattice (6-connected), up to `maxDepth` steps: per vertex
 * the index in `sourceKeys` of the nearest source, −1 beyond.
 */
function nearest(sourceKeys: Int32Array, side: number, maxDepth: number): Int32Array {
  const from = new Int32Array(side * side * side).fill(-1);
  const dist = new Uint16Array(from.length);
  const seeds: number[] = [];
  sourceKeys.forEach((key, i) => {
    if (key < 0 || from[key] >= 0) return;
    from[key] = i;
    seeds.push(key);
  });
  breadthFirst(
    seeds,
    side,
    (j, i) => {
      if (from[j] >= 0) return false;
      from[j] = from[i];
      dist[j] = dist[i] + 1;
      return true;
    },
    (i) => dist[i] >= maxDepth, // the queue is in distance order
  );
  return from;
}

/**
 * The largest power of two b dividing `seal` such that the active cubes form whole b³ blocks aligned to
 * multiples of b (the decoder's subdivisions make them so), else 1.
 */
function blockSize(coords: Int32Array, lo: number[], extent: number, seal: number): number {
  for (let b = seal & -seal; b > 1; b >>= 1) {
    const k = Math.log2(b);
    const base = lo.map((l) => l >> k);
    const s = ((extent - 1) >> k) + 2;
    const count = new Uint16Array(s * s * s);
    for (let r = 0; r < coords.length; r += 3)
      count[
        (((coords[r] >> k) - base[0]) * s + (coords[r + 1] >> k) - base[1]) * s +
          (coords[r + 2] >> k) -
          base[2]
      ]++;
    if (count.every((c) => c === 0 || c === b * b * b)) return b;
  }
  return 1;
}

// Everything the stage-2 denoiser and the decoders take besides features, built once per object.
import { VoxelHash } from './hash.ts';
import { neighbourMap } from './neighbours.ts';
import { poolBy2 } from './pool.ts';
import { subdivide, type Subdivision } from './subdivide.ts';
import { packWindows, windowPartition, type WindowPartition } from './windows.ts';

export interface SlatStructures {
  /** N voxels at the stage-2 grid, M at the pooled grid. */
  n: number;
  m: number;
  /** N×27, sentinel N. */
  nbr: Int32Array;
  /** M×8, sentinel N. */
  poolChildren: Int32Array;
  /** M (graph shape (M,1)). */
  poolScale: Float32Array;
  /** N. */
  parent: Int32Array;
  /** M×27, sentinel M. */
  nbrCoarse: Int32Array;
  /** M×3. */
  coordsCoarse: Int32Array;
}

/** `coords` N×3 in voxel order (sorted x,y,z). `includeSelf` is the manifest's slat.poolMeanIncludeSelf. */
export function buildSlatStructures(coords: Int32Array, includeSelf = true): SlatStructures {
  const n = coords.length / 3;
  const nbr = neighbourMap(coords, n, new VoxelHash(coords, n));
  const pool = poolBy2(coords, includeSelf);
  const m = pool.coarse.length / 3;
  return {
    n,
    m,
    nbr,
    poolChildren: pool.children,
    poolScale: pool.scale,
    parent: pool.parent,
    nbrCoarse: neighbourMap(pool.coarse, m),
    coordsCoarse: pool.coarse,
  };
}

/**
 * The structures of the voxels `tokens` (ascending rows of the set `full` was built for): what
 * buildSlatStructures gives for those voxels' coordinates, derived by renumbering instead of hashing
 * again (stage-2 carving needs them for a new subset on every computed step).
 */
export function subsetSlatStructures(
  full: SlatStructures,
  tokens: Int32Array,
  includeSelf = true,
): SlatStructures {
  const { n, m, nbr: fullNbr, parent: fullParent } = full;
  const k = tokens.length;
  const row = new Int32Array(n + 1).fill(-1); // full row -> subset row; the sentinel n stays absent
  for (let j = 0; j < k; j++) row[tokens[j]] = j;
  const nbr = new Int32Array(k * 27);
  const coarseRow = new Int32Array(m + 1).fill(-1);
  for (let j = 0; j < k; j++) {
    const t = tokens[j] * 27;
    for (let c = 0; c < 27; c++) {
      const r = row[fullNbr[t + c]];
      nbr[j * 27 + c] = r < 0 ? k : r;
    }
    coarseRow[fullParent[tokens[j]]] = 0;
  }
  // Coarse voxels keep their (sorted) order: number the ones that still have a child.
  let mm = 0;
  for (let q = 0; q < m; q++) if (coarseRow[q] === 0) coarseRow[q] = mm++;
  const parent = new Int32Array(k);
  for (let j = 0; j < k; j++) parent[j] = coarseRow[fullParent[tokens[j]]];
  const poolChildren = new Int32Array(mm * 8).fill(k);
  const poolScale = new Float32Array(mm);
  const nbrCoarse = new Int32Array(mm * 27);
  const coordsCoarse = new Int32Array(mm * 3);
  for (let q = 0; q < m; q++) {
    const p = coarseRow[q];
    if (p < 0) continue;
    let count = 0;
    for (let c = 0; c < 8; c++) {
      const r = row[full.poolChildren[q * 8 + c]];
      if (r >= 0) poolChildren[p * 8 + count++] = r; // ascending, as the full lists are
    }
    poolScale[p] = 1 / (includeSelf ? count + 1 : count);
    for (let c = 0; c < 27; c++) {
      const r = coarseRow[full.nbrCoarse[q * 27 + c]];
      nbrCoarse[p * 27 + c] = r < 0 ? mm : r;
    }
    for (let a = 0; a < 3; a++) coordsCoarse[3 * p + a] = full.coordsCoarse[3 * q + a];
  }
  return { n: k, m: mm, nbr, poolChildren, poolScale, parent, nbrCoarse, coordsCoarse };
}

export interface DecoderStructures {
  n: number;
  /** One partition per shift, in the order given (graph inputs win{i}_idx / _valid / _inv). */
  windows: WindowPartition[];
  /**
   * subdivisions[j-1] is level j: coords (N·8ʲ)×3 in the decoder's row order (row 64i + 8·o₁ + o₂ after two
   * levels) and nbr = graph input nbr_sub{j}, (N·8ʲ)×27 with sentinel N·8ʲ.
   */
  subdivisions: Subdivision[];
  /** Coordinates of the last level (the input coords themselves when subdivisions is 0). */
  finestCoords: Int32Array;
}

/**
 * Windows for each shift at the input grid (packed several to a row when `packed`), and the neighbour maps
 * of each subdivision level. The level-j coordinates come out in the row order of the subdivided decoder
 * tensors.
 */
export function buildDecoderStructures(
  coords: Int32Array,
  window: number,
  shifts: readonly number[],
  subdivisions: number,
  packed = false,
): DecoderStructures {
  if (!Number.isInteger(subdivisions) || subdivisions < 0) {
    throw new Error(`buildDecoderStructures: bad subdivisions ${subdivisions}`);
  }
  const n = coords.length / 3;
  const windows = shifts.map((s) => {
    const w = windowPartition(coords, window, s);
    return packed ? packWindows(w) : w;
  });
  const levels: Subdivision[] = [];
  let level: Subdivision = { coords, nbr: subdivisions > 0 ? neighbourMap(coords, n) : new Int32Array(0) };
  for (let j = 1; j <= subdivisions; j++) {
    level = subdivide(level.coords, level.nbr);
    levels.push(level);
  }
  return { n, windows, subdivisions: levels, finestCoords: level.coords };
}

// Test helpers (seeded RNG, random voxel sets, brute-force references). Not used by the engine.
import { offsetIndex } from './neighbours.ts';

/** Small seeded PRNG, values in [0,1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sorted (x,y,z) voxels of a res³ grid, each present with probability p. */
export function randomSorted(rng: () => number, res: number, p: number): Int32Array {
  const out: number[] = [];
  for (let x = 0; x < res; x++)
    for (let y = 0; y < res; y++) for (let z = 0; z < res; z++) if (rng() < p) out.push(x, y, z);
  return Int32Array.from(out);
}

/** `count` distinct voxels of a res³ grid, sorted lexicographically. */
export function randomSparseSorted(rng: () => number, res: number, count: number): Int32Array {
  const keys = new Set<number>();
  while (keys.size < count) {
    keys.add((Math.floor(rng() * res) * res + Math.floor(rng() * res)) * res + Math.floor(rng() * res));
  }
  const sorted = Float64Array.from(keys).sort();
  const out = new Int32Array(count * 3);
  sorted.forEach((k, i) => {
    out[3 * i] = Math.floor(k / (res * res));
    out[3 * i + 1] = Math.floor(k / res) % res;
    out[3 * i + 2] = k % res;
  });
  return out;
}

/** O(N²) neighbour map: every pair within Chebyshev distance 1. */
export function bruteNeighbours(coords: Int32Array): Int32Array {
  const n = coords.length / 3;
  const nbr = new Int32Array(n * 27).fill(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const dx = coords[3 * j] - coords[3 * i];
      const dy = coords[3 * j + 1] - coords[3 * i + 1];
      const dz = coords[3 * j + 2] - coords[3 * i + 2];
      if (Math.abs(dx) <= 1 && Math.abs(dy) <= 1 && Math.abs(dz) <= 1)
        nbr[i * 27 + offsetIndex(dx, dy, dz)] = j;
    }
  }
  return nbr;
}

/** Neighbour map through a string-keyed Map: an independent reference for large sets. */
export function mapNeighbours(coords: Int32Array): Int32Array {
  const n = coords.length / 3;
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) index.set(`${coords[3 * i]},${coords[3 * i + 1]},${coords[3 * i + 2]}`, i);
  const nbr = new Int32Array(n * 27);
  for (let i = 0; i < n; i++) {
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++)
        for (let dz = -1; dz <= 1; dz++) {
          const j = index.get(`${coords[3 * i] + dx},${coords[3 * i + 1] + dy},${coords[3 * i + 2] + dz}`);
          nbr[i * 27 + offsetIndex(dx, dy, dz)] = j ?? n;
        }
  }
  return nbr;
}

/** Index of the first differing element (or of the length difference), -1 when equal. Cheap for big arrays. */
export function firstMismatch(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

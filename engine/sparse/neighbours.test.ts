import { describe, expect, it } from 'vitest';
import { neighbourMap, offsetIndex, OFFSETS } from './neighbours.ts';
import { bruteNeighbours, mulberry32, randomSorted } from './testing.ts';

describe('neighbourMap', () => {
  it('orders offsets with dx outermost and the centre at 13', () => {
    expect(offsetIndex(-1, -1, -1)).toBe(0);
    expect(offsetIndex(0, 0, 0)).toBe(13);
    expect(offsetIndex(1, 1, 1)).toBe(26);
    expect(offsetIndex(1, 0, -1)).toBe(21);
    for (let k = 0; k < 27; k++)
      expect(offsetIndex(OFFSETS[3 * k], OFFSETS[3 * k + 1], OFFSETS[3 * k + 2])).toBe(k);
  });

  it('matches brute force on dense random sets touching the grid boundary', () => {
    const rng = mulberry32(7);
    for (const p of [0.15, 0.5, 0.9]) {
      const coords = randomSorted(rng, 9, p);
      expect(neighbourMap(coords)).toEqual(bruteNeighbours(coords));
    }
  });

  it('matches brute force on a sparse 64³ set with coordinates 0 and 63', () => {
    const rng = mulberry32(11);
    const pts: number[] = [0, 0, 0, 0, 0, 1, 63, 63, 63, 62, 63, 63, 63, 0, 63];
    for (let i = 0; i < 600; i++) {
      // Clustered around a few centres so that many neighbours exist.
      const c = Math.floor(rng() * 4) * 16 + 8;
      pts.push(c + Math.floor(rng() * 6), c + Math.floor(rng() * 6), Math.floor(rng() * 64));
    }
    const seen = new Set<string>();
    const uniq: number[] = [];
    for (let i = 0; i < pts.length; i += 3) {
      const k = `${pts[i]},${pts[i + 1]},${pts[i + 2]}`;
      if (!seen.has(k)) {
        seen.add(k);
        uniq.push(pts[i], pts[i + 1], pts[i + 2]);
      }
    }
    const coords = Int32Array.from(uniq); // the map must not depend on sorted order
    const nbr = neighbourMap(coords);
    expect(nbr).toEqual(bruteNeighbours(coords));
    const n = coords.length / 3;
    for (let i = 0; i < n; i++) expect(nbr[i * 27 + 13]).toBe(i);
  });

  it('gives an isolated voxel only itself, and the empty set an empty map', () => {
    const nbr = neighbourMap(Int32Array.of(5, 5, 5, 7, 7, 7));
    for (let k = 0; k < 27; k++) expect(nbr[k]).toBe(k === 13 ? 0 : 2);
    expect(neighbourMap(new Int32Array(0))).toEqual(new Int32Array(0));
  });
});

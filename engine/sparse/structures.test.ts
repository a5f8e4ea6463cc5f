import { describe, expect, it } from 'vitest';
import { buildSlatStructures, subsetSlatStructures } from './structures.ts';
import {
  bruteNeighbours,
  mapNeighbours,
  firstMismatch,
  mulberry32,
  randomSorted,
  randomSparseSorted,
} from './testing.ts';

describe('buildSlatStructures', () => {
  it('bundles fine and coarse maps consistent with brute force', () => {
    const coords = randomSorted(mulberry32(2), 10, 0.35);
    const st = buildSlatStructures(coords, true);
    expect(st.n).toBe(coords.length / 3);
    expect(st.coordsCoarse.length).toBe(st.m * 3);
    expect(st.nbr).toEqual(bruteNeighbours(coords));
    expect(st.nbrCoarse).toEqual(bruteNeighbours(st.coordsCoarse));
    expect(st.poolChildren.length).toBe(st.m * 8);
    expect(st.poolScale.length).toBe(st.m);
    for (let i = 0; i < st.n; i++) {
      const p = st.parent[i];
      for (let a = 0; a < 3; a++) expect(st.coordsCoarse[3 * p + a]).toBe(coords[3 * i + a] >> 1);
      expect(Array.from(st.poolChildren.subarray(8 * p, 8 * p + 8))).toContain(i);
    }
  });

  it('is fast at the real size (~40k voxels on 64³)', () => {
    const coords = randomSparseSorted(mulberry32(4), 64, 40000);
    const t0 = performance.now();
    const st = buildSlatStructures(coords, true);
    const ms = performance.now() - t0;
    expect(st.n).toBe(40000);
    expect(ms).toBeLessThan(2000);
    // Spot-check against the independent map reference on the coarse set.
    expect(firstMismatch(st.nbrCoarse, mapNeighbours(st.coordsCoarse))).toBe(-1);
  });
});

describe('subsetSlatStructures', () => {
  it('equals building the structures for the subset, for random subsets and both pooling rules', () => {
    const rng = mulberry32(7);
    const coords = randomSparseSorted(rng, 24, 1500);
    for (const includeSelf of [true, false]) {
      const full = buildSlatStructures(coords, includeSelf);
      for (const keep of [0.9, 0.5, 0.05]) {
        const tokens = Int32Array.from(
          Array.from({ length: full.n }, (_, i) => i).filter(() => rng() < keep),
        );
        const sub = new Int32Array(tokens.length * 3);
        tokens.forEach((t, j) => sub.set(coords.subarray(3 * t, 3 * t + 3), 3 * j));
        expect(subsetSlatStructures(full, tokens, includeSelf)).toEqual(
          buildSlatStructures(sub, includeSelf),
        );
      }
    }
  });
});

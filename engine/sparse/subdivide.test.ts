import { describe, expect, it } from 'vitest';
import { neighbourMap } from './neighbours.ts';
import { buildDecoderStructures } from './structures.ts';
import { subdivide } from './subdivide.ts';
import { mapNeighbours, firstMismatch, mulberry32, randomSorted, randomSparseSorted } from './testing.ts';

describe('subdivide', () => {
  it('orders children 8i + 4a + 2b + c at 2c_i + (a,b,c)', () => {
    const coords = Int32Array.of(3, 5, 7);
    const sub = subdivide(coords, neighbourMap(coords));
    const rows: number[][] = [];
    for (let o = 0; o < 8; o++) rows.push(Array.from(sub.coords.subarray(3 * o, 3 * o + 3)));
    expect(rows).toEqual([
      [6, 10, 14],
      [6, 10, 15],
      [6, 11, 14],
      [6, 11, 15],
      [7, 10, 14],
      [7, 10, 15],
      [7, 11, 14],
      [7, 11, 15],
    ]);
    // A lone voxel's children see exactly their siblings.
    const sentinel = 8;
    for (let o = 0; o < 8; o++) {
      const row = Array.from(sub.nbr.subarray(27 * o, 27 * o + 27));
      expect(row.filter((v) => v !== sentinel).length).toBe(8);
    }
  });

  it('derived neighbour maps equal hashing the subdivided coords, twice (64 → 128 → 256)', () => {
    const rng = mulberry32(21);
    for (const coords of [randomSorted(rng, 6, 0.5), randomSparseSorted(rng, 64, 300)]) {
      if (coords.length > 30) {
        coords.set([0, 0, 0], 0);
        coords.set([63, 63, 63], coords.length - 3);
      }
      let level = { coords, nbr: neighbourMap(coords) };
      for (let j = 0; j < 2; j++) {
        level = subdivide(level.coords, level.nbr);
        expect(firstMismatch(level.nbr, mapNeighbours(level.coords))).toBe(-1);
      }
    }
  });

  it('buildDecoderStructures: row 64i + 8·o₁ + o₂ is 4c_i + 2a₁ + a₂, and nbr_sub{j} match hashing', () => {
    const coords = randomSparseSorted(mulberry32(8), 64, 150);
    const st = buildDecoderStructures(coords, 8, [0, 4], 2);
    expect(st.windows.length).toBe(2);
    expect(st.subdivisions.length).toBe(2);
    const n = coords.length / 3;
    const fine = st.finestCoords;
    expect(fine.length).toBe(64 * n * 3);
    for (let i = 0; i < n; i++) {
      for (let o1 = 0; o1 < 8; o1++) {
        for (let o2 = 0; o2 < 8; o2++) {
          const r = 64 * i + 8 * o1 + o2;
          const a1 = [o1 >> 2, (o1 >> 1) & 1, o1 & 1];
          const a2 = [o2 >> 2, (o2 >> 1) & 1, o2 & 1];
          for (let ax = 0; ax < 3; ax++)
            expect(fine[3 * r + ax]).toBe(4 * coords[3 * i + ax] + 2 * a1[ax] + a2[ax]);
        }
      }
    }
    st.subdivisions.forEach((s, j) => {
      expect(s.nbr.length).toBe(n * 8 ** (j + 1) * 27);
      expect(firstMismatch(s.nbr, mapNeighbours(s.coords))).toBe(-1);
    });
    const none = buildDecoderStructures(coords, 8, [0], 0);
    expect(none.subdivisions.length).toBe(0);
    expect(none.finestCoords).toBe(coords);
  });
});

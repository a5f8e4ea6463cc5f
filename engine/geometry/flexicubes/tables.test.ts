// Structural checks of the generated tables (the generator itself was compared case by case with the
// published FlexiCubes tables: 0 of 256 cases differ; see modeling/fsam3d_ref/gen_flexicubes_tables.py).
import { describe, expect, it } from 'vitest';
import { CHECK_TABLE, CUBE_EDGES, DMC_TABLE, NUM_VD_TABLE } from './tables.ts';

const neg = (cs: number, corner: number): boolean => ((cs >> corner) & 1) === 1;
const groupsOf = (cs: number): number[][] =>
  Array.from({ length: 4 }, (_, g) =>
    Array.from(DMC_TABLE.subarray(cs * 28 + g * 7, cs * 28 + g * 7 + 7)),
  ).map((r) => r.filter((e) => e >= 0));

describe('FlexiCubes tables', () => {
  it('has 12 axis-aligned edges whose parallel copies point the same way', () => {
    const corner = (i: number): number[] => [i & 1, (i >> 1) & 1, (i >> 2) & 1];
    const dirs = CUBE_EDGES.map(([a, b]) =>
      corner(b)
        .map((v, k) => v - corner(a)[k])
        .join(','),
    );
    for (const d of new Set(dirs)) expect(dirs.filter((x) => x === d).length).toBe(4);
    expect(new Set(dirs).size).toBe(3);
  });

  it('partitions exactly the sign-changing edges of every case into num_vd groups', () => {
    for (let cs = 0; cs < 256; cs++) {
      const groups = groupsOf(cs);
      const nonEmpty = groups.filter((g) => g.length > 0);
      expect(nonEmpty.length).toBe(NUM_VD_TABLE[cs]);
      expect(groups.slice(0, NUM_VD_TABLE[cs]).every((g) => g.length >= 3)).toBe(true);
      const surface = CUBE_EDGES.map(([a, b], e) => (neg(cs, a) !== neg(cs, b) ? e : -1)).filter(
        (e) => e >= 0,
      );
      expect(nonEmpty.flat().sort((a, b) => a - b)).toEqual(surface);
      for (const g of nonEmpty) expect(g).toEqual([...g].sort((a, b) => a - b));
    }
  });

  it('flags C16/C19 cases with an ambiguous face direction and the complementary case', () => {
    let flagged = 0;
    for (let cs = 0; cs < 256; cs++) {
      const c = Array.from(CHECK_TABLE.subarray(5 * cs, 5 * cs + 5));
      if (c[0] === 0) {
        expect(c).toEqual([0, 0, 0, 0, 0]);
        continue;
      }
      flagged++;
      expect(NUM_VD_TABLE[cs]).toBe(1);
      expect(c[4]).toBe(255 - cs);
      expect(NUM_VD_TABLE[c[4]]).toBe(2);
      expect(Math.abs(c[1]) + Math.abs(c[2]) + Math.abs(c[3])).toBe(1);
      // The indicated face is ambiguous: diagonal corners share a sign, adjacent ones differ.
      const axis = [c[1], c[2], c[3]].findIndex((d) => d !== 0);
      const side = [c[1], c[2], c[3]][axis] > 0 ? 1 : 0;
      const face = [0, 1, 2, 3, 4, 5, 6, 7].filter((i) => ((i >> axis) & 1) === side);
      const s = face.map((i) => neg(cs, i));
      expect(s[0] === s[3] && s[1] === s[2] && s[0] !== s[1]).toBe(true);
    }
    expect(flagged).toBe(36);
  });
});

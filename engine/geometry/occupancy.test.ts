import { describe, expect, it } from 'vitest';
import { mulberry32, randomSorted } from '../sparse/testing.ts';
import { capVoxels, occupiedCoords, pruneInterior, roundHalfEven, sortUniqueRows } from './occupancy.ts';

function cube(lo: number, hi: number): Int32Array {
  const out: number[] = [];
  for (let x = lo; x <= hi; x++)
    for (let y = lo; y <= hi; y++) for (let z = lo; z <= hi; z++) out.push(x, y, z);
  return Int32Array.from(out);
}

describe('occupiedCoords', () => {
  it('is argwhere(logits > threshold) in (x,y,z) C order', () => {
    const G = 7;
    const rng = mulberry32(1);
    const logits = new Float32Array(G ** 3).map(() => rng() * 2 - 1);
    logits[0] = 0.25; // exactly at the threshold: excluded
    const expected: number[] = [];
    for (let x = 0; x < G; x++)
      for (let y = 0; y < G; y++)
        for (let z = 0; z < G; z++) if (logits[(x * G + y) * G + z] > 0.25) expected.push(x, y, z);
    expect(Array.from(occupiedCoords(logits, G, 0.25))).toEqual(expected);
    // Asymmetric single voxel pins the axis order.
    const one = new Float32Array(G ** 3);
    one[(1 * G + 2) * G + 3] = 1;
    expect(Array.from(occupiedCoords(one, G, 0))).toEqual([1, 2, 3]);
  });
});

describe('pruneInterior', () => {
  it('keeps only the shell of a solid cube: n³ − (n−2)³ voxels', () => {
    const n = 6;
    const solid = cube(2, 2 + n - 1);
    const kept = pruneInterior(solid, 12);
    expect(kept.length / 3).toBe(n ** 3 - (n - 2) ** 3);
    for (let i = 0; i < kept.length / 3; i++) {
      const onShell = [0, 1, 2].some((a) => kept[3 * i + a] === 2 || kept[3 * i + a] === 2 + n - 1);
      expect(onShell).toBe(true);
    }
  });

  it('treats cells outside the grid as empty (a full grid keeps its boundary)', () => {
    const G = 5;
    const kept = pruneInterior(cube(0, G - 1), G);
    expect(kept.length / 3).toBe(G ** 3 - (G - 2) ** 3);
  });

  it('matches a brute-force 27-cell count and keeps row order', () => {
    const rng = mulberry32(2);
    const G = 9;
    const coords = randomSorted(rng, G, 0.85);
    const occ = new Set<string>();
    for (let i = 0; i < coords.length / 3; i++)
      occ.add(`${coords[3 * i]},${coords[3 * i + 1]},${coords[3 * i + 2]}`);
    const expected: number[] = [];
    for (let i = 0; i < coords.length / 3; i++) {
      let count = 0;
      for (let dx = -1; dx <= 1; dx++)
        for (let dy = -1; dy <= 1; dy++)
          for (let dz = -1; dz <= 1; dz++)
            if (occ.has(`${coords[3 * i] + dx},${coords[3 * i + 1] + dy},${coords[3 * i + 2] + dz}`)) count++;
      if (count < 27) expected.push(coords[3 * i], coords[3 * i + 1], coords[3 * i + 2]);
    }
    expect(expected.length).toBeLessThan(coords.length); // the case exercises dropping
    expect(Array.from(pruneInterior(coords, G))).toEqual(expected);
  });
});

describe('capVoxels', () => {
  it('rounds half to even like torch.round', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999, 2.5001, 3].map(roundHalfEven)).toEqual([
      0, 2, 2, -0, -2, 2, 3, 3,
    ]);
  });

  it('returns the input untouched at or below the cap', () => {
    const c = cube(0, 2);
    const r = capVoxels(c, 27, 2);
    expect(r.coords).toBe(c);
    expect(r.downsampleFactor).toBe(1);
  });

  // Hand-computed. x ∈ 0..9: size 10, target 5, tmin 2.5, tmax 6.5, clamp [2,6];
  //   x' = round(x/9·4 + 2.5): 0→2 (2.5, tie to even; Math.round would give 3), 1→3, 2→3, 3→4, 4→4,
  //   5→5, 6→5, 7→6, 8→6, 9→6 (6.5 tie → 6).
  // y ∈ 3..7: size 5, target 2.5, tmin 4.25, tmax 5.75, clamp [4,5];
  //   y' = round((y−3)/4·1.5 + 4.25): 3→4 (4.25), 4→5 (4.625), 5→5 (5.0), 6→5 (5.375), 7→6 clamped to 5.
  // z ∈ {0,9}: as x, 0→2, 9→6.
  const hand = (() => {
    const out: number[] = [];
    for (let x = 0; x <= 9; x++) for (let y = 3; y <= 7; y++) for (const z of [0, 9]) out.push(x, y, z);
    return Int32Array.from(out);
  })();
  const handExpected = (() => {
    const out: number[] = [];
    for (const x of [2, 3, 4, 5, 6]) for (const y of [4, 5]) for (const z of [2, 6]) out.push(x, y, z);
    return out;
  })();

  it('rescales a hand-computed case exactly (ties to even, clamp, sorted unique)', () => {
    expect(hand.length / 3).toBe(100);
    const r = capVoxels(hand, 30, 2);
    expect(r.downsampleFactor).toBe(2);
    expect(Array.from(r.coords)).toEqual(handExpected);
  });

  it('keeps a sorted random subset when still above the cap, deterministic for a seeded rng', () => {
    const a = capVoxels(hand, 7, 2, mulberry32(9));
    const b = capVoxels(hand, 7, 2, mulberry32(9));
    expect(a.downsampleFactor).toBe(2);
    expect(a.coords).toEqual(b.coords);
    expect(a.coords.length).toBe(21);
    expect(Array.from(sortUniqueRows(a.coords))).toEqual(Array.from(a.coords)); // sorted and distinct
    const allowed = new Set<string>();
    for (let i = 0; i < handExpected.length; i += 3) allowed.add(handExpected.slice(i, i + 3).join());
    for (let i = 0; i < 7; i++)
      expect(allowed.has(Array.from(a.coords.subarray(3 * i, 3 * i + 3)).join())).toBe(true);
  });

  it('maps a one-voxel-thick axis to int(tmax) as torch does (NaN, then clamp with min > max)', () => {
    // z ≡ 5: size 1, tmin 5.25 → 5, tmax 4.75 → 4; torch.clamp(min=5, max=4) yields 4.
    const flat: number[] = [];
    for (let x = 0; x < 4; x++) for (let y = 0; y < 4; y++) flat.push(x, y, 5);
    const r = capVoxels(Int32Array.from(flat), 3, 2, mulberry32(1));
    for (let i = 0; i < r.coords.length / 3; i++) expect(r.coords[3 * i + 2]).toBe(4);
  });
});

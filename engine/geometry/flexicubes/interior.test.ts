// sealInterior: the mesh is the outer boundary of the solid. Cases built from a sphere's sdf on a band of
// cubes, the way a decoder sees it, with the defects a small decoder produces.
import { describe, expect, it } from 'vitest';
import { extractFlexiCubes } from './extract.ts';
import { findInterior } from './interior.ts';
import { analyticInput, edgeStats } from './testing.ts';
import type { FlexiCubesInput, FlexiCubesMesh } from './types.ts';

const RES = 32;
const R = 0.3;
const K = 101;
const sphere = (x: number, y: number, z: number): number => Math.hypot(x, y, z) - R;
const grey = (): [number, number, number] => [0.5, 0.5, 0.5];
const SPHERE_VOLUME = (4 / 3) * Math.PI * R ** 3;

/** The cubes of a solid sphere input whose corners are not all deeper than `band` inside: a surface band. */
function band(
  width: number,
  keep: (x: number, y: number, z: number) => boolean = () => true,
  colour: () => [number, number, number] = grey,
) {
  const solid = analyticInput(RES, sphere, width, colour);
  const coords: number[] = [];
  const rows: Float32Array[] = [];
  for (let r = 0; r < solid.coords.length / 3; r++) {
    const row = solid.feats.subarray(r * K, r * K + K);
    const [x, y, z] = solid.coords.subarray(3 * r, 3 * r + 3);
    if (Math.max(...row.subarray(0, 8)) <= -width || !keep(x, y, z)) continue;
    coords.push(x, y, z);
    rows.push(row);
  }
  const feats = new Float32Array(rows.length * K);
  rows.forEach((row, i) => feats.set(row, i * K));
  return { ...solid, coords: Int32Array.from(coords), feats };
}

/** Same input with every corner sdf passed through f(sdf, cube centre). */
function mapSdf(input: FlexiCubesInput, f: (s: number, c: [number, number, number]) => number) {
  const feats = input.feats.slice();
  for (let r = 0; r < feats.length / K; r++) {
    const c = [0, 1, 2].map((a) => (input.coords[3 * r + a] + 0.5) / RES - 0.5) as [number, number, number];
    for (let j = 0; j < 8; j++) feats[r * K + j] = f(feats[r * K + j], c);
  }
  return { ...input, feats };
}

function volume(m: FlexiCubesMesh): number {
  const v = m.vertices;
  let vol = 0;
  for (let t = 0; t < m.faces.length; t += 3) {
    const [a, b, c] = [m.faces[t], m.faces[t + 1], m.faces[t + 2]].map((i) => 3 * i);
    vol +=
      (v[a] * (v[b + 1] * v[c + 2] - v[b + 2] * v[c + 1]) +
        v[a + 1] * (v[b + 2] * v[c] - v[b] * v[c + 2]) +
        v[a + 2] * (v[b] * v[c + 1] - v[b + 1] * v[c])) /
      6;
  }
  return vol;
}

/** Euler characteristic of a closed mesh (2 per sphere-like component); throws on a boundary edge. */
function euler(m: FlexiCubesMesh): number {
  const { undirected } = edgeStats(m);
  for (const c of undirected.values())
    if (c !== 2) throw new Error('mesh has a boundary or non-manifold edge');
  return m.vertices.length / 3 - undirected.size + m.faces.length / 3;
}

const maxRadiusError = (m: FlexiCubesMesh) => {
  let e = 0;
  for (let i = 0; i < m.vertices.length; i += 3)
    e = Math.max(e, Math.abs(Math.hypot(m.vertices[i], m.vertices[i + 1], m.vertices[i + 2]) - R));
  return e;
};

describe('extractFlexiCubes with sealInterior', () => {
  const shell = band(1.5 / RES);

  it('drops the hidden inner shell of a surface band', () => {
    const ref = extractFlexiCubes(shell);
    expect(euler(ref)).toBe(4); // outer sphere + inner shell
    expect(volume(ref)).toBeLessThan(0.7 * SPHERE_VOLUME);
    const m = extractFlexiCubes({ ...shell, sealInterior: 2 });
    expect(euler(m)).toBe(2);
    expect(volume(m) / SPHERE_VOLUME).toBeGreaterThan(0.97);
    expect(maxRadiusError(m)).toBeLessThan(0.1 / RES);
  });

  it('seals a hole where the band says "outside" through its whole thickness', () => {
    const holed = mapSdf(shell, (s, [x, y, z]) => (x > 0.2 && Math.hypot(y, z) < 2 / RES ? 0.05 : s));
    const ref = extractFlexiCubes(holed);
    expect(euler(ref)).toBe(2); // outer and inner shells joined through the hole: one hollow surface
    expect(volume(ref)).toBeLessThan(0.7 * SPHERE_VOLUME);
    const m = extractFlexiCubes({ ...holed, sealInterior: 2 });
    expect(euler(m)).toBe(2);
    expect(volume(m) / SPHERE_VOLUME).toBeGreaterThan(0.9);
  });

  it('seals a gap in the voxel band itself, coloured like its surroundings', () => {
    const red = (): [number, number, number] => [0.8, 0.2, 0.2];
    const centre = (i: number) => (i + 0.5) / RES - 0.5;
    const gap = band(
      1.5 / RES,
      (x, y, z) => !(centre(x) > 0.2 && Math.hypot(centre(y), centre(z)) < 2 / RES),
      red,
    );
    expect(volume(extractFlexiCubes(gap))).toBeLessThan(0.7 * SPHERE_VOLUME);
    const m = extractFlexiCubes({ ...gap, sealInterior: 2 });
    expect(euler(m)).toBe(2);
    expect(volume(m) / SPHERE_VOLUME).toBeGreaterThan(0.9);
    let worst = 0;
    for (let i = 0; i < m.colors.length; i++) worst = Math.max(worst, Math.abs(m.colors[i] - red()[i % 3]));
    expect(worst).toBeLessThan(0.01); // no grey seal
  });

  it('removes "outside" layers predicted inside the band', () => {
    // Negative only within one cube of the surface, positive deeper in the band. (A negative skin thinner
    // than a cube leaks: positive vertices then connect the layer to the outside, and it stays.)
    const layered = mapSdf(shell, (s) => (s < -1 / RES ? 0.02 : s));
    expect(extractFlexiCubes(layered).faces.length).toBeGreaterThan(extractFlexiCubes(shell).faces.length);
    const m = extractFlexiCubes({ ...layered, sealInterior: 2 });
    expect(euler(m)).toBe(2);
    expect(maxRadiusError(m)).toBeLessThan(0.1 / RES);
  });

  it('keeps an opening wider than the seal (a bowl stays a bowl)', () => {
    const bowl = band(1.5 / RES, (x) => (x + 0.5) / RES - 0.5 < 0.15); // 8-cube-wide mouth at x ≈ 0.15
    const ref = extractFlexiCubes(bowl);
    const m = extractFlexiCubes({ ...bowl, sealInterior: 2 });
    expect(Array.from(m.faces)).toEqual(Array.from(ref.faces));
    expect(Array.from(m.vertices)).toEqual(Array.from(ref.vertices));
  });

  it('changes nothing on a solid input (every inside cube active)', () => {
    const solid = analyticInput(RES, sphere, 1.5 / RES, grey);
    const ref = extractFlexiCubes(solid);
    const m = extractFlexiCubes({ ...solid, sealInterior: 2 });
    expect(Array.from(m.faces)).toEqual(Array.from(ref.faces));
    expect(Array.from(m.vertices)).toEqual(Array.from(ref.vertices));
  });
});

describe('findInterior on subdivided voxels', () => {
  it('closes whole 2³ blocks on the coarse grid with the same result as cube by cube', () => {
    // A voxel shell with a gap, subdivided into aligned 2³ blocks; shifted by one cube the blocks are no
    // longer aligned, so the closing runs cube by cube. Both must agree vertex for vertex.
    const coarse: number[] = [];
    for (let x = 0; x < 12; x++)
      for (let y = 0; y < 12; y++)
        for (let z = 0; z < 12; z++) {
          const r = Math.hypot(x - 5.5, y - 5.5, z - 5.5);
          if (r > 3.5 && r < 5 && !(x === 11 && y > 4 && y < 7)) coarse.push(x + 2, y + 2, z + 2);
        }
    const fine = (shift: number) =>
      Int32Array.from(
        Array.from({ length: coarse.length / 3 }, (_, v) =>
          [0, 1, 2, 3, 4, 5, 6, 7].flatMap((o) => [
            2 * coarse[3 * v] + (o & 1) + shift,
            2 * coarse[3 * v + 1] + ((o >> 1) & 1),
            2 * coarse[3 * v + 2] + (o >> 2),
          ]),
        ).flat(),
      );
    const res = 40;
    const N = res + 1;
    const key = (x: number, y: number, z: number) => (x * N + y) * N + z;
    const vertices = (coords: Int32Array) => {
      const keys = new Set<number>();
      for (let r = 0; r < coords.length; r += 3)
        for (let c = 0; c < 8; c++)
          keys.add(key(coords[r] + (c & 1), coords[r + 1] + ((c >> 1) & 1), coords[r + 2] + (c >> 2)));
      return Int32Array.from(keys);
    };
    const aligned = fine(0);
    const shifted = fine(1);
    const a = findInterior(aligned, res, 6, vertices(aligned), () => false);
    const b = findInterior(shifted, res, 6, vertices(shifted), () => false);
    let outside = 0,
      disagree = 0;
    for (let x = 0; x < res - 1; x++)
      for (let y = 0; y <= res; y++)
        for (let z = 0; z <= res; z++) {
          if (a.isOutside(key(x, y, z)) !== b.isOutside(key(x + 1, y, z))) disagree++;
          if (a.isOutside(key(x, y, z))) outside++;
        }
    expect(disagree).toBe(0);
    expect(outside).toBeGreaterThan(0);
    expect(outside).toBeLessThan((res - 1) * N * N - 500); // the sealed shell's inside is not outside
    expect(a.border.map((k) => k + N * N).sort((p, q) => p - q)).toEqual([...b.border].sort((p, q) => p - q));
  });
});

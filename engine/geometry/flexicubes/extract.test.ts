import { describe, expect, it } from 'vitest';
import { extractFlexiCubes } from './extract.ts';
import { analyticInput, edgeStats, SAM_LAYOUT } from './testing.ts';
import type { FlexiCubesInput } from './types.ts';

const R = 0.3;
const sphere = (x: number, y: number, z: number): number => Math.hypot(x, y, z) - R;
const rgb = (x: number, y: number, _z: number): [number, number, number] => [0.5 + x, 0.5 + 0.8 * y, 0.3];

function shuffled(input: FlexiCubesInput, seed: number): FlexiCubesInput {
  const n = input.coords.length / 3;
  const perm = Array.from({ length: n }, (_, i) => i);
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  const K = input.channels;
  const coords = new Int32Array(3 * n);
  const feats = new Float32Array(K * n);
  perm.forEach((src, dst) => {
    coords.set(input.coords.subarray(3 * src, 3 * src + 3), 3 * dst);
    feats.set(input.feats.subarray(K * src, K * src + K), K * dst);
  });
  return { ...input, coords, feats };
}

describe('extractFlexiCubes on an analytic sphere (32³)', () => {
  const input = analyticInput(32, sphere, 2 / 32, rgb);
  const mesh = extractFlexiCubes(input);
  const V = mesh.vertices.length / 3;
  const F = mesh.faces.length / 3;

  it('is a closed 2-manifold of genus 0 with every vertex used', () => {
    expect(F).toBeGreaterThan(1000);
    const { undirected } = edgeStats(mesh);
    for (const c of undirected.values()) expect(c).toBe(2);
    const used = new Uint8Array(V);
    for (const i of mesh.faces) used[i] = 1;
    expect(used.every((u) => u === 1)).toBe(true);
    expect(V - undirected.size + F).toBe(2);
  });

  it('has consistent outward winding', () => {
    const { directed } = edgeStats(mesh);
    for (const c of directed.values()) expect(c).toBe(1); // each directed edge once: consistent orientation
    const v = mesh.vertices;
    let volume = 0;
    let outward = 0;
    for (let t = 0; t < mesh.faces.length; t += 3) {
      const [a, b, c] = [mesh.faces[t], mesh.faces[t + 1], mesh.faces[t + 2]].map((i) => [
        v[3 * i],
        v[3 * i + 1],
        v[3 * i + 2],
      ]);
      const e1 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
      const e2 = [c[0] - a[0], c[1] - a[1], c[2] - a[2]];
      const n = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
      const ctr = [(a[0] + b[0] + c[0]) / 3, (a[1] + b[1] + c[1]) / 3, (a[2] + b[2] + c[2]) / 3];
      if (n[0] * ctr[0] + n[1] * ctr[1] + n[2] * ctr[2] > 0) outward++;
      volume +=
        (a[0] * (b[1] * c[2] - b[2] * c[1]) +
          a[1] * (b[2] * c[0] - b[0] * c[2]) +
          a[2] * (b[0] * c[1] - b[1] * c[0])) /
        6;
    }
    expect(outward).toBe(F);
    // Positive and close to the sphere's (a polyhedron with vertices on the sphere is slightly smaller).
    const ratio = volume / ((4 / 3) * Math.PI * R ** 3);
    expect(ratio).toBeGreaterThan(0.97);
    expect(ratio).toBeLessThan(1.01);
  });

  it('puts vertices on the sphere and inside [-0.5, 0.5]', () => {
    let maxErr = 0;
    for (let i = 0; i < V; i++) {
      const [x, y, z] = [mesh.vertices[3 * i], mesh.vertices[3 * i + 1], mesh.vertices[3 * i + 2]];
      maxErr = Math.max(maxErr, Math.abs(Math.hypot(x, y, z) - R));
      for (const c of [x, y, z]) expect(Math.abs(c)).toBeLessThanOrEqual(0.5);
    }
    expect(maxErr).toBeLessThan(0.1 / 32);
  });

  it('carries colours (sigmoid of interpolated raw colour, in [0,1])', () => {
    let maxErr = 0;
    for (let i = 0; i < V; i++) {
      const want = rgb(mesh.vertices[3 * i], mesh.vertices[3 * i + 1], mesh.vertices[3 * i + 2]);
      for (let k = 0; k < 3; k++) {
        const c = mesh.colors[3 * i + k];
        expect(c).toBeGreaterThanOrEqual(0);
        expect(c).toBeLessThanOrEqual(1);
        maxErr = Math.max(maxErr, Math.abs(c - want[k]));
      }
    }
    expect(maxErr).toBeLessThan(0.02);
  });

  it('is deterministic and independent of voxel row order', () => {
    const again = extractFlexiCubes(input);
    expect(again.vertices).toEqual(mesh.vertices);
    expect(again.faces).toEqual(mesh.faces);
    expect(again.colors).toEqual(mesh.colors);
    const other = extractFlexiCubes(shuffled(input, 7));
    expect(other.vertices).toEqual(mesh.vertices);
    expect(other.faces).toEqual(mesh.faces);
    expect(other.colors).toEqual(mesh.colors);
  });

  it('winds towards positive sdf on a two-sided shell (inverted field)', () => {
    // sdf' = R − |p| over the same voxels; vertices beyond the active set stay +1, so the negative region
    // is a shell: the inner surface (|p| ≈ R) must face the centre, the outer one away from it.
    const inv = { ...input, feats: input.feats.slice() };
    for (let r = 0; r < inv.feats.length / 101; r++) for (let j = 0; j < 8; j++) inv.feats[r * 101 + j] *= -1;
    const m = extractFlexiCubes(inv);
    const { undirected, directed } = edgeStats(m);
    for (const c of undirected.values()) expect(c).toBe(2);
    for (const c of directed.values()) expect(c).toBe(1);
    const v = m.vertices;
    let wrong = 0;
    for (let t = 0; t < m.faces.length; t += 3) {
      const [a, b, c] = [m.faces[t], m.faces[t + 1], m.faces[t + 2]].map((i) => [
        v[3 * i],
        v[3 * i + 1],
        v[3 * i + 2],
      ]);
      const e1 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
      const e2 = [c[0] - a[0], c[1] - a[1], c[2] - a[2]];
      const n = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
      const ctr = [(a[0] + b[0] + c[0]) / 3, (a[1] + b[1] + c[1]) / 3, (a[2] + b[2] + c[2]) / 3];
      const inner = Math.hypot(ctr[0], ctr[1], ctr[2]) < R + 0.5 / 32;
      const out = n[0] * ctr[0] + n[1] * ctr[1] + n[2] * ctr[2] > 0;
      if (out === inner) wrong++;
    }
    expect(wrong).toBe(0);
  });
});

describe('extractFlexiCubes edge cases', () => {
  it('returns an empty mesh when nothing is negative', () => {
    const input = analyticInput(
      8,
      () => 1,
      2,
      () => [0.5, 0.5, 0.5],
    );
    const m = extractFlexiCubes(input);
    expect(m.vertices.length).toBe(0);
    expect(m.faces.length).toBe(0);
  });

  it('rejects voxels outside the grid and malformed layouts', () => {
    const input = analyticInput(8, sphere, 0.1, rgb);
    const bad = { ...input, coords: input.coords.slice() };
    bad.coords[0] = 8;
    expect(() => extractFlexiCubes(bad)).toThrow(/outside/);
    expect(() => extractFlexiCubes({ ...input, layout: { ...input.layout, beta: [32, 43] } })).toThrow(
      /beta/,
    );
  });

  it('extracts ~50k active voxels at res 256 quickly', () => {
    // Two-voxel band around a sphere of radius 0.2 (≈ 51 voxels), like a decoder's near-surface set.
    const res = 256;
    const K = 101;
    const coords: number[] = [];
    const c = res / 2;
    const lo = Math.floor(c - 0.2 * res - 2);
    const hi = Math.ceil(c + 0.2 * res + 2);
    for (let x = lo; x < hi; x++)
      for (let y = lo; y < hi; y++)
        for (let z = lo; z < hi; z++) {
          const d = Math.hypot(x + 0.5 - c, y + 0.5 - c, z + 0.5 - c) - 0.2 * res;
          if (Math.abs(d) < 0.9) coords.push(x, y, z);
        }
    const n = coords.length / 3;
    const feats = new Float32Array(n * K);
    let s = 1;
    const rnd = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5;
    for (let r = 0; r < n; r++) {
      for (let k = 8; k < K; k++) feats[r * K + k] = rnd();
      for (let j = 0; j < 8; j++) {
        const px = coords[3 * r] + (j & 1) - c;
        const py = coords[3 * r + 1] + ((j >> 1) & 1) - c;
        const pz = coords[3 * r + 2] + ((j >> 2) & 1) - c;
        feats[r * K + j] = (Math.hypot(px, py, pz) - 0.2 * res) / res + 0.002 * rnd();
      }
    }
    const input: FlexiCubesInput = {
      coords: Int32Array.from(coords),
      feats,
      channels: K,
      res,
      sdfBias: -1 / res,
      weightScale: 0.99,
      layout: SAM_LAYOUT,
    };
    extractFlexiCubes(input); // warm-up (JIT)
    let ms = Infinity;
    let m = extractFlexiCubes(input);
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      m = extractFlexiCubes(input);
      ms = Math.min(ms, performance.now() - t0);
    }
    console.log(
      `flexicubes: ${n} voxels -> ${m.vertices.length / 3} vertices, ${m.faces.length / 3} faces in ${ms.toFixed(0)} ms`,
    );
    expect(n).toBeGreaterThan(40000);
    expect(m.faces.length).toBeGreaterThan(0);
    expect(ms).toBeLessThan(1500); // best of 3; about 200 ms on a 2-core machine, generous for shared CI
  });
});

// Parity with the dense PyTorch reference (modeling/fsam3d_ref/flexicubes.py). Fixtures are written by
// modeling/fsam3d_ref/make_flexicubes_fixtures.py; meshes are compared as sets: vertices matched by
// nearest neighbour, faces compared after mapping and canonical rotation (winding kept).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSafetensors } from '../../../tests/support/safetensors.ts';
import { extractFlexiCubes } from './extract.ts';
import { canonicalFaces } from './testing.ts';
import type { ChannelRange, FlexiCubesLayout } from './types.ts';

const DIR = fileURLToPath(new URL('../../../resources/fixtures/flexicubes/', import.meta.url));
const CASES = ['shell', 'random', 'full_box'];
const KEYS = ['sdf', 'deform', 'beta', 'alpha', 'gamma', 'color'] as const;

/** For each reference vertex the index of the nearest test vertex (brute force over an x-sorted window). */
function matchVertices(
  ref: Float32Array,
  got: Float32Array,
  tol: number,
): { map: Int32Array; maxErr: number } {
  const n = ref.length / 3;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => got[3 * a] - got[3 * b]);
  const xs = order.map((i) => got[3 * i]);
  const map = new Int32Array(n).fill(-1);
  let maxErr = 0;
  for (let i = 0; i < n; i++) {
    const x = ref[3 * i];
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[mid] < x - tol) lo = mid + 1;
      else hi = mid;
    }
    let best = Infinity;
    for (let k = lo; k < n && xs[k] <= x + tol; k++) {
      const j = order[k];
      const d = Math.max(
        Math.abs(got[3 * j] - x),
        Math.abs(got[3 * j + 1] - ref[3 * i + 1]),
        Math.abs(got[3 * j + 2] - ref[3 * i + 2]),
      );
      if (d < best) {
        best = d;
        map[i] = j;
      }
    }
    maxErr = Math.max(maxErr, best);
  }
  return { map, maxErr };
}

describe('extractFlexiCubes matches the dense torch reference', () => {
  for (const name of CASES) {
    const path = `${DIR}${name}.safetensors`;
    it(name, () => {
      const t = readSafetensors(path);
      const lay = t.layout.data;
      const layout = Object.fromEntries(
        KEYS.map((k, i) => [k, [lay[2 * i], lay[2 * i + 1]] as ChannelRange]),
      ) as unknown as FlexiCubesLayout;
      const mesh = extractFlexiCubes({
        coords: t.coords.data as Int32Array,
        feats: t.feats.data as Float32Array,
        channels: t.feats.shape[1],
        res: t.res.data[0],
        sdfBias: t.sdf_bias.data[0],
        weightScale: t.weight_scale.data[0],
        layout,
      });
      const refV = t.vertices.data as Float32Array;
      const refF = t.faces.data as Int32Array;
      const refC = t.colors.data as Float32Array;
      expect(mesh.vertices.length).toBe(refV.length);
      expect(mesh.faces.length).toBe(refF.length);

      const { map, maxErr } = matchVertices(refV, mesh.vertices, 1e-3);
      expect(maxErr).toBeLessThanOrEqual(1e-4);
      expect(new Set(map).size).toBe(map.length); // a bijection
      let colErr = 0;
      for (let i = 0; i < map.length; i++)
        for (let k = 0; k < 3; k++)
          colErr = Math.max(colErr, Math.abs(refC[3 * i + k] - mesh.colors[3 * map[i] + k]));
      expect(colErr).toBeLessThanOrEqual(1e-4);
      expect(canonicalFaces(mesh.faces)).toEqual(canonicalFaces(refF, map));

      // Same construction order as the reference, so the arrays line up index for index as well.
      expect(Array.from(map)).toEqual(Array.from(map, (_, i) => i));
      expect(Array.from(mesh.faces)).toEqual(Array.from(refF));
    });
  }
});

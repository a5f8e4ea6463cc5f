// Area-weighted uniform surface sampling: a face is picked with probability ∝ its area, then a point
// uniform on that triangle (barycentric with the √u trick). Seeded through the engine's Rng
// (pure-rand xoroshiro128+) so a seed gives the same points on any machine.
import { Rng } from '../sampling/rng.ts';
import type { TriMesh } from './types.ts';

export const DEFAULT_SAMPLES = 20000;
export const DEFAULT_SEED = 0;

/** Per-face areas and their running sum (cdf[i] = area of faces 0..i). */
export function faceAreaCdf(mesh: TriMesh): Float64Array {
  const v = mesh.vertices,
    f = mesh.faces;
  const nf = f.length / 3;
  const cdf = new Float64Array(nf);
  let acc = 0;
  for (let i = 0; i < nf; i++) {
    const a = 3 * f[3 * i],
      b = 3 * f[3 * i + 1],
      c = 3 * f[3 * i + 2];
    const ux = v[b] - v[a],
      uy = v[b + 1] - v[a + 1],
      uz = v[b + 2] - v[a + 2];
    const wx = v[c] - v[a],
      wy = v[c + 1] - v[a + 1],
      wz = v[c + 2] - v[a + 2];
    const cx = uy * wz - uz * wy,
      cy = uz * wx - ux * wz,
      cz = ux * wy - uy * wx;
    acc += 0.5 * Math.sqrt(cx * cx + cy * cy + cz * cz);
    cdf[i] = acc;
  }
  return cdf;
}

/** `n` points (n×3) uniformly distributed over the surface area of `mesh`. */
export function sampleSurface(mesh: TriMesh, n = DEFAULT_SAMPLES, seed = DEFAULT_SEED): Float64Array {
  const cdf = faceAreaCdf(mesh);
  const total = cdf.length ? cdf[cdf.length - 1] : 0;
  if (!(total > 0)) throw new Error('metrics: mesh has no surface area to sample');
  const v = mesh.vertices,
    f = mesh.faces;
  const rng = new Rng(seed);
  const out = new Float64Array(3 * n);
  for (let s = 0; s < n; s++) {
    // First face whose running area exceeds the draw (binary search); zero-area faces are never hit.
    const t = rng.uniform() * total;
    let lo = 0,
      hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > t) hi = mid;
      else lo = mid + 1;
    }
    const r1 = Math.sqrt(rng.uniform()),
      r2 = rng.uniform();
    const wa = 1 - r1,
      wb = r1 * (1 - r2),
      wc = r1 * r2;
    const a = 3 * f[3 * lo],
      b = 3 * f[3 * lo + 1],
      c = 3 * f[3 * lo + 2];
    for (let k = 0; k < 3; k++) out[3 * s + k] = wa * v[a + k] + wb * v[b + k] + wc * v[c + k];
  }
  return out;
}

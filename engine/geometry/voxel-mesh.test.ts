import { describe, expect, it } from 'vitest';
import { voxelSurfaceMesh } from './voxel-mesh.ts';

/** Signed volume (divergence theorem): positive iff the faces are wound outward. */
function volume(m: { vertices: ArrayLike<number>; faces: ArrayLike<number> }): number {
  const v = m.vertices,
    f = m.faces;
  let vol = 0;
  for (let k = 0; k < f.length; k += 3) {
    const [a, b, c] = [3 * f[k], 3 * f[k + 1], 3 * f[k + 2]];
    vol +=
      v[a] * (v[b + 1] * v[c + 2] - v[b + 2] * v[c + 1]) -
      v[a + 1] * (v[b] * v[c + 2] - v[b + 2] * v[c]) +
      v[a + 2] * (v[b] * v[c + 1] - v[b + 1] * v[c]);
  }
  return vol / 6;
}

/** Every directed edge is matched by its reverse exactly once: closed and consistently wound. */
function closedAndOriented(faces: ArrayLike<number>): boolean {
  const seen = new Map<string, number>();
  for (let k = 0; k < faces.length; k += 3)
    for (let e = 0; e < 3; e++) {
      const key = `${faces[k + e]},${faces[k + ((e + 1) % 3)]}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  for (const [key, n] of seen) {
    const [a, b] = key.split(',');
    if (n !== 1 || seen.get(`${b},${a}`) !== 1) return false;
  }
  return true;
}

describe('voxelSurfaceMesh', () => {
  it('draws one voxel as a closed, outward cube of side 1/G at its place in [−½, ½]³', () => {
    const G = 4;
    const m = voxelSurfaceMesh([1, 2, 3], G);
    expect(m.vertices.length / 3).toBe(8);
    expect(m.faces.length / 3).toBe(12);
    expect(closedAndOriented(m.faces)).toBe(true);
    expect(volume(m)).toBeCloseTo(1 / G ** 3, 9);
    const xs = Array.from(m.vertices).filter((_, i) => i % 3 === 0);
    const zs = Array.from(m.vertices).filter((_, i) => i % 3 === 2);
    expect([Math.min(...xs), Math.max(...xs)]).toEqual([1 / G - 0.5, 2 / G - 0.5]);
    expect([Math.min(...zs), Math.max(...zs)]).toEqual([3 / G - 0.5, 0.5]);
  });

  it('leaves out the faces between neighbours and shares their corners', () => {
    const G = 8;
    // An L of three voxels.
    const m = voxelSurfaceMesh([2, 2, 2, 3, 2, 2, 3, 3, 2], G);
    expect(m.faces.length / 3).toBe(2 * (3 * 6 - 2 * 2));
    expect(m.vertices.length / 3).toBe(16);
    expect(closedAndOriented(m.faces)).toBe(true);
    expect(volume(m)).toBeCloseTo(3 / G ** 3, 9);
  });
});

import { describe, expect, it } from 'vitest';
import { VoxelHash, voxelKey } from './hash.ts';
import { mulberry32 } from './testing.ts';

function randomSet(rng: () => number, n: number, res: number): Int32Array {
  const seen = new Set<number>();
  const out: number[] = [];
  while (out.length < 3 * n) {
    const x = Math.floor(rng() * res),
      y = Math.floor(rng() * res),
      z = Math.floor(rng() * res);
    const k = voxelKey(x, y, z, res);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(x, y, z);
  }
  return Int32Array.from(out);
}

describe('VoxelHash', () => {
  it('voxelKey is x·R² + y·R + z', () => {
    expect(voxelKey(1, 2, 3, 64)).toBe(1 * 4096 + 2 * 64 + 3);
  });

  for (const res of [64, 256]) {
    it(`finds every voxel and rejects absent ones (${res}³, ${res === 64 ? 'dense' : 'hashed'})`, () => {
      const rng = mulberry32(res);
      const coords = randomSet(rng, 3000, res);
      // Force the bounding box to span the whole grid, boundary coordinates included.
      coords.set([0, 0, 0, res - 1, res - 1, res - 1], 0);
      const h = new VoxelHash(coords);
      const keys = new Set<number>();
      for (let i = 0; i < coords.length / 3; i++) {
        expect(h.get(coords[3 * i], coords[3 * i + 1], coords[3 * i + 2])).toBe(i);
        keys.add(voxelKey(coords[3 * i], coords[3 * i + 1], coords[3 * i + 2], res));
      }
      for (let t = 0; t < 3000; t++) {
        const x = Math.floor(rng() * (res + 2)) - 1,
          y = Math.floor(rng() * (res + 2)) - 1;
        const z = Math.floor(rng() * (res + 2)) - 1;
        const inside = x >= 0 && y >= 0 && z >= 0 && x < res && y < res && z < res;
        if (inside && keys.has(voxelKey(x, y, z, res))) continue;
        expect(h.get(x, y, z)).toBe(-1);
      }
    });
  }

  it('handles the empty set and rejects duplicates', () => {
    expect(new VoxelHash(new Int32Array(0)).get(0, 0, 0)).toBe(-1);
    expect(() => new VoxelHash(Int32Array.of(1, 2, 3, 1, 2, 3))).toThrow(/twice/);
    expect(() => new VoxelHash(Int32Array.of(0, 0, 0, 255, 255, 255, 0, 0, 0))).toThrow(/twice/);
  });
});

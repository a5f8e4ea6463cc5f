import { describe, expect, it } from 'vitest';
import { poolBy2 } from './pool.ts';
import { mulberry32, randomSorted, randomSparseSorted } from './testing.ts';

/** Reference: sort unique c//2 with string keys, then scan pairs. */
function brutePool(coords: Int32Array, includeSelf: boolean) {
  const n = coords.length / 3;
  const rows: [number, number, number][] = [];
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const c: [number, number, number] = [coords[3 * i] >> 1, coords[3 * i + 1] >> 1, coords[3 * i + 2] >> 1];
    if (!seen.has(c.join())) {
      seen.add(c.join());
      rows.push(c);
    }
  }
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const m = rows.length;
  const parent = new Int32Array(n);
  const children = new Int32Array(m * 8).fill(n);
  const scale = new Float32Array(m);
  for (let j = 0; j < m; j++) {
    let cnt = 0;
    for (let i = 0; i < n; i++) {
      if (
        coords[3 * i] >> 1 === rows[j][0] &&
        coords[3 * i + 1] >> 1 === rows[j][1] &&
        coords[3 * i + 2] >> 1 === rows[j][2]
      ) {
        parent[i] = j;
        children[j * 8 + cnt++] = i;
      }
    }
    scale[j] = 1 / (includeSelf ? cnt + 1 : cnt);
  }
  return { coarse: Int32Array.from(rows.flat()), parent, children, scale };
}

describe('poolBy2', () => {
  it('matches brute force on random sets (dense, sparse, boundary 0 and 63)', () => {
    const rng = mulberry32(3);
    const sets = [randomSorted(rng, 8, 0.4), randomSorted(rng, 7, 0.9), randomSparseSorted(rng, 64, 500)];
    sets[2].set([0, 0, 0], 0);
    sets[2].set([63, 63, 63], sets[2].length - 3);
    for (const coords of sets) {
      for (const includeSelf of [true, false]) {
        expect(poolBy2(coords, includeSelf)).toEqual(brutePool(coords, includeSelf));
      }
    }
  });

  it('pooled mean includes the zero it starts from: children 2 and 4 give (0+2+4)/3 = 2', () => {
    // Voxels (0,0,0) and (1,0,0) share coarse (0,0,0); (2,0,0) is alone in (1,0,0).
    const coords = Int32Array.of(0, 0, 0, 1, 0, 0, 2, 0, 0);
    const feats = [2, 4, 6];
    const p = poolBy2(coords, true);
    expect(Array.from(p.coarse)).toEqual([0, 0, 0, 1, 0, 0]);
    expect(Array.from(p.parent)).toEqual([0, 0, 1]);
    expect(Array.from(p.children)).toEqual([0, 1, 3, 3, 3, 3, 3, 3, 2, 3, 3, 3, 3, 3, 3, 3]);
    const pooled = [0, 1].map((m) => {
      let sum = 0;
      for (let s = 0; s < 8; s++) {
        const c = p.children[m * 8 + s];
        if (c < 3) sum += feats[c];
      }
      return sum * p.scale[m];
    });
    expect(pooled[0]).toBeCloseTo(2, 6);
    expect(pooled[1]).toBeCloseTo(3, 6); // 6 / (1+1)
    const plain = poolBy2(coords, false);
    expect(Array.from(plain.scale)).toEqual([0.5, 1]);
  });

  it('sorts coarse voxels even when c>>1 is out of order in the fine order', () => {
    // Fine order (0,0,2) < (0,1,0) but coarse (0,0,1) > (0,0,0).
    const p = poolBy2(Int32Array.of(0, 0, 2, 0, 1, 0), true);
    expect(Array.from(p.coarse)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(Array.from(p.parent)).toEqual([1, 0]);
  });

  it('handles a full 2×2×2 block and the empty set', () => {
    const block = randomSorted(() => 0, 2, 1);
    const p = poolBy2(block, true);
    expect(Array.from(p.children)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(p.scale[0]).toBeCloseTo(1 / 9, 7);
    const e = poolBy2(new Int32Array(0), true);
    expect(e.coarse.length + e.parent.length + e.children.length + e.scale.length).toBe(0);
  });
});

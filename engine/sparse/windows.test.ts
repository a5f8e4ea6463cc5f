import { describe, expect, it } from 'vitest';
import { packWindows, windowPartition, type WindowPartition } from './windows.ts';
import { mulberry32, randomSorted, randomSparseSorted } from './testing.ts';

function check(coords: Int32Array, w: number, s: number) {
  const n = coords.length / 3;
  const p = windowPartition(coords, w, s);
  const { idx, valid, inv, windows: W, length: L } = p;
  expect(idx.length).toBe(W * L);
  expect(valid.length).toBe(W * L);
  const win = (i: number) => [0, 1, 2].map((a) => Math.floor((coords[3 * i + a] + s) / w));
  const nAxis = [0, 1, 2].map((a) => {
    let m = 0;
    for (let i = 0; i < n; i++) m = Math.max(m, coords[3 * i + a] + s);
    return Math.floor(m / w) + 1;
  });
  const linear = (c: number[]) => (c[0] * nAxis[1] + c[1]) * nAxis[2] + c[2];
  // Plain checks in the loop: per-element expect() is slow for thousands of voxels.
  const fail = (msg: string) => {
    throw new Error(msg);
  };
  const seen = new Uint8Array(n);
  let maxCount = 0;
  let prevKey = -1;
  for (let k = 0; k < W; k++) {
    let count = 0;
    let key = -1;
    let prevSlot = -1;
    for (let t = 0; t < L; t++) {
      const i = idx[k * L + t];
      if (!valid[k * L + t]) {
        if (i !== n) fail(`window ${k} slot ${t}: padding is ${i}, not the sentinel`);
        for (let u = t; u < L; u++) if (valid[k * L + u]) fail(`window ${k}: a voxel after padding`);
        break;
      }
      if (i < 0 || i >= n) fail(`window ${k} slot ${t}: bad index ${i}`);
      if (seen[i]) fail(`voxel ${i} appears twice`);
      seen[i] = 1;
      if (inv[i] !== k * L + t) fail(`inv[${i}] = ${inv[i]}, expected ${k * L + t}`);
      if (i <= prevSlot) fail(`window ${k}: slots not ascending`);
      prevSlot = i;
      const ki = linear(win(i));
      if (key < 0) key = ki;
      if (ki !== key) fail(`window ${k} mixes keys ${key} and ${ki}`);
      count++;
    }
    if (count === 0) fail(`window ${k} is empty`);
    if (key <= prevKey) fail(`window keys not ascending at ${k}`);
    prevKey = key;
    maxCount = Math.max(maxCount, count);
  }
  expect(seen.every((v) => v === 1)).toBe(true);
  expect(L).toBe(maxCount);
  return p;
}

describe('windowPartition', () => {
  it('covers every voxel once with consistent inv, keys and order (shifts 0 and 4, window 8)', () => {
    const rng = mulberry32(5);
    const sparse = randomSparseSorted(rng, 64, 2000);
    sparse.set([0, 0, 0], 0);
    sparse.set([63, 63, 63], sparse.length - 3);
    for (const coords of [sparse, randomSorted(rng, 20, 0.3)]) {
      for (const s of [0, 4]) check(coords, 8, s);
    }
  });

  it('works for odd windows and shifts', () => {
    const coords = randomSparseSorted(mulberry32(9), 30, 700);
    check(coords, 5, 0);
    check(coords, 5, 3);
  });

  it('gives a hand-checked layout', () => {
    // Window 2, shift 1: x+1 ∈ {1,2,4} → wx {0,1,2}; voxels 1 and 2 share window (1,0,0).
    const coords = Int32Array.of(0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0);
    const p = check(coords, 2, 1);
    expect(p.windows).toBe(3);
    expect(p.length).toBe(2);
    expect(Array.from(p.idx)).toEqual([0, 4, 1, 2, 3, 4]);
    expect(Array.from(p.valid)).toEqual([1, 0, 1, 1, 1, 0]);
    expect(Array.from(p.inv)).toEqual([0, 2, 3, 4]);
  });

  it('handles the empty set', () => {
    const p = windowPartition(new Int32Array(0), 8, 4);
    expect(p.windows).toBe(0);
    expect(p.length).toBe(0);
  });
});

/** Voxels of each window of `p`, in slot order. */
function windowsOf(p: WindowPartition): number[][] {
  const out: number[][] = [];
  for (let w = 0; w < p.windows; w++) {
    const v: number[] = [];
    for (let t = 0; t < p.length && p.valid[w * p.length + t]; t++) v.push(p.idx[w * p.length + t]);
    out.push(v);
  }
  return out;
}

describe('packWindows', () => {
  it('keeps every window whole and in order inside one row, with consistent inv and padding', () => {
    const rng = mulberry32(11);
    for (const coords of [randomSparseSorted(rng, 64, 2000), randomSorted(rng, 20, 0.3)]) {
      for (const s of [0, 4]) {
        const p = windowPartition(coords, 8, s);
        const q = packWindows(p);
        const n = coords.length / 3;
        expect(q.length).toBe(p.length);
        expect(q.windows).toBeLessThan(p.windows);
        expect(q.windows).toBeGreaterThanOrEqual(Math.ceil(n / p.length));
        // Every voxel once; inv points at it; padding is the sentinel.
        const seen = new Uint8Array(n);
        for (let k = 0; k < q.idx.length; k++) {
          if (!q.valid[k]) {
            expect(q.idx[k]).toBe(n);
            continue;
          }
          expect(seen[q.idx[k]]).toBe(0);
          seen[q.idx[k]] = 1;
          expect(q.inv[q.idx[k]]).toBe(k);
        }
        expect(seen.every((v) => v === 1)).toBe(true);
        // Each original window appears as one contiguous run of one row, in its slot order.
        for (const win of windowsOf(p)) {
          const first = q.inv[win[0]];
          expect(Math.floor(first / q.length)).toBe(Math.floor(q.inv[win[win.length - 1]] / q.length));
          win.forEach((v, t) => expect(q.inv[v]).toBe(first + t));
        }
      }
    }
  });

  it('packs first fit by decreasing size (hand-checked)', () => {
    // Windows of 4, 1, 3, 2 voxels along x (window 4, shift 0): rows of 4 hold {4}, {3, 1}, {2}.
    const xs = [0, 1, 2, 3, 4, 8, 9, 10, 12, 13];
    const coords = Int32Array.from(xs.flatMap((x) => [x, 0, 0]));
    const p = windowPartition(coords, 4, 0);
    expect(windowsOf(p)).toEqual([[0, 1, 2, 3], [4], [5, 6, 7], [8, 9]]);
    const q = packWindows(p);
    expect(q.windows).toBe(3);
    expect(windowsOf({ ...q, valid: q.valid.map(() => 1), idx: q.idx })).toEqual([
      [0, 1, 2, 3],
      [5, 6, 7, 4],
      [8, 9, 10, 10],
    ]);
    expect(Array.from(q.valid.slice(8))).toEqual([1, 1, 0, 0]);
    expect(packWindows(windowPartition(new Int32Array(0), 8, 4)).windows).toBe(0);
  });
});

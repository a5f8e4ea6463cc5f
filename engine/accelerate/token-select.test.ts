import { describe, expect, it } from 'vitest';
import { Rng } from '../sampling/rng.ts';
import type { Fields } from './policy.ts';
import { CarvingTracker, minMaxNormalize, STREAK_LIMIT } from './token-select.ts';

const field = (rows: number[][]): Fields => ({ x: Float32Array.from(rows.flat()) });

// Appendix A.3: N = 10, C = 2, K_skip = 3. The doc gives σ and the resulting scores but not the
// velocities; P1 and P2 below were constructed to be consistent with every published number
// (P1: hand check |P_0| = 1.005, max |P| = √5; P2: magnitudes and differences solved from the scores).
const SIGMA = Float32Array.from([0.9, 0.1, 0.5, 0.2, 0, 0.3, 0.8, 0.4, 0.6, 0.7]);
const P1 = [
  [1, 0.1],
  [1, 0],
  [0.5, 0.4],
  [0, 1],
  [0.1, 0.1],
  [0.9, 1.0],
  [0, 0],
  [1, 2],
  [0.3, 0.3],
  [0, 0],
];
const P2 = [
  [0.69323, 0.39928],
  [-1.23811, 1.01345],
  [0.06711, 0.39433],
  [-3.96863, 0.5],
  [0.07688, 0.1073],
  [0.28437, 0.74775],
  [0.36, 0],
  [-1.58023, 1.80634],
  [-0.29902, 0.26568],
  [0, 0],
];

describe('token selection (Appendix A.3)', () => {
  it('reproduces the published scores, carved sets and streaks over six calls', () => {
    const tr = new CarvingTracker(10);
    const c1 = tr.select(field(P1), 3, SIGMA);
    [0.3944, 0.1272, 0.2268, 0.1606, 0.0133, 0.2263, 0.2667, 0.3433, 0.2398, 0.2333].forEach((s, n) =>
      expect(c1.scores[n]).toBeCloseTo(s, 4),
    );
    expect(Array.from(c1.carved)).toEqual([4, 1, 3]);
    expect(Array.from(c1.active)).toEqual([0, 2, 5, 6, 7, 8, 9]);
    // Hand check for token 0: σ̃ = 1, m̃ = 1.005/2.236 → 0.3 + 0.7·0.3·0.4494.
    expect(c1.scores[0]).toBeCloseTo(0.3 + 0.21 * (Math.hypot(1, 0.1) / Math.sqrt(5)), 5);

    const c2 = tr.select(field(P2), 3, SIGMA);
    [0.3945, 0.4183, 0.2407, 0.7667, 0.0099, 0.2235, 0.3297, 0.5763, 0.2945, 0.2333].forEach((s, n) =>
      expect(c2.scores[n]).toBeCloseTo(s, 4),
    );
    expect(Array.from(c2.carved)).toEqual([4, 5, 9]);
    expect(Array.from(tr.streaks())).toEqual([0, 0, 0, 0, 2, 1, 0, 0, 0, 1]);

    const later = [3, 4, 5, 6].map(() => Array.from(tr.select(field(P2), 3, SIGMA).carved));
    // Call 5: token 4 reaches streak 4, is forced back and not replaced (only 2 carved).
    expect(later).toEqual([
      [4, 1, 5],
      [4, 1, 5],
      [1, 5],
      [4, 1],
    ]);
  });
});

describe('token selection rules', () => {
  it('min-max normalises with ε = 1e-6 and maps an all-equal vector to zeros', () => {
    expect(Array.from(minMaxNormalize([3, 3, 3]))).toEqual([0, 0, 0]);
    const z = minMaxNormalize([1, 2, 3]);
    expect(z[0]).toBe(0);
    expect(z[2]).toBeCloseTo(2 / (2 + 1e-6), 12);
  });

  it('scores 0.3·σ̃ + 0.7·(0.7·ã + 0.3·m̃); spatial counts as zero when absent', () => {
    const tr = new CarvingTracker(3);
    // No history: abruptness 0; no spatial: σ̃ 0. Only magnitude (0, 1, 2) remains.
    const s = tr.select(
      field([
        [0, 0],
        [1, 0],
        [0, 2],
      ]),
      1,
    ).scores;
    expect(s[0]).toBe(0);
    expect(s[1]).toBeCloseTo(0.21 * (1 / (2 + 1e-6)), 12);
    expect(s[2]).toBeCloseTo(0.21 * (2 / (2 + 1e-6)), 12);
    // The same field again: every token has zero abruptness, so the scores do not change.
    expect(
      Array.from(
        tr.select(
          field([
            [0, 0],
            [1, 0],
            [0, 2],
          ]),
          1,
        ).scores,
      ),
    ).toEqual(Array.from(s));
    // Token 0 moves by 3 (ã = 1), token 2 by 1.
    const s3 = tr.select(
      field([
        [3, 0],
        [1, 0],
        [0, 1],
      ]),
      1,
    ).scores;
    const a = minMaxNormalize([3, 0, 1]);
    const m = minMaxNormalize([3, 1, 1]);
    for (let n = 0; n < 3; n++) expect(s3[n]).toBeCloseTo(0.7 * (0.7 * a[n] + 0.3 * m[n]), 12);
  });

  it('resets abruptness history when the field shape changes', () => {
    const tr = new CarvingTracker(2);
    tr.select(
      field([
        [1, 0],
        [0, 0],
      ]),
      1,
    );
    const s = tr.select({ x: Float32Array.from([5, 0, 0, 0, 0, 0]) }, 1).scores; // 3 channels now
    expect(s[0]).toBeCloseTo(0.21 * (5 / (5 + 1e-6)), 12);
  });

  it('never carves a token on more than 4 consecutive calls, and fills in nothing for forced tokens', () => {
    const rng = new Rng(3);
    const N = 50;
    const tr = new CarvingTracker(N);
    const run = new Int32Array(N);
    let forced = 0;
    for (let call = 0; call < 40; call++) {
      // Slowly varying field: the same tokens tend to stay lowest.
      const P = {
        x: Float32Array.from({ length: N * 4 }, (_, i) => (i / 4 / N) * (1 + 0.01 * rng.normal())),
      };
      const sel = tr.select(P, 10);
      expect(sel.carved.length).toBeLessThanOrEqual(10);
      if (sel.carved.length < 10) forced++;
      expect(sel.carved.length + sel.active.length).toBe(N);
      expect(Array.from(sel.active)).toEqual(Array.from(sel.active).sort((a, b) => a - b));
      const carved = new Set(sel.carved);
      for (let n = 0; n < N; n++) run[n] = carved.has(n) ? run[n] + 1 : 0;
      expect(Math.max(...run)).toBeLessThanOrEqual(STREAK_LIMIT);
      expect(Array.from(tr.streaks())).toEqual(Array.from(run));
    }
    expect(forced).toBeGreaterThan(0);
  });

  it('checks its inputs', () => {
    const tr = new CarvingTracker(3);
    expect(() =>
      tr.select(
        field([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
        1,
        new Float32Array(2),
      ),
    ).toThrow('2 entries for 3 tokens');
    expect(() => tr.select({ x: new Float32Array(4) }, 1)).toThrow('is not 3 rows');
  });
});

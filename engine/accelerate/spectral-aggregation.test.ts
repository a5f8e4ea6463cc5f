import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.ts';
import { decodePose, applyPose } from '../geometry/pose.ts';
import { analyzeVoxelFrequency } from '../spectral/hfer3d.ts';
import { bbox, shellCoords } from '../spectral/testing.ts';
import type { AggregationInput } from './aggregation.ts';
import {
  adaptiveFactor,
  gridFactor,
  spectralAggregation,
  type SpectralDecision,
} from './spectral-aggregation.ts';
import { quantiseVoxels } from './spectral-aggregation-quantise.ts';

const RES = 64;
/** Note A.4: shell 19 ≤ r < 22 about (30,33,31): 15850 voxels, box [9,12,10]..[51,54,52]. */
const SHELL = shellCoords([30, 33, 31], 19, 22);
/** Note A.4: solid ball of 44395 voxels (r < 22 about the grid point 32). */
const BALL = shellCoords([32, 32, 32], 0, 22);

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** An aggregation input around `coords`: logits 1 on the voxels, a noisy-textured square object crop. */
function input(coords: Int32Array, over: Partial<AggregationInput> = {}): AggregationInput {
  const logits = new Float32Array(RES ** 3).fill(-1);
  for (let i = 0; i < coords.length; i += 3)
    logits[(coords[i] * RES + coords[i + 1]) * RES + coords[i + 2]] = 1;
  const S = 96;
  const rnd = lcg(11);
  const imageCrop = new Float32Array(3 * S * S).map(() => rnd());
  const maskCrop = new Float32Array(S * S);
  for (let y = 16; y < 80; y++) for (let x = 16; x < 80; x++) maskCrop[y * S + x] = 1;
  return {
    coords,
    logits,
    res: RES,
    maxVoxels: 42000,
    downsampleFactor: 2,
    imageCrop,
    maskCrop,
    imageSize: S,
    uniform: lcg(5),
    ...over,
  };
}

const q = (coords: Int32Array, factor: number, centre: 'grid' | 'box', extra = {}) =>
  quantiseVoxels(coords, null, { factor, res: RES, centre, uniform: lcg(1), ...extra });

describe('factor rule (calculate_adaptive_factor, note A.4)', () => {
  it.each([
    [0.596, 0.85, 1.5, 0.6214],
    [0.75, 0.6, 1.25, 0.735],
    [0.45, 0.9, 2.0, 0.495],
    [0.7, 0.7, 1.25, 0.7], // exactly high → conservative
    [0.5, 0.5, 2.0, 0.5], // exactly low → aggressive
  ])('h2 %f, h3 %f → %f (score %f)', (h2, h3, factor, score) => {
    const r = adaptiveFactor(h2, h3, 0.7, 0.5);
    expect(r.factor).toBe(factor);
    expect(r.score).toBeCloseTo(score, 10);
  });

  it('either HFER at 0 means "not measured": factor 1', () => {
    expect(adaptiveFactor(0, 0.9, 0.7, 0.5)).toEqual({ factor: 1, score: null });
    expect(adaptiveFactor(0.9, 0, 0.7, 0.5)).toEqual({ factor: 1, score: null });
  });
});

describe('threshold knobs', () => {
  it('default to 0.5 / 0.7 and accept 0 ≤ low ≤ high ≤ 1', () => {
    expect(spectralAggregation().name).toBe('spectral-aggregation');
    expect(() =>
      spectralAggregation({ mesh_spectral_threshold_low: 0.6, mesh_spectral_threshold_high: 0.6 }),
    ).not.toThrow();
    expect(() =>
      spectralAggregation({ mesh_spectral_threshold_low: 0, mesh_spectral_threshold_high: 1 }),
    ).not.toThrow();
  });

  it.each([
    [
      { mesh_spectral_threshold_low: 0.8, mesh_spectral_threshold_high: 0.6 },
      /mesh_spectral_threshold_low.*≤ mesh_spectral_threshold_high/,
    ],
    [{ mesh_spectral_threshold_low: -0.1 }, /mesh_spectral_threshold_low must be a number in \[0, 1\]/],
    [{ mesh_spectral_threshold_high: 1.5 }, /mesh_spectral_threshold_high must be a number in \[0, 1\]/],
    [{ mesh_spectral_threshold_high: Number.NaN }, /mesh_spectral_threshold_high/],
  ])('rejects %o with a UserError naming the knob', (knobs, msg) => {
    expect(() => spectralAggregation(knobs)).toThrow(UserError);
    expect(() => spectralAggregation(knobs)).toThrow(msg);
  });
});

describe('coordinate quantisation (downsample_with_feature_fusion, note A.4)', () => {
  it('reproduces the published shell counts and boxes (reference centre)', () => {
    expect(SHELL.length / 3).toBe(15850);
    expect(bbox(SHELL)).toEqual([
      [9, 12, 10],
      [51, 54, 52],
    ]);
    const r1 = q(SHELL, 1, 'box');
    expect(r1.factor).toBe(1);
    expect(r1.coords).toEqual(SHELL);
    const r125 = q(SHELL, 1.25, 'box');
    expect(r125.coords.length / 3).toBe(8839);
    expect(bbox(r125.coords)).toEqual([
      [13, 16, 14],
      [46, 49, 47],
    ]);
    expect(q(SHELL, 1.5, 'box').coords.length / 3).toBe(5557);
    const r2 = q(SHELL, 2, 'box');
    expect(r2.coords.length / 3).toBe(2728);
    expect(bbox(r2.coords)).toEqual([
      [20, 23, 21],
      [40, 43, 41],
    ]);
  });

  it('the centre fix is a whole-voxel translation: same counts and shape, sorted unique rows', () => {
    for (const f of [1.25, 1.5, 2]) {
      const ref = q(SHELL, f, 'box');
      const fixed = q(SHELL, f, 'grid');
      expect(fixed.coords.length).toBe(ref.coords.length);
      for (let i = 0; i < ref.coords.length; i++)
        expect(fixed.coords[i] - ref.coords[i]).toBe(fixed.shift[i % 3]);
      for (let i = 3; i < fixed.coords.length; i += 3) {
        const d =
          fixed.coords[i] - fixed.coords[i - 3] ||
          fixed.coords[i + 1] - fixed.coords[i - 2] ||
          fixed.coords[i + 2] - fixed.coords[i - 1];
        expect(d).toBeGreaterThan(0);
      }
    }
  });

  it('a 44395-voxel ball is forced to f = 2 and 5497 voxels whatever was requested', () => {
    expect(BALL.length / 3).toBe(44395);
    for (const f of [1, 1.25, 1.5, 2]) {
      for (const centre of ['box', 'grid'] as const) {
        const r = q(BALL, f, centre);
        expect(r.factor).toBe(2);
        expect(r.coords.length / 3).toBe(5497);
      }
    }
  });

  it('count overrides: N ≥ 42000 forces 2, N < 2048 forces 1 (identity)', () => {
    expect(q(BALL.slice(0, 3 * 42000), 1.25, 'grid').factor).toBe(2);
    expect(q(BALL.slice(0, 3 * 41999), 1.25, 'grid').factor).toBe(1.25);
    expect(q(SHELL.slice(0, 3 * 2048), 2, 'grid').factor).toBe(2);
    const small = q(SHELL.slice(0, 3 * 2047), 2, 'grid');
    expect(small.factor).toBe(1);
    expect(small.coords).toEqual(SHELL.slice(0, 3 * 2047));
  });

  it('keeps a uniform random subset, in voxel order, when more than the cap survive', () => {
    const scores = new Float32Array(BALL.length / 3).map((_, i) => (i % 97) / 96);
    const opts = { factor: 2, res: RES, centre: 'grid' as const, maxCoords: 5000 };
    const full = quantiseVoxels(BALL, scores, { ...opts, maxCoords: 42000, uniform: lcg(1) });
    const a = quantiseVoxels(BALL, scores, { ...opts, uniform: lcg(9) });
    const b = quantiseVoxels(BALL, scores, { ...opts, uniform: lcg(9) });
    expect(a.coords.length / 3).toBe(5000);
    expect(a.coords).toEqual(b.coords);
    const key = (c: Int32Array, i: number): number => (c[3 * i] * RES + c[3 * i + 1]) * RES + c[3 * i + 2];
    const fullIndex = new Map<number, number>();
    for (let i = 0; i < full.coords.length / 3; i++) fullIndex.set(key(full.coords, i), i);
    for (let i = 0; i < 5000; i++) {
      if (i > 0) expect(key(a.coords, i)).toBeGreaterThan(key(a.coords, i - 1));
      const j = fullIndex.get(key(a.coords, i));
      expect(j).toBeDefined();
      expect(a.scores![i]).toBe(full.scores![j!]); // scores travel with their voxel
    }
  });

  it('merges duplicates with the max of their scores', () => {
    // x = 0..3 → 1,1,2,2 (f = 2); a one-voxel-thick axis pins to int(tmin) = 0.
    const coords = Int32Array.from([0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0]);
    const scores = Float32Array.from([0.2, 0.9, 0.7, 0.1]);
    const box = quantiseVoxels(coords, scores, {
      factor: 2,
      res: 8,
      centre: 'box',
      uniform: lcg(1),
      minCoords: 0,
    });
    expect(Array.from(box.coords)).toEqual([1, 0, 0, 2, 0, 0]);
    expect(Array.from(box.scores!)).toEqual([Math.fround(0.9), Math.fround(0.7)]);
    // Grid centre 3.5: x box centre 1.5 → 3.5 − 2/2 = 2.5 (shift 1); y 0 → 1.75 (shift 2); z likewise.
    const grid = quantiseVoxels(coords, scores, {
      factor: 2,
      res: 8,
      centre: 'grid',
      uniform: lcg(1),
      minCoords: 0,
    });
    expect(grid.shift).toEqual([1, 2, 2]);
    expect(Array.from(grid.coords)).toEqual([2, 2, 2, 3, 2, 2]);
  });
});

describe('placement: pose scale × f about the canonical origin', () => {
  // Voxel c sits at p = (c + ½)/res − ½; the pipeline multiplies the pose scale by f (decodePose).
  const raw = {
    rot6d: [0.8, 0.1, -0.3, 0.2, 0.9, 0.4],
    translation: [0.3, -0.2, 2.5],
    scale: [-0.4, -0.5, -0.45],
  };
  const stats = { rot6dMean: [0, 0, 0, 0, 0, 0], rot6dStd: [1, 1, 1, 1, 1, 1] };
  const boxCentreWorld = (coords: Int32Array, f: number): Float32Array => {
    const [lo, hi] = bbox(coords);
    const p = Float32Array.from([0, 1, 2].map((a) => ((lo[a] + hi[a]) / 2 + 0.5) / RES - 0.5));
    return applyPose(p, decodePose(raw, stats, 1.3, [0, 0, 0], f));
  };

  it.each([
    [[16, 45, 20], 10, 13],
    [[12, 50, 40], 8, 12],
    [[30, 33, 31], 19, 22],
  ])('an off-centre shell about %o stays put within a voxel; the published rule moves it', (c, r0, r1) => {
    const shell = shellCoords(c, r0, r1);
    const voxel = decodePose(raw, stats, 1.3, [0, 0, 0], 1).scale / RES; // one original voxel in world units
    const before = boxCentreWorld(shell, 1);
    const g = (RES - 1) / 2;
    for (const f of [1.25, 1.5, 2]) {
      const fixed = q(shell, f, 'grid');
      const published = q(shell, f, 'box');
      expect(fixed.factor).toBe(f);
      const errFixed =
        Math.hypot(...[0, 1, 2].map((a) => boxCentreWorld(fixed.coords, f)[a] - before[a])) / voxel;
      const errPublished =
        Math.hypot(...[0, 1, 2].map((a) => boxCentreWorld(published.coords, f)[a] - before[a])) / voxel;
      expect(errFixed).toBeLessThan(1);
      // The published drift is (f − 1)·(C − g) voxels, up to the same sub-voxel rounding.
      const [lo, hi] = bbox(shell);
      const drift = Math.hypot(...[0, 1, 2].map((a) => (f - 1) * ((lo[a] + hi[a]) / 2 - g)));
      expect(Math.abs(errPublished - drift)).toBeLessThan(1.5);
      if (drift > 3) expect(errPublished).toBeGreaterThan(3 * errFixed);
    }
  });
});

describe('gridFactor (the rule is calibrated on 64³)', () => {
  it.each([
    [1.25, 64, 1.25],
    [2, 64, 2],
    [2, 128, 4],
    [1.5, 128, 3],
    [2, 32, 1],
    [1.25, 32, 1],
    [2, 16, 1],
  ])('factor %f on a %i³ grid → %f', (f, res, out) => expect(gridFactor(f, res)).toBe(out));
});

describe('spectralAggregation policy', () => {
  it('measures both HFERs, applies the rule and the caps, and returns scores aligned with the voxels', () => {
    const decisions: SpectralDecision[] = [];
    const policy = spectralAggregation({ onDecision: (d) => decisions.push(d) });
    const inp = input(SHELL);
    const out = policy.aggregate(inp);
    const d = decisions[0];
    const freq = analyzeVoxelFrequency(inp.logits, RES, SHELL);
    expect(d.hfer3d).toBe(freq.hfer);
    expect(d.hfer3d).toBeGreaterThan(0.8);
    expect(d.hfer2d).toBeGreaterThan(0.5);
    expect(d.factor).toBe(adaptiveFactor(d.hfer2d!, d.hfer3d, 0.7, 0.5).factor);
    expect(out.downsampleFactor).toBe(d.factor);
    expect(d.voxelsIn).toBe(15850);
    expect(out.coords.length / 3).toBe(d.voxelsOut);
    const same = quantiseVoxels(SHELL, freq.scores, {
      factor: d.factor,
      res: RES,
      centre: 'grid',
      uniform: lcg(1),
    });
    expect(out.coords).toEqual(same.coords);
    expect(out.spatialScores).toEqual(same.scores);
    expect(out.spatialScores!.length).toBe(out.coords.length / 3);
    expect(out.spatialScores!.every((s) => s >= 0 && s <= 1)).toBe(true);
  });

  it.each([
    [0, 0, 1.25, 8839], // every score ≥ high
    [0, 1, 1.5, 5557],
    [1, 1, 2.0, 2728], // every score ≤ low
  ])('thresholds (%f, %f) pick %f → %i voxels from the 15850-voxel shell', (low, high, factor, count) => {
    const policy = spectralAggregation({
      mesh_spectral_threshold_low: low,
      mesh_spectral_threshold_high: high,
    });
    const out = policy.aggregate(input(SHELL));
    expect(out.downsampleFactor).toBe(factor);
    expect(out.coords.length / 3).toBe(count);
  });

  it('on a 32³ grid keeps every voxel, skips the 2D ratio, and still scores the voxels for carving', () => {
    const small = shellCoords([16, 16, 16], 8, 11);
    const logits = new Float32Array(32 ** 3).fill(-1);
    for (let i = 0; i < small.length; i += 3) logits[(small[i] * 32 + small[i + 1]) * 32 + small[i + 2]] = 1;
    const inp = input(small, { res: 32, logits });
    const decisions: SpectralDecision[] = [];
    const out = spectralAggregation({ onDecision: (d) => decisions.push(d) }).aggregate(inp);
    expect(decisions[0]).toMatchObject({ hfer2d: null, score: null, requestedFactor: 1, factor: 1 });
    expect(out.coords).toEqual(small);
    expect(out.spatialScores).toEqual(analyzeVoxelFrequency(logits, 32, small).scores);
    const compat: SpectralDecision[] = [];
    spectralAggregation({ referenceCompat: true, onDecision: (d) => compat.push(d) }).aggregate(inp);
    expect(compat[0].hfer2d).toBeGreaterThan(0); // the published code measures and applies it on any grid
  });

  it('referenceCompat reproduces the published box-centred placement', () => {
    const knobs = { mesh_spectral_threshold_low: 1, mesh_spectral_threshold_high: 1 };
    const shell = shellCoords([16, 45, 20], 10, 13);
    const compat = spectralAggregation({ ...knobs, referenceCompat: true }).aggregate(input(shell));
    const fixed = spectralAggregation(knobs).aggregate(input(shell));
    expect(compat.coords).toEqual(q(shell, 2, 'box').coords);
    expect(fixed.coords).toEqual(q(shell, 2, 'grid').coords);
    expect(compat.coords).not.toEqual(fixed.coords);
  });

  it('an empty logit grid (h3 = 0) keeps the set at factor 1', () => {
    const out = spectralAggregation().aggregate(
      input(SHELL, { logits: new Float32Array(RES ** 3).fill(-1) }),
    );
    expect(out.downsampleFactor).toBe(1);
    expect(out.coords).toEqual(SHELL);
  });

  it('a large solid set is forced to the pack factor; a small pack cap subsamples with the run rng', () => {
    const out = spectralAggregation({
      mesh_spectral_threshold_low: 0,
      mesh_spectral_threshold_high: 0,
    }).aggregate(input(BALL));
    expect(out.downsampleFactor).toBe(2);
    expect(out.coords.length / 3).toBe(5497);
    let draws = 0;
    const counted = () => (draws++, 0.5);
    spectralAggregation().aggregate(input(SHELL, { uniform: counted }));
    expect(draws).toBe(0); // the rng is consumed only by the subset
    const capped = spectralAggregation().aggregate(input(BALL, { maxVoxels: 5000, uniform: counted }));
    expect(capped.coords.length / 3).toBe(5000);
    expect(draws).toBe(5000);
  });

  it('is deterministic', () => {
    const policy = spectralAggregation();
    const a = policy.aggregate(input(SHELL));
    const b = policy.aggregate(input(SHELL));
    expect(a).toEqual(b);
  });

  it('handles an empty voxel set', () => {
    const out = spectralAggregation().aggregate(input(new Int32Array(0)));
    expect(out.coords.length).toBe(0);
    expect(out.downsampleFactor).toBe(1);
  });
});

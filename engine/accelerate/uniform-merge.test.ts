import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.ts';
import { shellCoords } from '../spectral/testing.ts';
import type { AggregationInput } from './aggregation.ts';
import { spectralAggregation } from './spectral-aggregation.ts';
import { quantiseVoxels } from './spectral-aggregation-quantise.ts';
import { uniformMerge } from './uniform-merge.ts';

const RES = 64;
const SHELL = shellCoords([30, 33, 31], 19, 22); // note A.4: 15850 voxels
const BALL = shellCoords([32, 32, 32], 0, 22); // 44395 voxels

function input(coords: Int32Array, over: Partial<AggregationInput> = {}): AggregationInput {
  const logits = new Float32Array(RES ** 3).fill(-1);
  for (let i = 0; i < coords.length; i += 3)
    logits[(coords[i] * RES + coords[i + 1]) * RES + coords[i + 2]] = 1;
  const S = 32;
  return {
    coords,
    logits,
    res: RES,
    maxVoxels: 42000,
    downsampleFactor: 2,
    imageCrop: new Float32Array(3 * S * S).fill(0.5),
    maskCrop: new Float32Array(S * S).fill(1),
    imageSize: S,
    uniform: () => 0.5,
    ...over,
  };
}

describe('uniformMerge baseline', () => {
  it.each([
    [1, 15850],
    [1.25, 8839],
    [1.5, 5557],
    [2, 2728],
  ])('factor %f merges the 15850-voxel shell to %i voxels, with no scores', (factor, count) => {
    const out = uniformMerge({ factor }).aggregate(input(SHELL));
    expect(out.downsampleFactor).toBe(factor);
    expect(out.coords.length / 3).toBe(count);
    expect(out.spatialScores).toBeUndefined();
  });

  it('uses the same centred quantisation as spectral aggregation at the same factor', () => {
    const knobs = { mesh_spectral_threshold_low: 1, mesh_spectral_threshold_high: 1 }; // always 2.0
    const spectral = spectralAggregation(knobs).aggregate(input(SHELL));
    expect(uniformMerge({ factor: 2 }).aggregate(input(SHELL)).coords).toEqual(spectral.coords);
    const published = quantiseVoxels(SHELL, null, { factor: 2, res: RES, centre: 'box', uniform: () => 0 });
    expect(uniformMerge({ factor: 2, referenceCompat: true }).aggregate(input(SHELL)).coords).toEqual(
      published.coords,
    );
  });

  it('keeps the reference count overrides', () => {
    expect(uniformMerge({ factor: 1.25 }).aggregate(input(BALL)).downsampleFactor).toBe(2);
    const small = SHELL.slice(0, 3 * 2000);
    const out = uniformMerge({ factor: 2 }).aggregate(input(small));
    expect(out.downsampleFactor).toBe(1);
    expect(out.coords).toEqual(small);
  });

  it.each([0.5, 0, Number.NaN, Infinity])('rejects factor %f', (factor) => {
    expect(() => uniformMerge({ factor })).toThrow(UserError);
    expect(() => uniformMerge({ factor })).toThrow(/factor must be a finite number ≥ 1/);
  });

  it('is named for reports', () => {
    expect(uniformMerge({ factor: 1.5 }).name).toBe('uniform-merge');
  });
});

import { describe, expect, it } from 'vitest';
import { occupiedCoords } from '../geometry/occupancy.ts';
import { analyzeVoxelFrequency } from './hfer3d.ts';
import { gridLogits } from './testing.ts';

const d2 = (x: number, y: number, z: number, c = 32): number => (x - c) ** 2 + (y - c) ** 2 + (z - c) ** 2;

describe('3D HFER (algorithm note A.5, analyze_voxel_frequency on synthetic grids)', () => {
  // Radii are half-open (r² < 400 etc.): that reading reproduces all three published values.
  it.each([
    ['solid sphere r20', (x: number, y: number, z: number) => d2(x, y, z) < 400, 0.8305],
    ['shell r18–20', (x: number, y: number, z: number) => d2(x, y, z) >= 324 && d2(x, y, z) < 400, 0.9006],
    [
      'solid cube 40³',
      (x: number, y: number, z: number) => x >= 12 && x < 52 && y >= 12 && y < 52 && z >= 12 && z < 52,
      0.6053,
    ],
  ])('%s → %f', (_name, pred, want) => {
    const logits = gridLogits(64, pred);
    const { hfer } = analyzeVoxelFrequency(logits, 64, new Int32Array(0));
    expect(hfer).toBeCloseTo(want, 4);
  });

  it('uses the positive logit values, is shift-invariant, and is 0 on an empty grid', () => {
    const ball = (c: number) => gridLogits(64, (x, y, z) => d2(x, y, z, c) < 400);
    const h = analyzeVoxelFrequency(ball(32), 64, new Int32Array(0)).hfer;
    expect(analyzeVoxelFrequency(ball(27), 64, new Int32Array(0)).hfer).toBeCloseTo(h, 10);
    const scaled = ball(32).map((v) => (v > 0 ? 7 * v : -3)); // a constant gain cancels in the ratio
    expect(analyzeVoxelFrequency(scaled, 64, new Int32Array(0)).hfer).toBeCloseTo(h, 10);
    const graded = gridLogits(64, (x, y, z) => d2(x, y, z) < 400).map((v, i) => (v > 0 ? 1 + (i % 5) : v));
    expect(analyzeVoxelFrequency(graded, 64, new Int32Array(0)).hfer).not.toBeCloseTo(h, 3);
    expect(analyzeVoxelFrequency(new Float32Array(64 ** 3).fill(-1), 64, new Int32Array(0)).hfer).toBe(0);
  });

  it('scores every requested voxel in [0,1], min-max normalised, high at the surface', () => {
    const logits = gridLogits(64, (x, y, z) => d2(x, y, z) < 400);
    const coords = occupiedCoords(logits, 64, 0);
    const { scores } = analyzeVoxelFrequency(logits, 64, coords);
    expect(scores.length).toBe(coords.length / 3);
    expect(Math.min(...scores)).toBe(0);
    expect(Math.max(...scores)).toBe(1);
    // The high-pass response concentrates on the boundary, not the interior.
    const at = (x: number, y: number, z: number): number => {
      for (let i = 0; i < scores.length; i++)
        if (coords[3 * i] === x && coords[3 * i + 1] === y && coords[3 * i + 2] === z) return scores[i];
      throw new Error('not occupied');
    };
    expect(at(32, 32, 51)).toBeGreaterThan(at(32, 32, 32));
  });

  it('pads a non-power-of-two grid and keeps the cut-off frequency', () => {
    const res = 48;
    const logits = gridLogits(res, (x, y, z) => d2(x, y, z, 24) < 225);
    const coords = occupiedCoords(logits, res, 0);
    const r = analyzeVoxelFrequency(logits, res, coords);
    expect(r.hfer).toBeGreaterThan(0.5);
    expect(r.hfer).toBeLessThan(1);
    expect(r.scores.every((s) => s >= 0 && s <= 1)).toBe(true);
  });
});

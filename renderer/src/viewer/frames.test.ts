import { describe, expect, it } from 'vitest';
import type { Pose } from '../client/api';
import { placeCanonicalPoint, sceneMatrixElements, voxelCenterYUp, zUpToYUp } from './frames';

const pose = (rotation: number[], t: number[], scale = 1): Pose => ({
  rotation,
  quaternion: [1, 0, 0, 0],
  translation: t,
  scale,
});
const I = [1, 0, 0, 0, 1, 0, 0, 0, 1];

// Direct formula: p_cam = (p·s)·R + t in PyTorch3D, then (x, y, z) ↦ (−x, y, −z).
function direct(p: number[], P: Pose): number[] {
  const r = P.rotation;
  const q = [0, 1, 2].map(
    (j) => p[0] * P.scale * r[j] + p[1] * P.scale * r[3 + j] + p[2] * P.scale * r[6 + j],
  );
  const c = q.map((v, i) => v + P.translation[i]);
  return [-c[0], c[1], -c[2]];
}

describe('viewer frames', () => {
  it('z-up → y-up is (x, z, −y)', () => {
    expect(Array.from(zUpToYUp(new Float32Array([1, 2, 3])))).toEqual([1, 3, -2]);
  });

  it('an object in front of the camera lands on −z', () => {
    const P = pose(I, [0, 0, 3]);
    const o = placeCanonicalPoint(P, [0, 0, 0]);
    [0, 0, -3].forEach((v, i) => expect(o[i]).toBeCloseTo(v));
    // Canonical +z (up) with R = I goes to PyTorch3D +z (forward), i.e. away from the camera.
    const top = placeCanonicalPoint(P, [0, 0, 0.5]);
    expect(top[2]).toBeCloseTo(-3.5);
  });

  it('matches the direct formula for a rotated, scaled pose', () => {
    const c = Math.cos(0.7),
      s = Math.sin(0.7);
    const R = [c, 0, -s, 0, 1, 0, s, 0, c]; // a rotation about y
    const P = pose(R, [0.2, -0.1, 2.5], 0.8);
    for (const p of [
      [0.5, -0.5, 0.25],
      [-0.3, 0.1, 0.4],
    ] as [number, number, number][]) {
      const got = placeCanonicalPoint(P, p);
      direct(p, P).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
    }
  });

  it('Matrix4 entries are the transpose of the row form with the translation in the last column', () => {
    const m = sceneMatrixElements(pose(I, [1, 2, 3], 2));
    expect(m.slice(12)).toEqual([0, 0, 0, 1]);
    expect([m[3], m[7], m[11]]).toEqual([-1, 2, -3]);
  });

  it('voxel centres fill the unit cube', () => {
    expect(voxelCenterYUp(0, 0, 0, 2)).toEqual([-0.25, -0.25, 0.25]);
  });
});

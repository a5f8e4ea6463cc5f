import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../sparse/testing.ts';
import { applyPose, decodePose, matrixToQuaternion, quaternionToMatrix, rot6dToMatrix } from './pose.ts';

const STATS = {
  rot6dMean: [
    -0.06366084883674913, 0.008438224692279752, 0.00017084786438302483, 0.0007126610473540038,
    -0.0030916726538816417, 0.5166093753457688,
  ],
  rot6dStd: [
    0.6656971967514863, 0.6787012271867754, 0.30345010594844524, 0.4394504420678794, 0.39817973931717104,
    0.6176286868761914,
  ],
};

/** Network output that decodes to the given de-normalised 6D vector. */
const normalised = (r6: number[]) => r6.map((v, i) => (v - STATS.rot6dMean[i]) / STATS.rot6dStd[i]);

function close(a: ArrayLike<number>, b: ArrayLike<number>, digits = 9) {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], digits);
}

function matmul(a: number[], b: number[]): number[] {
  const o = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) o[3 * r + c] += a[3 * r + k] * b[3 * k + c];
  return o;
}
const transpose = (m: number[]) => [m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]];

describe('pose decoding', () => {
  it('identity 6D gives the identity', () => {
    const pose = decodePose(
      { rot6d: normalised([1, 0, 0, 0, 1, 0]), translation: [0, 0, 0], scale: [0, 0, 0] },
      STATS,
      1,
      [0, 0, 0],
      1,
    );
    close(pose.rotation, [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    close(pose.quaternion, [1, 0, 0, 0]);
    expect(pose.scale).toBeCloseTo(1, 12);
  });

  it('Gram–Schmidt normalises and orthogonalises; b1, b2, b3 are the columns', () => {
    const R = rot6dToMatrix([2, 0, 0, 3, 5, 0]); // a2 has a b1 component to remove
    close(R, [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('90° about z: columns b1 = (0,1,0), b2 = (−1,0,0); row vectors rotate by Rᵀ', () => {
    const pose = decodePose(
      { rot6d: normalised([0, 1, 0, -1, 0, 0]), translation: [0, 0, 0], scale: [0, 0, 0] },
      STATS,
      1,
      [0, 0, 0],
      1,
    );
    close(pose.rotation, [0, -1, 0, 1, 0, 0, 0, 0, 1]);
    close(pose.quaternion, [Math.SQRT1_2, 0, 0, Math.SQRT1_2]);
    close(quaternionToMatrix(pose.quaternion), pose.rotation);
    // p·R: the point (1,0,0) goes to R's first row.
    close(applyPose(Float32Array.of(1, 0, 0), pose), [0, -1, 0], 6);
  });

  it('standardises the quaternion to w ≥ 0 (PyTorch3D standardize_quaternion)', () => {
    const a = (200 * Math.PI) / 180; // the best branch (k) yields w < 0 before standardising
    const R = [Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a), 0, 0, 0, 1];
    const q = matrixToQuaternion(R);
    close(q, [Math.cos(a / 2 - Math.PI), 0, 0, Math.sin(a / 2 - Math.PI)]);
    expect(q[0]).toBeGreaterThanOrEqual(0);
    close(quaternionToMatrix(q), R);
    // 180° about x: w = 0, the x branch wins.
    close(matrixToQuaternion([1, 0, 0, 0, -1, 0, 0, 0, -1]), [0, 1, 0, 0]);
  });

  it('random rotations round-trip through the quaternion', () => {
    const rng = mulberry32(17);
    for (let t = 0; t < 200; t++) {
      const r6 = Array.from({ length: 6 }, () => rng() * 4 - 2);
      const R = rot6dToMatrix(r6);
      close(matmul(R, transpose(R)), [1, 0, 0, 0, 1, 0, 0, 0, 1], 12);
      const det =
        R[0] * (R[4] * R[8] - R[5] * R[7]) -
        R[1] * (R[3] * R[8] - R[5] * R[6]) +
        R[2] * (R[3] * R[7] - R[4] * R[6]);
      expect(det).toBeCloseTo(1, 12);
      const q = matrixToQuaternion(R);
      expect(q[0]).toBeGreaterThanOrEqual(0);
      expect(Math.hypot(...q)).toBeCloseTo(1, 12);
      close(quaternionToMatrix(q), R, 12);
    }
  });

  it('composes with scene scale/shift and the downsample factor as the reference does', () => {
    const rng = mulberry32(3);
    const r6 = Array.from({ length: 6 }, () => rng() * 2 - 1);
    const t = [0.3, -0.2, 1.5];
    const sigma = 2.5;
    const shift = [0.1, -0.4, 3];
    // Anisotropic log-scales: the reference averages σ·exp(s) over the axes, then multiplies by the factor.
    const pose = decodePose(
      { rot6d: normalised(r6), translation: t, scale: [0, Math.log(2), Math.log(3)] },
      STATS,
      sigma,
      shift,
      2,
    );
    expect(pose.scale).toBeCloseTo(((sigma * (1 + 2 + 3)) / 3) * 2, 12);
    close(pose.translation, [sigma * t[0] + shift[0], sigma * t[1] + shift[1], sigma * t[2] + shift[2]], 12);

    // With an isotropic scale, applyPose equals the instance transform followed by the scene transform
    // (the downsample factor multiplies the object scale only).
    const s = 0.7;
    const iso = decodePose(
      { rot6d: normalised(r6), translation: t, scale: [Math.log(s), Math.log(s), Math.log(s)] },
      STATS,
      sigma,
      shift,
      2,
    );
    const R = rot6dToMatrix(r6);
    const p = [0.25, -0.5, 0.125];
    const inst = [0, 1, 2].map((c) => 2 * s * (p[0] * R[c] + p[1] * R[3 + c] + p[2] * R[6 + c]) + t[c]);
    const world = inst.map((v, c) => sigma * v + shift[c]);
    close(applyPose(Float32Array.from(p), iso), world, 5);
  });
});

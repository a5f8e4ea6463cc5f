import { describe, expect, it } from 'vitest';
import { cameraFromFov, fovFromFocal35mm, projectPoints } from '../metrics/silhouette.ts';
import { mulberry32 } from '../sparse/testing.ts';
import {
  applyPose,
  decodePose,
  focalRatio,
  matrixToQuaternion,
  quaternionToMatrix,
  rot6dToMatrix,
  toPhotoCamera,
  type Pose,
} from './pose.ts';

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

describe('toPhotoCamera (pack camera → photo camera)', () => {
  const W = 640,
    H = 480;
  const randomPose = (seed: number, t: [number, number, number], scale: number): Pose => {
    const rng = mulberry32(seed);
    const rotation = rot6dToMatrix(Array.from({ length: 6 }, () => rng() * 2 - 1));
    return { rotation, quaternion: matrixToQuaternion(rotation), translation: t, scale };
  };
  /** Pixel (u, v) of each canonical point seen through `fov` with `pose`. */
  const pixels = (canon: number[], pose: Pose, fov: number) =>
    Array.from(projectPoints(applyPose(Float32Array.from(canon), pose), cameraFromFov(W, H, fov))).filter(
      (_, i) => i % 3 !== 2,
    );

  it('is the identity (a copy) when the fields of view are equal', () => {
    const pose = randomPose(1, [0.3, -0.2, 2], 0.6);
    const moved = toPhotoCamera(pose, 60, { fovDeg: 60 });
    expect(moved).toEqual(pose);
    expect(moved).not.toBe(pose);
    expect(moved.translation).not.toBe(pose.translation);
    expect(focalRatio(47.5, 47.5)).toBe(1);
  });

  it('keeps the object centre on the same pixel and its apparent size', () => {
    for (const [packFov, photoFov] of [
      [60, 40],
      [60, 75],
      [50, 23.5],
    ]) {
      const pose = randomPose(packFov + photoFov, [0.35, -0.25, 3], 0.8);
      const moved = toPhotoCamera(pose, packFov, { fovDeg: photoFov });
      // rotation, x, y and scale are untouched
      expect(moved.rotation).toEqual(pose.rotation);
      expect(moved.quaternion).toEqual(pose.quaternion);
      expect(moved.scale).toBe(pose.scale);
      expect(moved.translation.slice(0, 2)).toEqual(pose.translation.slice(0, 2));
      // the centre (canonical origin ↦ t) projects to the same pixel (to applyPose's float32 precision)
      close(pixels([0, 0, 0], moved, photoFov), pixels([0, 0, 0], pose, packFov), 5);
      // points in the fronto-parallel plane through the centre (identity rotation, canonical z = 0) map
      // exactly: the apparent size f·s/z is unchanged
      const flat = { ...pose, rotation: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
      const square = [-0.5, -0.5, 0, 0.5, -0.5, 0, 0.5, 0.5, 0, -0.5, 0.5, 0];
      close(
        pixels(square, toPhotoCamera(flat, packFov, { fovDeg: photoFov }), photoFov),
        pixels(square, flat, packFov),
        3,
      );
      // a rotated object's corners move by its own perspective foreshortening only: pixel offsets from the
      // principal point scale by k·z/(k·t_z + d) with k = f_photo/f_pack and d = z − t_z the corner's depth
      // offset; the projected box keeps its size to within a few per cent
      const k = focalRatio(packFov, photoFov);
      const cube = [-0.5, 0.5].flatMap((x) =>
        [-0.5, 0.5].flatMap((y) => [-0.5, 0.5].flatMap((z) => [x, y, z])),
      );
      const a = pixels(cube, moved, photoFov),
        b = pixels(cube, pose, packFov);
      const zs = applyPose(Float32Array.from(cube), pose).filter((_, i) => i % 3 === 2);
      const tz = pose.translation[2];
      for (let i = 0; i < a.length; i++) {
        const c = i % 2 === 0 ? W / 2 : H / 2,
          z = zs[i >> 1];
        expect(a[i] - c).toBeCloseTo(((b[i] - c) * k * z) / (k * tz + z - tz), 4);
      }
      const extent = (p: number[], o: number) => {
        const q = p.filter((_, i) => i % 2 === o);
        return Math.max(...q) - Math.min(...q);
      };
      for (const o of [0, 1]) expect(Math.abs(extent(a, o) / extent(b, o) - 1)).toBeLessThan(0.1);
    }
  });

  it('scales z by f_photo/f_pack for 35 mm-equivalent focal lengths', () => {
    const pose = randomPose(7, [0.1, 0.2, 2], 0.5);
    const tan30 = Math.tan(Math.PI / 6);
    // 3:2 photo, 50 mm: half the long side is 18 mm, f_photo/(L/2) = 50/18; f_pack/(L/2) = 1/tan 30°
    const f50 = fovFromFocal35mm(50, 6000, 4000);
    expect(toPhotoCamera(pose, 60, { fovDeg: f50 }).translation[2]).toBeCloseTo(2 * (50 / 18) * tan30, 12);
    // 4:3 phone photo, 26 mm: half the long side is 0.8 of the 21.63 mm half diagonal
    const f26 = fovFromFocal35mm(26, 4000, 3000);
    const ratio26 = (26 / ((Math.hypot(36, 24) / 2) * 0.8)) * tan30;
    expect(ratio26).toBeCloseTo(0.8674, 4); // wide phone lens: the object is nearer than the 60° camera says
    expect(toPhotoCamera(pose, 60, { fovDeg: f26 }).translation[2]).toBeCloseTo(2 * ratio26, 12);
    // the same ratio as the focal lengths in pixels of the two cameras on that photo
    expect(focalRatio(60, f26)).toBeCloseTo(
      cameraFromFov(4000, 3000, f26).fx / cameraFromFov(4000, 3000, 60).fx,
      12,
    );
  });

  it('rejects fields of view outside (0, 180)', () => {
    expect(() => focalRatio(60, 0)).toThrow(RangeError);
    expect(() => focalRatio(180, 60)).toThrow(/field of view/);
  });
});

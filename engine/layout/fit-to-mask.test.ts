import { describe, expect, it } from 'vitest';
import { applyPose } from '../geometry/pose.ts';
import { cameraFromFov, rasterizeSilhouette } from '../metrics/silhouette.ts';
import { boxMesh, zPose } from '../metrics/test-shapes.ts';
import { fitLayoutToMask } from './fit-to-mask.ts';

// An L-shaped object (two boxes) so that shift and scale are both identifiable and the IoU surface has a
// single good basin; the mask is rendered from a known "true" layout.
const a = boxMesh([-0.5, -0.5, -0.3], [0.5, -0.1, 0.3]);
const b = boxMesh([-0.5, -0.1, -0.3], [-0.1, 0.5, 0.3]);
const mesh = {
  vertices: Float32Array.from([...Array.from(a.vertices), ...Array.from(b.vertices)]),
  faces: Uint32Array.from([...Array.from(a.faces), ...Array.from(b.faces, (f) => f + a.vertices.length / 3)]),
};
const cam = cameraFromFov(200, 150, 60);
const truth = zPose(0.4, [0.1, -0.05, 2.5], 0.9);
const maskOf = (pose: typeof truth) =>
  rasterizeSilhouette(applyPose(Float32Array.from(mesh.vertices), pose), mesh.faces, cam).mask;
const mask = maskOf(truth);
const iouOf = (m: Uint8Array) => {
  let i = 0,
    u = 0;
  for (let k = 0; k < m.length; k++) {
    i += m[k] & mask[k];
    u += m[k] | mask[k];
  }
  return i / u;
};

describe('fitLayoutToMask', () => {
  it('recovers an image-plane offset and a scale error, keeping rotation and depth', () => {
    const off = zPose(0.4, [0.22, 0.04, 2.5], 0.7);
    const before = iouOf(maskOf(off));
    expect(before).toBeLessThan(0.5);
    const fit = fitLayoutToMask({ mesh, pose: off, mask, camera: cam });
    expect(fit.iouBefore).toBeCloseTo(before, 6);
    expect(fit.iouAfter).toBeGreaterThan(0.95);
    expect(iouOf(maskOf(fit.pose))).toBeGreaterThan(0.95);
    expect(fit.pose.scale).toBeCloseTo(0.9, 1);
    expect(fit.pose.translation[0]).toBeCloseTo(0.1, 1);
    expect(fit.pose.translation[1]).toBeCloseTo(-0.05, 1);
    expect(fit.pose.translation[2]).toBe(2.5);
    expect(fit.pose.rotation).toEqual(off.rotation);
  });

  it('works on a reduced copy of a large mask and reports full-resolution pixels', () => {
    const big = cameraFromFov(1000, 750, 60);
    const bigMask = rasterizeSilhouette(
      applyPose(Float32Array.from(mesh.vertices), truth),
      mesh.faces,
      big,
    ).mask;
    const off = zPose(0.4, [0.0, -0.05, 2.5], 0.9); // 0.1 m left of the truth at 2.5 m: ~35 px at this focal
    const fit = fitLayoutToMask({ mesh, pose: off, mask: bigMask, camera: big });
    expect(fit.iouAfter).toBeGreaterThan(0.95);
    expect(fit.shift[0]).toBeLessThan(-25); // u = cx − f·x/z: +x is image left
    expect(fit.pose.translation[0]).toBeCloseTo(0.1, 2);
  });

  it('never makes the layout worse, and leaves it alone when the mask is empty', () => {
    const exact = fitLayoutToMask({ mesh, pose: truth, mask, camera: cam });
    expect(exact.iouAfter).toBeGreaterThanOrEqual(exact.iouBefore);
    expect(exact.iouBefore).toBe(1);
    const empty = fitLayoutToMask({ mesh, pose: truth, mask: new Uint8Array(mask.length), camera: cam });
    expect(empty.pose).toEqual(truth);
    expect(empty.scaleFactor).toBe(1);
  });
});

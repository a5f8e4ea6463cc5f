import { describe, expect, it } from 'vitest';
import { applyPose } from '../geometry/pose.ts';
import { cameraFromFov, rasterizeSilhouette } from '../metrics/silhouette.ts';
import { boxMesh, icosphere, zPose } from '../metrics/test-shapes.ts';
import { OutlineRaster } from './outline-raster.ts';

const sum = (m: Uint8Array) => m.reduce((a, b) => a + b, 0);

describe('OutlineRaster', () => {
  it('draws exactly the silhouette of a closed mesh, pose after pose', () => {
    const cam = cameraFromFov(64, 48, 50);
    const m = icosphere(3, 0.5);
    const raster = new OutlineRaster(m.faces, m.vertices.length / 3);
    for (const pose of [zPose(0.3, [0.2, -0.1, 3], 1.2), zPose(1.1, [-0.4, 0.3, 2.2], 0.8)]) {
      const posed = applyPose(Float32Array.from(m.vertices), pose);
      const all = rasterizeSilhouette(posed, m.faces, cam).mask;
      expect(sum(all)).toBeGreaterThan(200);
      expect(Array.from(raster.render(posed, cam))).toEqual(Array.from(all));
    }
  });

  it('counts layers: a mesh hidden inside another and two overlapping boxes give the union', () => {
    const cam = cameraFromFov(80, 60, 50);
    const a = boxMesh([-0.5, -0.3, -0.3], [0.2, 0.3, 0.3]);
    const b = boxMesh([-0.1, -0.5, -0.2], [0.5, 0.1, 0.2]);
    const inner = icosphere(1, 0.1);
    const parts = [a, b, inner];
    const vertices: number[] = [];
    const faces: number[] = [];
    for (const p of parts) {
      const base = vertices.length / 3;
      vertices.push(...Array.from(p.vertices));
      faces.push(...Array.from(p.faces, (f) => f + base));
    }
    const posed = applyPose(Float32Array.from(vertices), zPose(0.5, [0.05, 0, 2.5], 1));
    const expected = rasterizeSilhouette(posed, faces, cam).mask;
    expect(Array.from(new OutlineRaster(faces, vertices.length / 3).render(posed, cam))).toEqual(
      Array.from(expected),
    );
  });

  it('draws one face orientation only, so an open mesh facing away is not drawn', () => {
    const cam = cameraFromFov(64, 48, 50);
    const tri = [0, 0, 2, 0.5, 0, 2, 0, 0.5, 2];
    const drawn = [
      [0, 1, 2],
      [0, 2, 1],
    ].map((f) => sum(new OutlineRaster(f, 3).render(tri, cam)));
    expect(Math.min(...drawn)).toBe(0);
    expect(Math.max(...drawn)).toBe(sum(rasterizeSilhouette(tri, [0, 1, 2], cam).mask));
  });

  it('leaves out faces behind the camera and rejects bad indices', () => {
    const cam = cameraFromFov(10, 10, 90);
    expect(sum(new OutlineRaster([0, 1, 2], 3).render([0, 0, -1, 1, 0, -1, 0, 1, -1], cam))).toBe(0);
    expect(() => new OutlineRaster([0, 1, 5], 3)).toThrow(/names vertex 5 of 3/);
    expect(() => new OutlineRaster([0, 1, 2], 3).render([0, 0, 1], cam)).toThrow(/expected 3 vertices/);
  });
});
